/**
 * Ad hoc timing of the int8 kernels against the float32 fused kernels on the Fashion-MNIST
 * CNN's layers (run by scripts/bench-int8.mjs; not a test): conv 1→32 3×3 on 28×28, conv
 * 32→64 3×3 on 13×13 (qlinearConv2d vs fusedConv2d with bias and relu), and the dense layers
 * [B,1600]×[1600,128] and [B,128]×[128,10] (qlinearMatmul vs fusedMatmul), at batch 64 and 1,
 * on 1 thread and on every thread. Peers run side by side in one process, interleaved, and
 * each figure is the best batch (the machine may be shared).
 *
 * Where the engine has relaxed SIMD (Node 20: scripts/bench-int8.mjs --relaxed-simd), a second
 * table times the int8 kernels with 7-bit weights ([-64, 63]) on the relaxed-SIMD build (backend
 * 'wasm') against the SIMD128 build (a second backend, relaxedSimd: false), interleaved likewise.
 */
import { getBackend, runKernel, setBackend, setBackendAsync, tensor, type Tensor } from '@mapnn/core';
import { registerBackend } from '@mapnn/core/backend';
import { WasmBackend, relaxedSimdSupported, setWasmThreads, setWasmWorkerUrl } from '../src/index.js';

// the bundle runs from src/generated/, beside the test worker
setWasmWorkerUrl(new URL('./worker.mjs', import.meta.url));

const rand = (n: number, lo: number, hi: number, seed: number) => {
  let s = seed >>> 0 || 1;
  return Array.from({ length: n }, () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return lo + (s % (hi - lo + 1));
  });
};

interface Layer { name: string; float: () => Tensor; int8: () => Tensor; dispose: () => void }

/**
 * Weight range of the int8 layers: 8-bit, or 7-bit for the relaxed-SIMD table — and for the
 * float / int8 table too with MAPNN_BENCH_WEIGHTS=7 (then the relaxed table is left out): that
 * table, with and without the relaxed-SIMD flag, compares the builds across two processes
 * through the float32 kernels each process times beside them.
 */
const WEIGHTS7 = process.env.MAPNN_BENCH_WEIGHTS === '7';
let W_LO = WEIGHTS7 ? -64 : -127, W_HI = WEIGHTS7 ? 63 : 127;

function conv(name: string, N: number, C: number, H: number, F: number): Layer {
  const K = C * 9;
  const xf = tensor(rand(N * C * H * H, -100, 100, 1).map((v) => v / 50), [N, C, H, H], 'float32');
  const wf = tensor(rand(F * K, -100, 100, 2).map((v) => v / 500), [F, C, 3, 3], 'float32');
  const bf = tensor(rand(F, -10, 10, 3).map((v) => v / 100), [F], 'float32');
  const q = [
    tensor(rand(N * C * H * H, 0, 255, 4), [N, C, H, H], 'uint8'), tensor(0.02, [], 'float32'), tensor(128, [], 'uint8'),
    tensor(rand(F * K, W_LO, W_HI, 5), [F, C, 3, 3], 'int8'), tensor(rand(F, 1, 9, 6).map((v) => v / 1000), [F], 'float32'), tensor(new Array(F).fill(0), [F], 'int8'),
    tensor(0.05, [], 'float32'), tensor(0, [], 'uint8'), tensor(rand(F, -500, 500, 7), [F], 'int32'),
  ];
  const attrs = { stride: [1, 1], pads: [0, 0, 0, 0], dilation: [1, 1], groups: 1, activation: 'relu' } as const;
  return {
    name,
    float: () => runKernel('fusedConv2d', [xf, wf, bf], attrs),
    int8: () => runKernel('qlinearConv2d', q, attrs),
    dispose: () => [xf, wf, bf, ...q].forEach((t) => t.dispose()),
  };
}

function dense(name: string, M: number, K: number, N: number): Layer {
  const af = tensor(rand(M * K, -100, 100, 1).map((v) => v / 50), [1, M, K], 'float32'); // the float kernel is batched
  const bf = tensor(rand(K * N, -100, 100, 2).map((v) => v / 500), [1, K, N], 'float32');
  const biasf = tensor(rand(N, -10, 10, 3).map((v) => v / 100), [N], 'float32');
  const q = [
    tensor(rand(M * K, 0, 255, 4), [M, K], 'uint8'), tensor(0.02, [], 'float32'), tensor(128, [], 'uint8'),
    tensor(rand(K * N, W_LO, W_HI, 5), [K, N], 'int8'), tensor(rand(N, 1, 9, 6).map((v) => v / 1000), [N], 'float32'), tensor(new Array(N).fill(0), [N], 'int8'),
    tensor(0.05, [], 'float32'), tensor(0, [], 'uint8'), tensor(rand(N, -500, 500, 7), [N], 'int32'),
  ];
  return {
    name,
    float: () => runKernel('fusedMatmul', [af, bf, biasf], { activation: 'relu' }),
    int8: () => runKernel('qlinearMatmul', q, { activation: 'relu' }),
    dispose: () => [af, bf, biasf, ...q].forEach((t) => t.dispose()),
  };
}

/** Mean ms per run of `reps` back-to-back runs of f (each result read and freed). */
function batch(f: () => Tensor, reps: number): number {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const y = f();
    y.dataSync();
    y.dispose();
  }
  return (performance.now() - t0) / reps;
}

/**
 * The best of `rounds` batches of each peer, the two interleaved: on a machine shared with other
 * busy programs the minimum is the figure least disturbed by them.
 */
function compare(l: Layer, reps: number, rounds: number): [number, number] {
  batch(l.float, reps);
  batch(l.int8, reps);
  let f = Infinity, q = Infinity;
  for (let r = 0; r < rounds; r++) {
    f = Math.min(f, batch(l.float, reps));
    q = Math.min(q, batch(l.int8, reps));
  }
  return [f, q];
}

await setBackendAsync('wasm');
const cores = (await import('node:os')).availableParallelism();
const rows: string[] = [];
for (const threads of [...new Set([1, cores])]) {
  await setWasmThreads(threads);
  for (const B of [64, 1]) {
    const layers = [conv('conv1 1→32 3×3 28×28', B, 1, 28, 32), conv('conv2 32→64 3×3 13×13', B, 32, 13, 64), dense('dense [B,1600]×[1600,128]', B, 1600, 128), dense('dense [B,128]×[128,10]', B, 128, 10)];
    let sumF = 0, sumQ = 0;
    for (const l of layers) {
      const [f, q] = compare(l, B === 64 ? 3 : 40, 12);
      sumF += f; sumQ += q;
      rows.push(`| ${threads} | ${B} | ${l.name} | ${f.toFixed(3)} | ${q.toFixed(3)} | ${(f / q).toFixed(2)}× |`);
      l.dispose();
    }
    rows.push(`| ${threads} | ${B} | **sum of the 4 layers** | ${sumF.toFixed(3)} | ${sumQ.toFixed(3)} | ${(sumF / sumQ).toFixed(2)}× |`);
  }
}
const build = (getBackend() as unknown as WasmBackend).relaxedSimd ? 'relaxed-SIMD build' : 'SIMD128 build';
console.log(`backend ${getBackend().name} (${build}), node ${process.version} ${process.execArgv.join(' ')}, ${cores} cores (shared machine), int8 weights in [${W_LO}, ${W_HI}]`);
console.log('best of 12 interleaved batches; ms per call');
console.log('| threads | batch | layer | float32 fused ms | int8 ms | float / int8 |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(r);

if (WEIGHTS7) {
  // the float / int8 table above is the comparison
} else if (relaxedSimdSupported()) {
  // the same layers with 7-bit weights, int8 on the SIMD128 build ('wasm-simd128') vs the
  // relaxed-SIMD build ('wasm'); each layer's tensors are made on each backend
  W_LO = -64;
  W_HI = 63;
  registerBackend('wasm-simd128', () => WasmBackend.create({ relaxedSimd: false }), { priority: 0 });
  await setBackendAsync('wasm-simd128');
  const relaxedRows: string[] = [];
  for (const threads of [...new Set([1, cores])]) {
    for (const name of ['wasm-simd128', 'wasm']) {
      setBackend(name);
      await setWasmThreads(threads);
    }
    for (const B of [64, 1]) {
      const make = () => [conv('conv1 1→32 3×3 28×28', B, 1, 28, 32), conv('conv2 32→64 3×3 13×13', B, 32, 13, 64), dense('dense [B,1600]×[1600,128]', B, 1600, 128), dense('dense [B,128]×[128,10]', B, 128, 10)];
      setBackend('wasm-simd128');
      const plain = make();
      setBackend('wasm');
      const relaxed = make();
      let sumP = 0, sumR = 0;
      plain.forEach((lp, i) => {
        const lr = relaxed[i]!;
        const peer: Layer = {
          name: lp.name,
          float: () => (setBackend('wasm-simd128'), lp.int8()),
          int8: () => (setBackend('wasm'), lr.int8()),
          dispose: () => {},
        };
        compare(peer, B === 64 ? 3 : 40, 3); // warm-up: each build's module tiers up on its own
        const [p, r] = compare(peer, B === 64 ? 3 : 40, 12);
        sumP += p; sumR += r;
        relaxedRows.push(`| ${threads} | ${B} | ${lp.name} | ${p.toFixed(3)} | ${r.toFixed(3)} | ${(p / r).toFixed(2)}× |`);
      });
      setBackend('wasm-simd128');
      plain.forEach((l) => l.dispose());
      setBackend('wasm');
      relaxed.forEach((l) => l.dispose());
      relaxedRows.push(`| ${threads} | ${B} | **sum of the 4 layers** | ${sumP.toFixed(3)} | ${sumR.toFixed(3)} | ${(sumP / sumR).toFixed(2)}× |`);
    }
  }
  console.log('\nint8 with 7-bit weights [-64, 63]: SIMD128 build vs relaxed-SIMD build (matmul batch 1 takes the small path in both)');
  console.log('| threads | batch | layer | int8 SIMD128 ms | int8 relaxed SIMD ms | SIMD128 / relaxed |');
  console.log('|---|---|---|---|---|---|');
  for (const r of relaxedRows) console.log(r);
} else {
  console.log('\n(no relaxed SIMD in this engine: run scripts/bench-int8.mjs --relaxed-simd for the relaxed-SIMD table)');
}
getBackend().dispose?.();
process.exit(0);
