// Models exported by PyTorch 1.13 (scripts/gen_torch_models.py → fixtures/torch) import into
// mapnn and match PyTorch's outputs; re-exported by mapnn they still match, in mapnn (round
// trip) and in ONNX Runtime.
import '@mapnn/backend-cpu';
import { noGrad, randn, setBackend, tensor, tidy } from '@mapnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { importOnnxSync } from '../import.js';
import { decodeModelProto } from '../proto/decode.js';
import { exportOnnx } from './export.js';
import { maxDiff, runMapnn, runOrt, torchFixture, torchModel } from '../../test/export-ort.js';

const MODELS = ['mlp', 'cnn', 'lstm', 'transformer'];

beforeAll(() => setBackend('cpu'));

describe.each(MODELS)('PyTorch model %s', (name) => {
  it('imports and matches PyTorch within 1e-4', () => {
    const f = torchFixture(name);
    const model = importOnnxSync(torchModel(name));
    const y = noGrad(() => tidy(() => Array.from(model.call(tensor(f.input.data, f.input.shape)).dataSync())));
    expect(maxDiff([{ shape: f.output.shape, data: y }], [{ shape: f.output.shape, data: f.output.data }])).toBeLessThan(1e-4);
    model.dispose();
  });

  it('round trip: re-exported by mapnn, it re-imports and matches (and runs in ONNX Runtime)', async () => {
    const f = torchFixture(name);
    const model = importOnnxSync(torchModel(name));
    const x = tensor(f.input.data, f.input.shape);
    const other = randn([5, ...f.input.shape.slice(1)]);
    for (const opset of [13, 17]) {
      const bytes = exportOnnx(model, x, { opset });
      const ops = [...new Set(decodeModelProto(bytes).graph!.node!.map((n) => n.opType))].sort();
      // at the model's own opset, a graph without import-time constants is copied node for node;
      // otherwise it is traced kernel by kernel
      if (opset === 13 && (name === 'mlp' || name === 'cnn')) expect(ops).toEqual(f.ops);
      else expect(ops).not.toEqual(f.ops);
      const again = importOnnxSync(bytes);
      // the parameters keep their PyTorch names
      for (const k of Object.keys(model.stateDict()).filter((k) => k.endsWith('weight'))) expect(again.stateDict()).toHaveProperty(k);
      for (const input of [x, other]) {
        const want = runMapnn(model, [input]);
        expect(maxDiff(runMapnn(again, [input]), want)).toBeLessThan(1e-4);
        expect(maxDiff(await runOrt(bytes, ['input'], [input]), want)).toBeLessThan(1e-4);
      }
      const y = runMapnn(again, [x])[0]!;
      expect(maxDiff([y], [{ shape: f.output.shape, data: f.output.data }])).toBeLessThan(1e-4);
      again.dispose();
    }
    model.dispose();
  });
});
