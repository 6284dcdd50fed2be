// Quantization-aware training of the Fashion-MNIST CNN: train it in float, fine-tune it with
// fake quantization (prepareQat), convert it to the int8 model (convertQat → quantizeModel's
// layers, true int8 compute), and compare test accuracy with the float model, with the same
// float model fine-tuned as long in float, and with post-training min-max quantization.
//
//   pnpm --filter @mapnn/compression... build
//   nice node packages/compression/examples/qat-fashion-mnist.mjs [--epochs 3] [--qat-epochs 1]
//        [--lr 1e-3] [--qat-lr 1e-4] [--freeze-after 600] [--limit N] [--backend cpu|wasm] [--threads 1]
//
// The CNN is examples/fashion-mnist's: Conv(32,3×3)-ReLU-MaxPool-Conv(64,3×3)-ReLU-MaxPool-
// Flatten-Dense(128)-ReLU-Dense(10), Adam, batch 64.
import '@mapnn/backend-cpu';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { argmax, Generator, noGrad, setBackendAsync, tidy } from '@mapnn/core';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@mapnn/layers';
import { Adam } from '@mapnn/optimizers';
import { fit } from '@mapnn/train';
import { loadFashionMnist } from '@mapnn/data/node';
import { calibrate, convertQat, exportQdqOnnx, prepareQat, quantizeModel } from '@mapnn/compression';

const here = dirname(fileURLToPath(import.meta.url));
const { values: a } = parseArgs({
  options: {
    epochs: { type: 'string', default: '3' },
    'qat-epochs': { type: 'string', default: '1' },
    lr: { type: 'string', default: '1e-3' },
    'qat-lr': { type: 'string', default: '1e-4' },
    'freeze-after': { type: 'string', default: '600' },
    limit: { type: 'string' },
    data: { type: 'string', default: join(here, '..', '..', '..', '..', 'shared', 'datasets', 'fashion-mnist') },
    seed: { type: 'string', default: '0' },
    backend: { type: 'string', default: 'cpu' },
    threads: { type: 'string' },
  },
});
if (a.backend === 'wasm') {
  const wasm = await import('@mapnn/backend-wasm');
  if (a.threads) await wasm.setWasmThreads(Number(a.threads));
}
await setBackendAsync(a.backend);
let train = await loadFashionMnist({ dir: a.data, split: 'train', channelDim: true });
const test = await loadFashionMnist({ dir: a.data, split: 'test', channelDim: true });
if (a.limit) train = { x: train.x.narrow(0, 0, Number(a.limit)), y: train.y.narrow(0, 0, Number(a.limit)) };
const seed = Number(a.seed);

const g = new Generator(seed);
const model = new Sequential(
  new Conv2d(1, 32, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
  new Conv2d(32, 64, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
  new Flatten(),
  new Linear(64 * 5 * 5, 128, { generator: g }), new ReLU(),
  new Linear(128, 10, { generator: g }),
);
const t0 = performance.now();
const secs = () => ((performance.now() - t0) / 1000).toFixed(0);
console.log(`float training: ${a.epochs} epochs on ${train.x.shape[0]} images (${a.backend})`);
await fit(model, train, { epochs: Number(a.epochs), optimizer: new Adam(model.parameters(), { lr: Number(a.lr) }), loss: 'cross_entropy', batchSize: 64, seed });

const n = test.x.shape[0];
const labels = Array.from(test.y.dataSync());
/** Top-1 accuracy on the test set, 500 images at a time. */
const accuracy = (m) => {
  m.eval();
  let right = 0;
  for (let i = 0; i < n; i += 500) {
    const c = noGrad(() => tidy(() => Array.from(argmax(m.call(test.x.narrow(0, i, Math.min(500, n - i))), 1).dataSync())));
    right += c.filter((k, j) => k === labels[i + j]).length;
  }
  return right / n;
};
const pct = (v) => `${(100 * v).toFixed(2)} %`;
const floatAcc = accuracy(model);
console.log(`[${secs()} s] float32 after ${a.epochs} epochs: ${pct(floatAcc)}`);

const calib = Array.from({ length: 8 }, (_, i) => train.x.narrow(0, i * 64, 64));
const ptq = quantizeModel(model, calibrate(model, calib, { observer: 'minmax' }));
const ptqAcc = accuracy(ptq);
console.log(`int8 post-training (min-max, 8 batches): ${pct(ptqAcc)} (${(100 * (ptqAcc - floatAcc)).toFixed(2)} points)`);

// QAT fine-tune from the float model (prepareQat copies it; `model` stays float)
const qat = prepareQat(model, { freezeObserversAfter: Number(a['freeze-after']) });
const fineTune = { epochs: Number(a['qat-epochs']), loss: 'cross_entropy', batchSize: 64, seed: seed + 1 };
await fit(qat, train, { ...fineTune, optimizer: new Adam(qat.parameters(), { lr: Number(a['qat-lr']) }) });
const qatFakeAcc = accuracy(qat);
const int8 = convertQat(qat);
const qatAcc = accuracy(int8);
console.log(`[${secs()} s] QAT ${a['qat-epochs']} epoch(s), lr ${a['qat-lr']}: fake-quant ${pct(qatFakeAcc)}, converted int8 ${pct(qatAcc)} (${(100 * (qatAcc - floatAcc)).toFixed(2)} points vs float)`);

// the same fine-tune in float, for a like-for-like reference
const { deserializeModule, serializeModule } = await import('@mapnn/layers');
const twin = deserializeModule(serializeModule(model));
twin.loadStateDict(model.stateDict());
await fit(twin, train, { ...fineTune, optimizer: new Adam(twin.parameters(), { lr: Number(a['qat-lr']) }) });
const twinAcc = accuracy(twin);
console.log(`[${secs()} s] float32 fine-tuned as long (same lr): ${pct(twinAcc)}; QAT int8 vs it ${(100 * (qatAcc - twinAcc)).toFixed(2)} points`);

const bytes = exportQdqOnnx(int8, test.x.narrow(0, 0, 1));
const session = await ort.InferenceSession.create(bytes);
let agree = 0;
let ortRight = 0;
for (let i = 0; i < n; i += 500) {
  const x = test.x.narrow(0, i, Math.min(500, n - i));
  const res = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.dataSync()), [...x.shape]) });
  const y = res[session.outputNames[0]].data;
  const mine = noGrad(() => tidy(() => Array.from(argmax(int8.call(x), 1).dataSync())));
  for (let r = 0; r < x.shape[0]; r++) {
    let best = 0;
    for (let k = 1; k < 10; k++) if (y[r * 10 + k] > y[r * 10 + best]) best = k;
    if (best === mine[r]) agree++;
    if (best === labels[i + r]) ortRight++;
  }
}
await session.release();
console.log(`QDQ ONNX ${bytes.byteLength} B; onnxruntime-node ${pct(ortRight / n)}, same top-1 as mapnn on ${pct(agree / n)}`);
