// Fashion-MNIST with mapnn: the CNN Conv(32,3×3)-ReLU-MaxPool-Conv(64,3×3)-ReLU-MaxPool-Flatten-
// Dense(128)-ReLU-Dense(10), inputs scaled to [0,1], Adam 1e-3, batch 64.
//
//   node examples/fashion-mnist/train.mjs [--epochs 5] [--recipe base|best] [--data DIR]
//        [--backend cpu|wasm] [--threads N] [--limit N] [--seed S]
//
// --recipe best adds dropout, augmentation (--augment crop+flip (default) | flip | none) and a
// cosine LR schedule.
// Prints test accuracy, seconds per epoch and peak memory (RSS) after every epoch.
import '@mapnn/backend-cpu';
import { parseArgs } from 'node:util';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator, setBackendAsync, tidy } from '@mapnn/core';
import { Conv2d, Dropout, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@mapnn/layers';
import { Adam, CosineAnnealingLR } from '@mapnn/optimizers';
import { evaluate, fit, LRSchedulerCallback } from '@mapnn/train';
import { loadFashionMnist } from '@mapnn/data/node';
import { randomCrop, randomHorizontalFlip } from '@mapnn/data';

const here = dirname(fileURLToPath(import.meta.url));
const { values: a } = parseArgs({
  options: {
    epochs: { type: 'string', default: '5' },
    recipe: { type: 'string', default: 'base' },
    data: { type: 'string', default: join(here, '..', '..', '..', 'shared', 'datasets', 'fashion-mnist') },
    backend: { type: 'string', default: 'cpu' },
    limit: { type: 'string' },
    seed: { type: 'string', default: '0' },
    threads: { type: 'string' },
    augment: { type: 'string', default: 'crop+flip' },
  },
});
if (a.backend === 'wasm') {
  const wasm = await import('@mapnn/backend-wasm');
  if (a.threads) await wasm.setWasmThreads(Number(a.threads));
}
await setBackendAsync(a.backend);
const epochs = Number(a.epochs);
const best = a.recipe === 'best';
const seed = Number(a.seed);

let train = await loadFashionMnist({ dir: a.data, split: 'train', channelDim: true });
const test = await loadFashionMnist({ dir: a.data, split: 'test', channelDim: true });
if (a.limit) {
  const n = Number(a.limit);
  train = { x: train.x.narrow(0, 0, n), y: train.y.narrow(0, 0, n) };
}

const g = new Generator(seed);
const model = new Sequential(
  new Conv2d(1, 32, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
  new Conv2d(32, 64, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
  new Flatten(),
  ...(best ? [new Dropout(0.25)] : []),
  new Linear(64 * 5 * 5, 128, { generator: g }), new ReLU(),
  ...(best ? [new Dropout(0.25)] : []),
  new Linear(128, 10, { generator: g }),
);
const optimizer = new Adam(model.parameters(), { lr: 1e-3 });

// augmentation applied per batch (best recipe): random crop with 2-pixel padding + horizontal flip
function* batches(epoch) {
  const n = train.x.shape[0];
  const gen = new Generator(seed * 1000 + epoch);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(gen.nextFloat() * (i + 1));
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  for (let s = 0; s < n; s += 64) {
    const idx = perm.subarray(s, Math.min(n, s + 64));
    const { x, y } = tidy(() => {
      let xb = train.x.indexSelect(0, Array.from(idx));
      const yb = train.y.indexSelect(0, Array.from(idx));
      if (a.augment.includes('crop')) xb = randomCrop(xb, { size: [28, 28], padding: 2, generator: gen });
      if (a.augment.includes('flip')) xb = randomHorizontalFlip(xb, { generator: gen });
      return { x: xb, y: yb };
    });
    yield { x, y };
  }
}

let peak = 0;
const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
const timer = setInterval(sample, 200);
const callbacks = [
  {
    t0: 0,
    onEpochBegin() {
      this.t0 = Date.now();
    },
    async onEpochEnd(epoch, logs) {
      const secs = (Date.now() - this.t0) / 1000;
      const ev = await evaluate(model, test, { metrics: ['accuracy'], batchSize: 500 });
      sample();
      console.log(
        `epoch ${epoch + 1}/${epochs}  loss ${logs.loss.toFixed(4)}  test accuracy ${(ev.accuracy * 100).toFixed(2)}%  ` +
          `${secs.toFixed(1)} s/epoch  peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`,
      );
    },
  },
];
if (best) callbacks.push(new LRSchedulerCallback(new CosineAnnealingLR(optimizer, { tMax: epochs })));
const data = best ? { [Symbol.iterator]: () => batches(currentEpoch), setEpoch: (e) => (currentEpoch = e) } : train;
let currentEpoch = 0;
await fit(model, data, { epochs, optimizer, loss: 'cross_entropy', batchSize: 64, seed, callbacks });
clearInterval(timer);
