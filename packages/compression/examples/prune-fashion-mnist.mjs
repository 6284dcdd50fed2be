// Gradual magnitude pruning of the Fashion-MNIST CNN to 90 % sparsity (Zhu & Gupta 2017):
// dense training, then pruning along the polynomial schedule while fine-tuning, then the
// sparsity report, the cost profile before and after, and the CSR checkpoint's size.
//
//   pnpm --filter @mapnn/compression build
//   node packages/compression/examples/prune-fashion-mnist.mjs [--dense-epochs 3] [--prune-epochs 3]
//        [--sparsity 0.9] [--limit N] [--data DIR] [--out model.sparse.safetensors] [--seed S]
//        [--backend cpu|wasm] [--threads N]
//
// The CNN is examples/fashion-mnist's: Conv(32,3×3)-ReLU-MaxPool-Conv(64,3×3)-ReLU-MaxPool-
// Flatten-Dense(128)-ReLU-Dense(10), Adam 1e-3, batch 64.
import '@mapnn/backend-cpu';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Generator, setBackendAsync } from '@mapnn/core';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@mapnn/layers';
import { Adam } from '@mapnn/optimizers';
import { encodeSafetensors, evaluate, fit } from '@mapnn/train';
import { loadFashionMnist } from '@mapnn/data/node';
import { GradualPruning, encodeSparseSafetensors, profile, removePruning, sparseSizeReport, sparsityReport } from '@mapnn/compression';

const here = dirname(fileURLToPath(import.meta.url));
const { values: a } = parseArgs({
  options: {
    'dense-epochs': { type: 'string', default: '3' },
    'prune-epochs': { type: 'string', default: '3' },
    sparsity: { type: 'string', default: '0.9' },
    limit: { type: 'string' },
    data: { type: 'string', default: join(here, '..', '..', '..', '..', 'shared', 'datasets', 'fashion-mnist') },
    out: { type: 'string' },
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
const seed = Number(a.seed);
let train = await loadFashionMnist({ dir: a.data, split: 'train', channelDim: true });
let test = await loadFashionMnist({ dir: a.data, split: 'test', channelDim: true });
if (a.limit) {
  const n = Number(a.limit);
  train = { x: train.x.narrow(0, 0, n), y: train.y.narrow(0, 0, n) };
  test = { x: test.x.narrow(0, 0, Math.min(n, 10000)), y: test.y.narrow(0, 0, Math.min(n, 10000)) };
}

const g = new Generator(seed);
const model = new Sequential(
  new Conv2d(1, 32, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
  new Conv2d(32, 64, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
  new Flatten(),
  new Linear(64 * 5 * 5, 128, { generator: g }), new ReLU(),
  new Linear(128, 10, { generator: g }),
);
const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
const accuracy = async () => (await evaluate(model, test, { metrics: ['accuracy'], batchSize: 500 })).accuracy;
const log = (epochs) => ({
  async onEpochEnd(epoch, logs) {
    console.log(`  epoch ${epoch + 1}/${epochs}  loss ${logs.loss.toFixed(4)}  test accuracy ${(100 * (await accuracy())).toFixed(2)} %`);
  },
});

const denseEpochs = Number(a['dense-epochs']);
const pruneEpochs = Number(a['prune-epochs']);
console.log(`dense training: ${denseEpochs} epochs on ${train.x.shape[0]} images`);
await fit(model, train, { epochs: denseEpochs, optimizer, loss: 'cross_entropy', batchSize: 64, seed, callbacks: [log(denseEpochs)] });
const denseAccuracy = await accuracy();
const denseProfile = profile(model, [1, 1, 28, 28]);
const denseBytes = encodeSafetensors(model.stateDict()).length;

// prune along the schedule over the first two thirds of the fine-tuning steps, then fine-tune with the masks fixed
const steps = pruneEpochs * Math.ceil(train.x.shape[0] / 64);
const frequency = Math.max(1, Math.floor(steps / 30));
const endStep = Math.max(frequency, Math.floor((2 * steps) / 3 / frequency) * frequency);
const pruning = new GradualPruning({ finalSparsity: Number(a.sparsity), beginStep: 0, endStep, frequency });
console.log(`gradual pruning to ${a.sparsity}: steps 0…${endStep} every ${frequency}, ${pruneEpochs} epochs`);
await fit(model, train, { epochs: pruneEpochs, optimizer, loss: 'cross_entropy', batchSize: 64, seed: seed + 1, callbacks: [pruning, log(pruneEpochs)] });
const prunedAccuracy = await accuracy();

console.log('\nsparsity:\n' + sparsityReport(model).table);
const sparse = encodeSparseSafetensors(model);
console.log('\nCSR checkpoint:\n' + sparseSizeReport(model).table);
removePruning(model);
const after = profile(model, [1, 1, 28, 28], { sparse: true });
console.log('\nprofile, dense model (one image):\n' + denseProfile.table);
console.log('\nprofile, pruned model on a sparse accelerator (one image):\n' + after.table);
console.log(`\ntest accuracy: dense ${(100 * denseAccuracy).toFixed(2)} %, pruned ${(100 * prunedAccuracy).toFixed(2)} % (${(100 * (prunedAccuracy - denseAccuracy)).toFixed(2)} points)`);
console.log(`checkpoint: dense ${denseBytes} B, CSR ${sparse.length} B (${(denseBytes / sparse.length).toFixed(2)}× smaller)`);
console.log(`energy per image: dense ${(denseProfile.total.energy.total / 1e6).toFixed(2)} µJ, pruned+sparse ${(after.total.energy.total / 1e6).toFixed(2)} µJ`);
if (a.out) writeFileSync(a.out, sparse);
