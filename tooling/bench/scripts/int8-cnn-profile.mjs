#!/usr/bin/env node
/**
 * Ad hoc profile of the Fashion-MNIST CNN's int8 inference on the wasm backend (issue 16; not a
 * test, no figures asserted): float32 vs int8 PTQ runs interleaved one by one (medians, so the
 * ratio holds on a loaded machine), then the time each model spends in each kernel and outside
 * kernels (JS: op dispatch, tensor bookkeeping, read-back). The model is the bench's
 * (`fashionCnn(32, 64)`, seed 1, min-max PTQ on 4 random batches); 1 wasm thread. Needs the
 * workspace built (`pnpm --filter @mapnn/bench... build`).
 *
 *   node tooling/bench/scripts/int8-cnn-profile.mjs
 */
import * as core from '@mapnn/core';
import { KERNEL_NAMES, getKernel } from '@mapnn/core/backend';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@mapnn/layers';
import { calibrate, quantizeModel } from '@mapnn/compression';
import { setWasmThreads } from '@mapnn/backend-wasm';

await setWasmThreads(1);
await core.setBackendAsync('wasm');

const g = new core.Generator(1);
const float = new Sequential(
  new Conv2d(1, 32, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
  new Conv2d(32, 64, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
  new Flatten(), new Linear(64 * 25, 128, { generator: g }), new ReLU(), new Linear(128, 10, { generator: g }),
);
float.eval();
const images = (n, seed) => {
  const r = new core.Generator(seed);
  return core.tensor(Float32Array.from({ length: n * 784 }, () => r.nextFloat()), [n, 1, 28, 28]);
};
const int8 = quantizeModel(float, calibrate(float, [0, 1, 2, 3].map((i) => images(16, 20 + i))));
int8.eval();

const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const timeRun = (model, x) => {
  const t = performance.now();
  core.noGrad(() => core.tidy(() => Float32Array.from(model.call(x).dataSync())));
  return performance.now() - t;
};

/** Kernel name → ms spent in it (the registered wasm kernels, wrapped). */
const inKernel = {};
function wrapKernels() {
  for (const op of KERNEL_NAMES) {
    const entry = getKernel(op, 'wasm');
    if (!entry) continue;
    const fn = entry.fn;
    entry.fn = (...args) => {
      const t = performance.now();
      try {
        return fn(...args);
      } finally {
        inKernel[op] = (inKernel[op] ?? 0) + performance.now() - t;
      }
    };
  }
}

for (const [N, reps] of [[64, 60], [1, 1500]]) {
  const x = images(N, 11);
  for (let r = 0; r < 20; r++) [float, int8].forEach((m) => timeRun(m, x));
  const [f, q] = [[], []];
  for (let r = 0; r < reps; r++) {
    f.push(timeRun(float, x));
    q.push(timeRun(int8, x));
  }
  console.log(`batch ${N}: float32 ${median(f).toFixed(3)} ms, int8 ${median(q).toFixed(3)} ms = ${(median(f) / median(q)).toFixed(2)}× (medians of ${reps} interleaved runs)`);
  x.dispose();
}

wrapKernels();
for (const [N, reps] of [[64, 30], [1, 1000]]) {
  const x = images(N, 11);
  for (const [name, model] of [['float32', float], ['int8', int8]]) {
    for (const k of Object.keys(inKernel)) delete inKernel[k];
    let total = 0;
    for (let r = 0; r < reps; r++) total += timeRun(model, x);
    const kernels = Object.values(inKernel).reduce((a, b) => a + b, 0);
    const parts = Object.entries(inKernel).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / reps).toFixed(3)}`);
    console.log(`  ${name} batch ${N}: ${(total / reps).toFixed(3)} ms per run; outside kernels ${((total - kernels) / reps).toFixed(3)}; ${parts.join(', ')}`);
  }
  x.dispose();
}
