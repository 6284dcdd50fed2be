// Whole models written in mapnn — a CNN, an LSTM classifier and a Transformer encoder
// classifier — exported at opsets 13 and 17 and run in ONNX Runtime with other batch sizes.
import '@mapnn/backend-cpu';
import { Generator, add, manualSeed, mean, noGrad, randint, randn, relu, setBackend, tidy, type Tensor } from '@mapnn/core';
import {
  BatchNorm2d,
  Conv2d,
  Dropout,
  Embedding,
  Flatten,
  LSTM,
  LayerNorm,
  Linear,
  MaxPool2d,
  Module,
  ReLU,
  Sequential,
  TransformerEncoder,
  TransformerEncoderLayer,
} from '@mapnn/layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeModelProto } from '../proto/decode.js';
import { compareWithOrt } from '../../test/export-ort.js';

beforeAll(() => {
  setBackend('cpu');
  manualSeed(99);
});

const gen = () => new Generator(11);

/** A small CNN with a residual connection written in forward (not a known block). */
class Cnn extends Module<[Tensor], Tensor> {
  stem = new Sequential(new Conv2d(1, 8, 3, { padding: 1, generator: gen() }), new BatchNorm2d(8), new ReLU());
  conv = new Conv2d(8, 8, 3, { padding: 1, generator: gen() });
  bn = new BatchNorm2d(8);
  pool = new MaxPool2d(2);
  head = new Sequential(new Flatten(), new Dropout(0.2), new Linear(8 * 4 * 4, 10, { generator: gen() }));
  forward(x: Tensor): Tensor {
    const h = this.stem.call(x);
    const r = relu(add(this.bn.call(this.conv.call(h)), h));
    return this.head.call(this.pool.call(r));
  }
}

/** Token ids → embedding → 2-layer bidirectional LSTM → mean over time → classes. */
class LstmClassifier extends Module<[Tensor], Tensor> {
  embed = new Embedding(20, 8, { generator: gen() });
  lstm = new LSTM(8, 12, { numLayers: 2, bidirectional: true, batchFirst: true, generator: gen() });
  fc = new Linear(24, 3, { generator: gen() });
  forward(ids: Tensor): Tensor {
    const [out] = this.lstm.call(this.embed.call(ids));
    return this.fc.call(mean(out, 1));
  }
}

/** Features → projection → 2 encoder layers → mean pooling → classes. */
class TransformerClassifier extends Module<[Tensor], Tensor> {
  proj = new Linear(6, 16, { generator: gen() });
  encoder = new TransformerEncoder(() => new TransformerEncoderLayer(16, 4, { dimFeedforward: 32, batchFirst: true, generator: gen() }), 2, new LayerNorm(16));
  fc = new Linear(16, 4, { generator: gen() });
  forward(x: Tensor): Tensor {
    return this.fc.call(mean(this.encoder.call(this.proj.call(x)), 1));
  }
}

function warm(m: Module<any, any>, shape: number[]): void {
  m.train();
  noGrad(() => tidy(() => void (m as unknown as { call: (x: Tensor) => unknown }).call(randn(shape))));
  m.eval();
}

describe.each([13, 17])('models agree with ONNX Runtime (opset %i)', (opset) => {
  it('a CNN with batch norm and a residual connection', async () => {
    const model = new Cnn();
    warm(model, [8, 1, 8, 8]);
    const { diff, bytes } = await compareWithOrt(model, [randn([2, 1, 8, 8])], [[randn([7, 1, 8, 8])], [randn([1, 1, 8, 8])]], { opset });
    expect(diff).toBeLessThan(1e-4);
    const g = decodeModelProto(bytes).graph!;
    expect(g.node!.filter((n) => n.opType === 'Conv')).toHaveLength(2);
    expect(g.initializer!.map((t) => t.name)).toEqual(expect.arrayContaining(['stem.0.weight', 'stem.1.running_mean', 'bn.running_var', 'head.2.weight']));
    expect(g.input![0]!.type!.tensorType!.shape!.dim![0]!.dimParam).toBe('batch');
    expect(g.output![0]!.type!.tensorType!.shape!.dim![0]!.dimParam).toBe('batch');
  });

  it('an LSTM classifier on token ids', async () => {
    const model = new LstmClassifier();
    const { diff, bytes } = await compareWithOrt(model, [randint(0, 20, [3, 6])], [[randint(0, 20, [5, 6])]], { opset, inputNames: ['ids'], outputNames: ['logits'] });
    expect(diff).toBeLessThan(1e-4);
    const g = decodeModelProto(bytes).graph!;
    expect(g.node!.filter((n) => n.opType === 'LSTM')).toHaveLength(2);
    expect(g.input![0]!.name).toBe('ids');
    expect(g.output![0]!.name).toBe('logits');
  });

  it('a Transformer encoder classifier', async () => {
    const model = new TransformerClassifier();
    const { diff, bytes } = await compareWithOrt(model, [randn([2, 5, 6])], [[randn([4, 5, 6])]], { opset, docString: 'a tiny encoder' });
    expect(diff).toBeLessThan(1e-4);
    const m = decodeModelProto(bytes);
    expect(m.docString).toBe('a tiny encoder');
    expect(m.producerName).toBe('mapnn');
    const ops = m.graph!.node!.map((n) => n.opType);
    expect(ops.filter((o) => o === 'Softmax')).toHaveLength(2);
    if (opset >= 17) expect(ops.filter((o) => o === 'LayerNormalization')).toHaveLength(5);
  });
});
