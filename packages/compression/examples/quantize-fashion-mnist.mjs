// Post-training int8 quantization of the Fashion-MNIST CNN: train it in float, calibrate on
// training batches with each observer, run mapnn's int8 path (core QLinear ops), export ONNX
// QDQ (S8S8) and run it in onnxruntime-node: test accuracy float vs int8, file sizes, ORT
// top-1 agreement with mapnn's int8 path.
//
//   pnpm --filter @mapnn/compression... build
//   node packages/compression/examples/quantize-fashion-mnist.mjs [--epochs 2] [--limit N]
//        [--calibration-batches 8] [--observers minmax,percentile,mse,entropy] [--out model.int8.onnx]
//        [--model model.safetensors]   (trained weights: loaded when the file exists, else saved there after training)
//        [--weights reduced|full]      (7-bit weights, default, or full-range int8: see quantizeModel's reduceRange)
//        [--backend cpu|wasm]
//
// onnxruntime-node is a dev dependency of @mapnn/compression (run from the repository).
// The CNN is examples/fashion-mnist's: Conv(32,3×3)-ReLU-MaxPool-Conv(64,3×3)-ReLU-MaxPool-
// Flatten-Dense(128)-ReLU-Dense(10), Adam 1e-3, batch 64.
import '@mapnn/backend-cpu';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { argmax, Generator, noGrad, setBackendAsync, tensor, tidy } from '@mapnn/core';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@mapnn/layers';
import { Adam } from '@mapnn/optimizers';
import { decodeSafetensors, encodeSafetensors, fit } from '@mapnn/train';
import { exportOnnx } from '@mapnn/onnx';
import { loadFashionMnist } from '@mapnn/data/node';
import { calibrate, exportQdqOnnx, quantizeModel } from '@mapnn/compression';

const here = dirname(fileURLToPath(import.meta.url));
const { values: a } = parseArgs({
  options: {
    epochs: { type: 'string', default: '2' },
    limit: { type: 'string' },
    'calibration-batches': { type: 'string', default: '8' },
    observers: { type: 'string', default: 'minmax,moving-average,percentile,mse,entropy' },
    data: { type: 'string', default: join(here, '..', '..', '..', '..', 'shared', 'datasets', 'fashion-mnist') },
    out: { type: 'string' },
    seed: { type: 'string', default: '0' },
    model: { type: 'string' },
    weights: { type: 'string', default: 'reduced' },
    backend: { type: 'string', default: 'cpu' },
  },
});
if (a.backend === 'wasm') await import('@mapnn/backend-wasm');
await setBackendAsync(a.backend);
let train = await loadFashionMnist({ dir: a.data, split: 'train', channelDim: true });
const test = await loadFashionMnist({ dir: a.data, split: 'test', channelDim: true });
if (a.limit) train = { x: train.x.narrow(0, 0, Number(a.limit)), y: train.y.narrow(0, 0, Number(a.limit)) };

const g = new Generator(Number(a.seed));
const model = new Sequential(
  new Conv2d(1, 32, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
  new Conv2d(32, 64, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
  new Flatten(),
  new Linear(64 * 5 * 5, 128, { generator: g }), new ReLU(),
  new Linear(128, 10, { generator: g }),
);
if (a.model && existsSync(a.model)) {
  const { tensors } = decodeSafetensors(readFileSync(a.model));
  model.loadStateDict(Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, tensor(t.data, t.shape, t.dtype)])));
  console.log(`trained weights loaded from ${a.model}`);
} else {
  console.log(`training: ${a.epochs} epochs on ${train.x.shape[0]} images`);
  await fit(model, train, { epochs: Number(a.epochs), optimizer: new Adam(model.parameters(), { lr: 1e-3 }), loss: 'cross_entropy', batchSize: 64, seed: Number(a.seed) });
  if (a.model) writeFileSync(a.model, encodeSafetensors(model.stateDict()));
}

const n = test.x.shape[0];
/** Top-1 classes of the test set, 500 images at a time. */
const classes = (m) => {
  m.eval();
  const out = [];
  for (let i = 0; i < n; i += 500) out.push(...noGrad(() => tidy(() => Array.from(argmax(m.call(test.x.narrow(0, i, Math.min(500, n - i))), 1).dataSync()))));
  return out;
};
const labels = Array.from(test.y.dataSync());
const accuracy = (c) => c.filter((k, i) => k === labels[i]).length / n;
async function ortClasses(bytes) {
  const session = await ort.InferenceSession.create(bytes);
  const out = [];
  for (let i = 0; i < n; i += 500) {
    const x = test.x.narrow(0, i, Math.min(500, n - i));
    const res = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.dataSync()), [...x.shape]) });
    const y = res[session.outputNames[0]].data;
    for (let r = 0; r < x.shape[0]; r++) {
      let best = 0;
      for (let k = 1; k < 10; k++) if (y[r * 10 + k] > y[r * 10 + best]) best = k;
      out.push(best);
    }
  }
  await session.release();
  return out;
}

const floatClasses = classes(model);
const floatAcc = accuracy(floatClasses);
const floatBytes = exportOnnx(model, test.x.narrow(0, 0, 1));
console.log(`float32: test accuracy ${(100 * floatAcc).toFixed(2)} %, ONNX ${floatBytes.byteLength} B`);
const calib = Array.from({ length: Number(a['calibration-batches']) }, (_, i) => train.x.narrow(0, i * 64, 64));
for (const observer of a.observers.split(',')) {
  const t0 = performance.now();
  const q = quantizeModel(model, calibrate(model, calib, { observer }), { reduceRange: a.weights !== 'full' });
  const ms = performance.now() - t0;
  const qClasses = classes(q);
  const bytes = exportQdqOnnx(q, test.x.narrow(0, 0, 1));
  const ortC = await ortClasses(bytes);
  const agree = ortC.filter((k, i) => k === qClasses[i]).length / n;
  console.log(
    `int8 ${observer.padEnd(14)} (${a.weights} weights) accuracy ${(100 * accuracy(qClasses)).toFixed(2)} % (${(100 * (accuracy(qClasses) - floatAcc)).toFixed(2)} points), ` +
      `ORT ${(100 * accuracy(ortC)).toFixed(2)} %, ORT = mapnn top-1 on ${(100 * agree).toFixed(2)} %, QDQ ${bytes.byteLength} B ` +
      `(${(floatBytes.byteLength / bytes.byteLength).toFixed(2)}× smaller), calibration ${ms.toFixed(0)} ms`,
  );
  if (a.out && observer === a.observers.split(',')[0]) writeFileSync(a.out, bytes);
}
