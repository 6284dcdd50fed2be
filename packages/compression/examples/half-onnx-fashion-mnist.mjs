// float16 ONNX export of the Fashion-MNIST CNN: exportOnnx(…, { precision: 'float16' }) writes the
// weights as float16 (read through Cast to float32); both files run in onnxruntime-node on the
// 10,000 test images: accuracy, file size, top-1 agreement and the largest logit difference.
//
//   pnpm --filter @mapnn/compression... build
//   node packages/compression/examples/half-onnx-fashion-mnist.mjs [--weights teacher.safetensors]
//        [--epochs 2] [--backend cpu|wasm] [--threads N] [--out model.fp16.onnx]
//
// --weights: the CNN's state dict (e.g. the teacher saved by distill-fashion-mnist.mjs
// --teacher-weights); without it the CNN is trained for --epochs first.
// onnxruntime-node is a dev dependency of @mapnn/compression (run from the repository).
import '@mapnn/backend-cpu';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { Generator, setBackendAsync, tensor } from '@mapnn/core';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@mapnn/layers';
import { Adam } from '@mapnn/optimizers';
import { decodeSafetensors, evaluate, fit } from '@mapnn/train';
import { exportOnnx } from '@mapnn/onnx';
import { loadFashionMnist } from '@mapnn/data/node';

const here = dirname(fileURLToPath(import.meta.url));
const { values: a } = parseArgs({
  options: {
    weights: { type: 'string' },
    epochs: { type: 'string', default: '2' },
    data: { type: 'string', default: join(here, '..', '..', '..', '..', 'shared', 'datasets', 'fashion-mnist') },
    backend: { type: 'string', default: 'cpu' },
    threads: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string', default: '0' },
  },
});
if (a.backend === 'wasm') {
  const wasm = await import('@mapnn/backend-wasm');
  if (a.threads) await wasm.setWasmThreads(Number(a.threads));
}
await setBackendAsync(a.backend);
const test = await loadFashionMnist({ dir: a.data, split: 'test', channelDim: true });
const g = new Generator(Number(a.seed));
const model = new Sequential(
  new Conv2d(1, 32, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
  new Conv2d(32, 64, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
  new Flatten(), new Linear(64 * 5 * 5, 128, { generator: g }), new ReLU(), new Linear(128, 10, { generator: g }),
);
if (a.weights) {
  const { tensors } = decodeSafetensors(readFileSync(a.weights));
  model.loadStateDict(Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, tensor(t.data, t.shape, t.dtype)])));
} else {
  const train = await loadFashionMnist({ dir: a.data, split: 'train', channelDim: true });
  await fit(model, train, { epochs: Number(a.epochs), optimizer: new Adam(model.parameters(), { lr: 1e-3 }), loss: 'cross_entropy', batchSize: 64, seed: Number(a.seed) });
}
model.eval();
const mapnnAcc = (await evaluate(model, test, { metrics: ['accuracy'], batchSize: 500 })).accuracy;

const sample = test.x.narrow(0, 0, 1);
const files = { float32: exportOnnx(model, sample), float16: exportOnnx(model, sample, { precision: 'float16' }) };
if (a.out) writeFileSync(a.out, files.float16);
const labels = Array.from(test.y.dataSync());
const n = labels.length;

/** Logits of the 10,000 test images from ONNX Runtime, 500 at a time. */
async function ortLogits(bytes) {
  const session = await ort.InferenceSession.create(bytes);
  const out = new Float32Array(n * 10);
  for (let i = 0; i < n; i += 500) {
    const x = test.x.narrow(0, i, Math.min(500, n - i));
    const res = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.dataSync()), [...x.shape]) });
    out.set(res[session.outputNames[0]].data, i * 10);
  }
  await session.release();
  return out;
}
const top1 = (logits) => Array.from({ length: n }, (_, r) => {
  let best = 0;
  for (let k = 1; k < 10; k++) if (logits[r * 10 + k] > logits[r * 10 + best]) best = k;
  return best;
});
const [l32, l16] = [await ortLogits(files.float32), await ortLogits(files.float16)];
const [c32, c16] = [top1(l32), top1(l16)];
const acc = (c) => c.filter((k, i) => k === labels[i]).length / n;
const agree = c32.filter((k, i) => k === c16[i]).length / n;
let maxDiff = 0;
for (let i = 0; i < l32.length; i++) maxDiff = Math.max(maxDiff, Math.abs(l32[i] - l16[i]));
const pct = (v) => `${(100 * v).toFixed(2)} %`;
console.log(`mapnn float32 test accuracy     ${pct(mapnnAcc)}`);
console.log(`ORT float32 ONNX                ${pct(acc(c32))}  ${files.float32.byteLength.toLocaleString('en')} B`);
console.log(`ORT float16-weight ONNX         ${pct(acc(c16))}  ${files.float16.byteLength.toLocaleString('en')} B  (${(files.float16.byteLength / files.float32.byteLength).toFixed(3)} of float32)`);
console.log(`accuracy change                 ${(100 * (acc(c16) - acc(c32))).toFixed(2)} points; top-1 agreement ${pct(agree)}; max |Δlogit| ${maxDiff.toExponential(2)}`);
