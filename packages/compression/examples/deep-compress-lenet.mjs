// Deep Compression (Han, Mao & Dally 2016) of LeNet-300-100 on Fashion-MNIST: dense training,
// one-shot L1 pruning to the paper's per-layer densities (8 %, 9 %, 26 % kept) with fine-tuning,
// k-means weight sharing with centroid fine-tuning, Huffman coding; prints the bytes per stage
// and the test accuracy before and after, and checks that the file decodes to the same model.
// The baseline is the dense model trained on for as many epochs as the compressed one got
// (dense + prune + cluster epochs, from the same dense snapshot, fresh Adam 1e-3).
//
//   pnpm --filter @mapnn/compression... build
//   node packages/compression/examples/deep-compress-lenet.mjs [--dense-epochs 4] [--prune-epochs 3]
//        [--cluster-epochs 1] [--clusters 32] [--limit N] [--data DIR] [--out lenet.mpdc] [--seed S]
//        [--backend cpu|wasm] [--threads N]
import '@mapnn/backend-cpu';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Generator, setBackendAsync, tensor } from '@mapnn/core';
import { Flatten, Linear, ReLU, Sequential } from '@mapnn/layers';
import { Adam } from '@mapnn/optimizers';
import { decodeSafetensors, encodeSafetensors, evaluate, fit } from '@mapnn/train';
import { loadFashionMnist } from '@mapnn/data/node';
import { deepCompress, loadDeepCompressed } from '@mapnn/compression';

const here = dirname(fileURLToPath(import.meta.url));
const { values: a } = parseArgs({
  options: {
    'dense-epochs': { type: 'string', default: '4' },
    'prune-epochs': { type: 'string', default: '3' },
    'cluster-epochs': { type: 'string', default: '1' },
    clusters: { type: 'string', default: '32' },
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
let train = await loadFashionMnist({ dir: a.data, split: 'train' });
let test = await loadFashionMnist({ dir: a.data, split: 'test' });
if (a.limit) {
  const n = Number(a.limit);
  train = { x: train.x.narrow(0, 0, n), y: train.y.narrow(0, 0, n) };
}

const lenet = (g) => new Sequential(
  new Flatten(),
  new Linear(784, 300, { generator: g }), new ReLU(),
  new Linear(300, 100, { generator: g }), new ReLU(),
  new Linear(100, 10, { generator: g }),
);
const model = lenet(new Generator(seed));
const accuracy = async (m) => (await evaluate(m, test, { metrics: ['accuracy'], batchSize: 1000 })).accuracy;
const train_ = async (epochs, lr, s, m = model) => {
  if (epochs <= 0) return;
  const t0 = performance.now();
  const optimizer = new Adam(m.parameters(), { lr }); // fresh: pruning and clustering replace parameters
  await fit(m, train, { epochs, optimizer, loss: 'cross_entropy', batchSize: 64, seed: s });
  console.log(`  ${epochs} epoch(s) at lr ${lr}: test accuracy ${(100 * (await accuracy(m))).toFixed(2)} % [${((performance.now() - t0) / 1000).toFixed(0)} s]`);
};

console.log(`backend ${a.backend}; dense training: ${a['dense-epochs']} epochs on ${train.x.shape[0]} images`);
await train_(Number(a['dense-epochs']), 1e-3, seed);
const dense = await accuracy(model);
const extra = Number(a['prune-epochs']) + Number(a['cluster-epochs']);
const baseline = lenet(new Generator(seed + 98));
const { tensors } = decodeSafetensors(encodeSafetensors(model.stateDict()));
baseline.loadStateDict(Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, tensor(t.data, t.shape, t.dtype)])));
console.log(`dense baseline: ${extra} more dense epochs from the same snapshot`);
await train_(extra, 1e-3, seed + 1, baseline);
const denseLong = await accuracy(baseline);

const result = await deepCompress(model, {
  sparsity: { 1: 0.92, 3: 0.91, 5: 0.74 },
  clusters: Number(a.clusters),
  fineTune: async (_, stage) => {
    console.log(`fine-tuning after ${stage === 'pruned' ? 'pruning' : 'clustering'}`);
    if (stage === 'pruned') await train_(Number(a['prune-epochs']), 1e-3, seed + 1);
    else await train_(Number(a['cluster-epochs']), 1e-4, seed + 2);
  },
});
const compressed = await accuracy(model);
const restored = await accuracy(loadDeepCompressed(lenet(new Generator(seed + 99)), result.bytes));

console.log('\n' + result.table);
console.log(`\ntest accuracy: dense after ${a['dense-epochs']} + ${extra} epochs ${(100 * denseLong).toFixed(2)} %, compressed ${(100 * compressed).toFixed(2)} % (${(100 * (compressed - denseLong)).toFixed(2)} points vs it)`);
console.log(`test accuracy: dense after ${a['dense-epochs']} epochs (where compression started) ${(100 * dense).toFixed(2)} % (compressed ${(100 * (compressed - dense)).toFixed(2)} points vs it), decoded file ${(100 * restored).toFixed(2)} %`);
console.log(`file: ${result.bytes.length} B, ${result.stages[3].ratio.toFixed(1)}× smaller than dense float32 (${result.stages[0].bytes} B)`);
if (a.out) writeFileSync(a.out, result.bytes);
