// The issue's acceptance runs on the Fashion-MNIST CNN, in one process from one dense start:
//
//   dense      D epochs dense (Adam 1e-3) → snapshot S; S + F more dense epochs = the baseline
//              (the dense CNN trained for the same total epochs as the compressed ones)
//   gradual    S + F epochs with GradualPruning to --sparsity (--scope layer: each layer;
//              global: all weights ranked together; Zhu & Gupta's cubic schedule over the first
//              two thirds of the steps); CSR checkpoint size
//   structured S → pruneChannels(--channels of every conv's output channels) → F epochs
//              fine-tuning (fresh Adam 1e-3); parameters before / after
//   cluster    the baseline → clusterWeights(--clusters per layer) → --cluster-epochs of centroid
//              fine-tuning (Adam --cluster-lr)
//
// Every figure is test accuracy on the 10,000 test images.
//
//   pnpm --filter @mapnn/compression... build
//   node packages/compression/examples/compress-cnn-fashion-mnist.mjs [--parts gradual,structured,cluster]
//        [--dense-epochs 2] [--epochs 2] [--sparsity 0.9] [--channels 0.5] [--clusters 16]
//        [--cluster-epochs 1] [--cluster-lr 1e-4] [--scope layer|global|layer,global] [--limit N] [--data DIR]
//        [--seed S] [--backend cpu|wasm] [--threads N] [--dense-checkpoint DIR]
//
// --dense-checkpoint DIR saves S and the baseline there (dense.safetensors, baseline.safetensors)
// and, when they exist, loads them instead of training (runs of other parts share one dense start).
//
// The CNN is examples/fashion-mnist's: Conv(32,3×3)-ReLU-MaxPool-Conv(64,3×3)-ReLU-MaxPool-
// Flatten-Dense(128)-ReLU-Dense(10), batch 64. scripts/torch_compress_cnn.py is the PyTorch peer.
import '@mapnn/backend-cpu';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Generator, setBackendAsync, tensor } from '@mapnn/core';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@mapnn/layers';
import { Adam } from '@mapnn/optimizers';
import { decodeSafetensors, encodeSafetensors, evaluate, fit } from '@mapnn/train';
import { loadFashionMnist } from '@mapnn/data/node';
import {
  GradualPruning, clusterWeights, encodeSparseSafetensors, pruneChannels, removePruning, sparsityReport, stripClustering,
} from '@mapnn/compression';

const here = dirname(fileURLToPath(import.meta.url));
const { values: a } = parseArgs({
  options: {
    parts: { type: 'string', default: 'gradual,structured,cluster' },
    'dense-epochs': { type: 'string', default: '2' },
    epochs: { type: 'string', default: '2' },
    sparsity: { type: 'string', default: '0.9' },
    channels: { type: 'string', default: '0.5' },
    clusters: { type: 'string', default: '16' },
    'cluster-epochs': { type: 'string', default: '1' },
    'cluster-lr': { type: 'string', default: '1e-4' },
    limit: { type: 'string' },
    data: { type: 'string', default: join(here, '..', '..', '..', '..', 'shared', 'datasets', 'fashion-mnist') },
    seed: { type: 'string', default: '0' },
    backend: { type: 'string', default: 'cpu' },
    threads: { type: 'string' },
    scope: { type: 'string', default: 'layer' },
    'dense-checkpoint': { type: 'string' },
  },
});
if (a.backend === 'wasm') {
  const wasm = await import('@mapnn/backend-wasm');
  if (a.threads) await wasm.setWasmThreads(Number(a.threads));
}
await setBackendAsync(a.backend);
const parts = new Set(a.parts.split(','));
const seed = Number(a.seed);
const epochs = Number(a.epochs);
let train = await loadFashionMnist({ dir: a.data, split: 'train', channelDim: true });
const test = await loadFashionMnist({ dir: a.data, split: 'test', channelDim: true });
if (a.limit) train = { x: train.x.narrow(0, 0, Number(a.limit)), y: train.y.narrow(0, 0, Number(a.limit)) };
const stepsPerEpoch = Math.ceil(train.x.shape[0] / 64);

const cnn = (g) => new Sequential(
  new Conv2d(1, 32, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
  new Conv2d(32, 64, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
  new Flatten(),
  new Linear(64 * 5 * 5, 128, { generator: g }), new ReLU(),
  new Linear(128, 10, { generator: g }),
);
const accuracy = async (m) => (await evaluate(m, test, { metrics: ['accuracy'], batchSize: 500 })).accuracy;
const pct = (v) => `${(100 * v).toFixed(2)} %`;
const points = (v, base) => `${(100 * (v - base)).toFixed(2)} points`;
const countParameters = (m) => m.parameters().reduce((s, p) => s + p.size, 0);
const snapshot = (m) => encodeSafetensors(m.stateDict());
const restore = (bytes) => {
  const m = cnn(new Generator(seed + 99));
  const { tensors } = decodeSafetensors(bytes);
  m.loadStateDict(Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, tensor(t.data, t.shape, t.dtype)])));
  return m;
};
const timed = async (label, f) => {
  const t0 = performance.now();
  const r = await f();
  console.log(`  [${label}: ${((performance.now() - t0) / 1000).toFixed(0)} s]`);
  return r;
};
/** Trains `m` for `n` epochs with a fresh Adam (pruning and clustering replace parameters). */
const trainFor = (m, n, lr, s, callbacks = []) =>
  fit(m, train, { epochs: n, optimizer: new Adam(m.parameters(), { lr }), loss: 'cross_entropy', batchSize: 64, seed: s, callbacks });

console.log(`backend ${a.backend}${a.threads ? `, ${a.threads} thread(s)` : ''}; ${train.x.shape[0]} training images, seed ${seed}`);
const saved = a['dense-checkpoint'] && existsSync(join(a['dense-checkpoint'], 'baseline.safetensors'));
let S, baseline;
if (saved) {
  S = readFileSync(join(a['dense-checkpoint'], 'dense.safetensors'));
  baseline = restore(readFileSync(join(a['dense-checkpoint'], 'baseline.safetensors')));
  console.log(`dense start and baseline loaded from ${a['dense-checkpoint']}`);
} else {
  const start = cnn(new Generator(seed));
  await timed(`dense ${a['dense-epochs']} epochs`, () => trainFor(start, Number(a['dense-epochs']), 1e-3, seed));
  S = snapshot(start);
  console.log(`dense after ${a['dense-epochs']} epochs: ${pct(await accuracy(start))}`);
  baseline = start;
  await timed(`dense +${epochs} epochs`, () => trainFor(baseline, epochs, 1e-3, seed + 1));
  if (a['dense-checkpoint']) {
    mkdirSync(a['dense-checkpoint'], { recursive: true });
    writeFileSync(join(a['dense-checkpoint'], 'dense.safetensors'), S);
    writeFileSync(join(a['dense-checkpoint'], 'baseline.safetensors'), snapshot(baseline));
  }
}
const dense = await accuracy(baseline);
const total = Number(a['dense-epochs']) + epochs;
console.log(`BASELINE dense after ${total} epochs: ${pct(dense)}; ${countParameters(baseline)} parameters, ${snapshot(baseline).length} B safetensors`);

for (const scope of parts.has('gradual') ? a.scope.split(',') : []) {
  const m = restore(S);
  const steps = epochs * stepsPerEpoch;
  const frequency = Math.max(1, Math.floor(steps / 30));
  const endStep = Math.max(frequency, Math.floor((2 * steps) / 3 / frequency) * frequency);
  const pruning = new GradualPruning({ finalSparsity: Number(a.sparsity), beginStep: 0, endStep, frequency, scope });
  await timed(`gradual pruning ${epochs} epochs (steps 0…${endStep} every ${frequency})`, () => trainFor(m, epochs, 1e-3, seed + 1, [pruning]));
  const acc = await accuracy(m);
  console.log(sparsityReport(m).table);
  const csr = encodeSparseSafetensors(m);
  removePruning(m);
  const denseBytes = snapshot(m).length;
  console.log(`GRADUAL ${a.sparsity} (${scope}) after ${a['dense-epochs']} + ${epochs} epochs: ${pct(acc)} (${points(acc, dense)}); CSR ${csr.length} B vs dense ${denseBytes} B (${(denseBytes / csr.length).toFixed(2)}× smaller)`);
}

if (parts.has('structured')) {
  const m = restore(S);
  const before = countParameters(m);
  const report = pruneChannels(m, { amount: Number(a.channels), layers: 'conv', exampleInput: [1, 1, 28, 28] });
  console.log(report.table);
  const oneShot = await accuracy(m);
  await timed(`structured fine-tuning ${epochs} epochs`, () => trainFor(m, epochs, 1e-3, seed + 1));
  const acc = await accuracy(m);
  console.log(`STRUCTURED ${a.channels} of conv channels: one-shot ${pct(oneShot)}, after ${epochs} fine-tuning epochs ${pct(acc)} (${points(acc, dense)}); parameters ${before} → ${countParameters(m)} (${(before / countParameters(m)).toFixed(2)}×)`);
}

if (parts.has('cluster')) {
  const m = restore(snapshot(baseline));
  const layers = clusterWeights(m, { clusters: Number(a.clusters) });
  const oneShot = await accuracy(m);
  const n = Number(a['cluster-epochs']);
  if (n > 0) await timed(`centroid fine-tuning ${n} epoch(s)`, () => trainFor(m, n, Number(a['cluster-lr']), seed + 2));
  const acc = await accuracy(m);
  const codes = layers.map((l) => `${l.layer} ${l.centroids.size} codes${l.zeroCluster ? ' (zero code)' : ''}`).join(', ');
  stripClustering(m);
  const distinct = m.parameters().filter((p) => p.shape.length >= 2).map((p) => new Set(p.dataSync()).size);
  console.log(`CLUSTER ${a.clusters} centroids per layer (${codes}; distinct weights after ${distinct.join(', ')}): one-shot ${pct(oneShot)} (${points(oneShot, dense)}), after ${n} epoch(s) of centroid fine-tuning at lr ${a['cluster-lr']} ${pct(acc)} (${points(acc, dense)})`);
}
