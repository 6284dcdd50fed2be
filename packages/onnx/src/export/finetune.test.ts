// Transfer learning across frameworks: a CNN trained in PyTorch (fixtures/torch/cnn.onnx, with a
// fresh classifier head) is imported, its convolutional trunk frozen, its head trained on the UCI
// digits in mapnn, exported again, and run in ONNX Runtime with the same predictions.
import '@mapnn/backend-cpu';
import { argmax, div, manualSeed, noGrad, reshape, setBackend, slice, tidy, type Tensor } from '@mapnn/core';
import { loadDigits } from '@mapnn/data';
import { crossEntropyLoss } from '@mapnn/layers';
import { Adam } from '@mapnn/optimizers';
import { beforeAll, expect, it } from 'vitest';
import { importOnnxSync } from '../import.js';
import type { OnnxModule } from '../module.js';
import { decodeModelProto } from '../proto/decode.js';
import { exportOnnx } from './export.js';
import { maxDiff, runMapnn, runOrt, torchModel } from '../../test/export-ort.js';

beforeAll(() => {
  setBackend('cpu');
  manualSeed(5);
});

function accuracy(model: OnnxModule, x: Tensor, y: Tensor): number {
  return noGrad(() =>
    tidy(() => {
      const pred = argmax(model.call(x), 1).dataSync();
      const labels = y.dataSync();
      let ok = 0;
      for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) ok++;
      return ok / labels.length;
    }),
  );
}

it('fine-tunes the head of a PyTorch CNN on the digits, exports it, and ONNX Runtime agrees', async () => {
  const digits = loadDigits();
  const images = tidy(() => reshape(div(digits.x, 16), [-1, 1, 8, 8]));
  // the PyTorch script pretrained on samples 0–1399; train the new head on them, test on the rest
  const [xTrain, yTrain] = [slice(images, [0], [1400], [0]), slice(digits.y, [0], [1400], [0])];
  const [xTest, yTest] = [slice(images, [1400], [1797], [0]), slice(digits.y, [1400], [1797], [0])];

  const model = importOnnxSync(torchModel('cnn'));
  const trunk = model.stateDict();
  const convBefore = Array.from(trunk['features.0.weight']!.dataSync());
  const headBefore = Array.from(trunk['classifier.weight']!.dataSync());
  const before = accuracy(model, xTest, yTest);

  // freeze the convolutional trunk, train the head
  model.freeze();
  (model as unknown as { classifier: OnnxModule }).classifier.unfreeze();
  expect(model.trainableParameters()).toHaveLength(2);
  model.train();
  const opt = new Adam(model.trainableParameters(), { lr: 0.02 });
  const batch = 64;
  for (let epoch = 0; epoch < 4; epoch++) {
    for (let i = 0; i < 1400; i += batch) {
      tidy(() => {
        const n = Math.min(batch, 1400 - i);
        const xb = slice(xTrain, [i], [i + n], [0]);
        const yb = slice(yTrain, [i], [i + n], [0]);
        opt.zeroGrad();
        crossEntropyLoss(model.call(xb), yb).backward();
        opt.step();
      });
    }
  }
  model.eval();
  const after = accuracy(model, xTest, yTest);
  console.log(`digits test accuracy: ${before.toFixed(3)} with the fresh head, ${after.toFixed(3)} after fine-tuning it`);
  expect(before).toBeLessThan(0.5);
  expect(after).toBeGreaterThan(0.9);
  expect(Array.from(model.stateDict()['features.0.weight']!.dataSync())).toEqual(convBefore);
  expect(Array.from(model.stateDict()['classifier.weight']!.dataSync())).not.toEqual(headBefore);

  const bytes = exportOnnx(model, slice(xTest, [0], [4], [0]), { inputNames: ['image'], outputNames: ['logits'], docString: 'digits CNN, head fine-tuned in mapnn' });
  const exported = decodeModelProto(bytes);
  expect(exported.graph!.initializer!.map((t) => t.name)).toEqual(expect.arrayContaining(['features.0.weight', 'classifier.weight', 'classifier.bias']));
  // written back node for node: the same ops as PyTorch's file
  expect([...new Set(exported.graph!.node!.map((n) => n.opType))].sort()).toEqual(['BatchNormalization', 'Conv', 'Flatten', 'Gemm', 'MaxPool', 'Relu']);

  const ours = runMapnn(model, [xTest])[0]!;
  const theirs = (await runOrt(bytes, ['image'], [xTest]))[0]!;
  expect(theirs.shape).toEqual([397, 10]);
  expect(maxDiff([theirs], [ours])).toBeLessThan(1e-4);
  const predict = (o: { data: number[] }) =>
    Array.from({ length: 397 }, (_, i) => {
      const row = o.data.slice(i * 10, i * 10 + 10);
      return row.indexOf(Math.max(...row));
    });
  expect(predict(theirs)).toEqual(predict(ours));

  // and the exported file imports back into mapnn with the trained head
  const again = importOnnxSync(bytes);
  expect(accuracy(again, xTest, yTest)).toBeCloseTo(after, 10);
  again.dispose();
  model.dispose();
});

it('exports the fine-tuning result at another opset op by op, with the same predictions', async () => {
  const model = importOnnxSync(torchModel('cnn'));
  const x = tidy(() => reshape(div(slice(loadDigits().x, [0], [50], [0]), 16), [-1, 1, 8, 8]));
  const bytes = exportOnnx(model, slice(x, [0], [2], [0]), { opset: 17 });
  const ops = new Set(decodeModelProto(bytes).graph!.node!.map((n) => n.opType));
  expect(ops.has('BatchNormalization')).toBe(false); // traced: Conv via im2col, BN as arithmetic
  expect(maxDiff(await runOrt(bytes, ['input'], [x]), runMapnn(model, [x]))).toBeLessThan(1e-4);
  model.dispose();
});
