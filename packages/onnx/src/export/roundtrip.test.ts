// Round trips: mapnn model → ONNX → importOnnx → ONNX again (node for node at the same opset,
// kernel by kernel at another), each step matching mapnn and ONNX Runtime.
import '@mapnn/backend-cpu';
import { Generator, manualSeed, randn, setBackend, type Tensor } from '@mapnn/core';
import {
  BatchNorm2d,
  Conv2d,
  ConvTranspose2d,
  Flatten,
  GRU,
  Linear,
  MaxPool2d,
  Module,
  MultiHeadAttention,
  ReLU,
  Sequential,
  Sigmoid,
} from '@mapnn/layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { importOnnxSync } from '../import.js';
import { decodeModelProto } from '../proto/decode.js';
import { exportOnnx } from './export.js';
import { maxDiff, runMapnn, runOrt } from '../../test/export-ort.js';

beforeAll(() => {
  setBackend('cpu');
  manualSeed(21);
});

const g = () => new Generator(2);

class GruHead extends Module<[Tensor], Tensor> {
  gru = new GRU(4, 6, { batchFirst: true, bidirectional: true, generator: g() });
  fc = new Linear(12, 2, { generator: g() });
  forward(x: Tensor): Tensor {
    return this.fc.call(this.gru.call(x)[1].transpose([1, 0, 2]).reshape([x.shape[0]!, 12]));
  }
}

class Attn extends Module<[Tensor], Tensor> {
  mha = new MultiHeadAttention(8, 2, { batchFirst: true, generator: g() });
  forward(x: Tensor): Tensor {
    return this.mha.call(x)[0];
  }
}

const CASES: [string, () => Module<any, any>, (n: number) => Tensor][] = [
  [
    'decoder with ConvTranspose2d',
    () => new Sequential(new ConvTranspose2d(3, 4, 3, { stride: 2, padding: 1, outputPadding: 1, generator: g() }), new ReLU(), new Conv2d(4, 2, 3, { padding: 1, generator: g() }), new Sigmoid()),
    (n) => randn([n, 3, 4, 4]),
  ],
  [
    'CNN with ceil-mode pooling',
    () => new Sequential(new Conv2d(1, 3, 3, { generator: g() }), new BatchNorm2d(3), new MaxPool2d(2, { padding: 1, ceilMode: true }), new Flatten(), new Linear(27, 2, { generator: g() })),
    (n) => randn([n, 1, 7, 7]),
  ],
  ['bidirectional GRU', () => new GruHead(), (n) => randn([n, 5, 4])],
  ['self-attention', () => new Attn(), (n) => randn([n, 4, 8])],
];

describe.each(CASES)('%s', (_name, make, input) => {
  it('exports, imports and exports again at opsets 13 and 17', async () => {
    const model = make();
    model.eval();
    const x = input(2);
    const other = input(5);
    const bytes = exportOnnx(model, x);
    const imported = importOnnxSync(bytes);
    for (const t of [x, other]) expect(maxDiff(runMapnn(imported, [t]), runMapnn(model, [t]))).toBeLessThan(1e-4);
    for (const opset of [13, 17]) {
      const again = exportOnnx(imported, x, { opset });
      const proto = decodeModelProto(again);
      if (opset === 13) {
        // the same ops as the first export (copied node for node)
        const first = decodeModelProto(bytes).graph!.node!.map((n) => n.opType);
        expect(proto.graph!.node!.map((n) => n.opType)).toEqual(first);
      }
      for (const t of [x, other]) {
        const want = runMapnn(model, [t]);
        expect(maxDiff(await runOrt(again, ['input'], [t]), want)).toBeLessThan(1e-4);
        const back = importOnnxSync(again);
        expect(maxDiff(runMapnn(back, [t]), want)).toBeLessThan(1e-4);
        back.dispose();
      }
    }
    imported.dispose();
  });
});
