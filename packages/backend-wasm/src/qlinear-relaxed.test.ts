/**
 * The relaxed-SIMD int8 GEMM (assembly/qgemm-relaxed.ts): its detection, and bit-exactness of
 * qlinearMatmul / qlinearConv2d on it against the contract's reference and the SIMD128 build.
 *
 * Node 20's V8 has relaxed SIMD only behind --experimental-wasm-relaxed-simd, so in a plain run
 * this file checks that the SIMD128 build is chosen and then re-runs itself in a child vitest
 * whose workers run with the flag (MAPNN_RELAXED_SIMD_CHILD=1), whose whole exactness suite
 * must pass; where the engine has relaxed SIMD by default, the suite runs here.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBackend, runKernel, setBackend, setBackendAsync, tensor, type KernelAttrs, type Tensor } from '@mapnn/core';
import { registerBackend } from '@mapnn/core/backend';
import { seededData } from '@mapnn/backend-tests';
import { WasmBackend, relaxedSimdSupported, setWasmParallelThreshold, setWasmThreads } from './index.js';
import { int8GemmPath } from './kernels/quant.js';
import { kernelBytes } from './wasm-binary.js';
import {
  QRANGE, convOutSize, qlinearConv2dRef, qlinearMatmulRef, type ConvGeo, type QDType, type QParams,
} from '../test/qlinear-reference.js';

const CHILD = process.env.MAPNN_RELAXED_SIMD_CHILD === '1';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Seeded integers in [lo, hi], the ends included at the first two positions. */
function ints(n: number, lo: number, hi: number, seed: number): number[] {
  const out = Array.from(seededData(n, seed), (v) => Math.min(hi, lo + Math.floor(((v + 1) / 2) * (hi - lo + 1))));
  if (n > 0) out[0] = lo;
  if (n > 1) out[1] = hi;
  return out;
}
const range = (d: QDType) => QRANGE[d];

function expectSame(got: ArrayLike<number>, want: readonly number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  const bad = want.findIndex((v, i) => got[i] !== v);
  if (bad >= 0) expect(`${what}: [${bad}] = ${got[bad]}`).toBe(`${what}: [${bad}] = ${want[bad]}`);
}

interface Variant { x: QDType; y: QDType; perChannel: boolean; bias: boolean; relu: boolean }
const VARIANTS: Variant[] = [
  { x: 'uint8', y: 'uint8', perChannel: false, bias: false, relu: false },
  { x: 'int8', y: 'int8', perChannel: true, bias: true, relu: false },
  { x: 'uint8', y: 'int8', perChannel: true, bias: true, relu: true },
  { x: 'int8', y: 'uint8', perChannel: false, bias: true, relu: true },
];

function params(v: Variant, channels: number, k: number, seed: number): QParams {
  const r = seededData(2 * channels + 2, seed);
  const c = v.perChannel ? channels : 1;
  return {
    xScale: 0.02,
    xZp: v.x === 'uint8' ? 131 : -3,
    wScale: Array.from({ length: c }, (_, i) => 0.01 * (1.5 + r[i]!)),
    wZp: Array.from({ length: c }, (_, i) => Math.round(r[channels + i]! * 6)),
    yScale: Math.fround((0.0002 * 75 * 40 * Math.sqrt(Math.max(k, 1))) / 40),
    yZp: v.y === 'uint8' ? 120 : 5,
    yDtype: v.y,
    bias: v.bias ? Array.from({ length: channels }, (_, i) => Math.round(r[(i * 7) % r.length]! * 20000)) : undefined,
    relu: v.relu,
  };
}

function qInputs(x: Tensor, w: Tensor, p: QParams, perChannel: boolean): Tensor[] {
  const shape = perChannel ? [p.wScale.length] : [];
  const ts = [
    x, tensor(p.xScale, [], 'float32'), tensor(p.xZp, [], x.dtype), w, tensor(p.wScale, shape, 'float32'),
    tensor(p.wZp, shape, 'int8'), tensor(p.yScale, [], 'float32'), tensor(p.yZp, [], p.yDtype),
  ];
  if (p.bias) ts.push(tensor(p.bias, [p.bias.length], 'int32'));
  return ts;
}

/** The op's output values on `backend` for inputs made there by `make`. */
function on(backend: string, op: string, make: () => Tensor[], attrs: KernelAttrs): number[] {
  setBackend(backend);
  const ts = make();
  const y = runKernel(op, ts, attrs);
  const v = Array.from(y.dataSync() as ArrayLike<number>);
  [...ts, y].forEach((t) => t.dispose());
  return v;
}

/**
 * Shapes around the tile (4×8), the k quads, the blocks (KC 512, MC 128, NC 256) and K = 0
 * (k < 32 or m ≤ 2 run the dot_i16x8 GEMM in the relaxed build too: their results must agree alike).
 */
const MATMUL_SHAPES: [number, number, number][] = [
  [3, 1, 1], [3, 5, 9], [4, 16, 8], [5, 17, 13], [7, 3, 7], [64, 1600, 128], [130, 33, 260], [7, 1025, 9],
  [3, 1025, 17], [9, 0, 10], [33, 511, 17], [12, 513, 40], [6, 4, 257], [8, 515, 256], [129, 1030, 9],
];
const CONV_GEOS: ConvGeo[] = [
  { N: 2, C: 1, H: 28, W: 28, F: 32, kh: 3, kw: 3, stride: [1, 1], pads: [0, 0, 0, 0], dilation: [1, 1], groups: 1 },
  { N: 1, C: 32, H: 13, W: 13, F: 64, kh: 3, kw: 3, stride: [1, 1], pads: [0, 0, 0, 0], dilation: [1, 1], groups: 1 },
  { N: 2, C: 3, H: 9, W: 11, F: 5, kh: 3, kw: 3, stride: [1, 1], pads: [1, 1, 1, 1], dilation: [1, 1], groups: 1 },
  { N: 1, C: 6, H: 10, W: 9, F: 6, kh: 3, kw: 2, stride: [2, 3], pads: [2, 0, 1, 3], dilation: [1, 1], groups: 2 },
  { N: 2, C: 5, H: 6, W: 7, F: 9, kh: 1, kw: 1, stride: [1, 1], pads: [0, 0, 0, 0], dilation: [1, 1], groups: 1 },
  { N: 1, C: 70, H: 5, W: 6, F: 20, kh: 3, kw: 3, stride: [1, 1], pads: [1, 1, 1, 1], dilation: [1, 1], groups: 1 },
  { N: 2, C: 8, H: 9, W: 10, F: 10, kh: 3, kw: 3, stride: [2, 1], pads: [1, 2, 0, 1], dilation: [1, 2], groups: 2 },
  { N: 2, C: 40, H: 5, W: 7, F: 11, kh: 1, kw: 1, stride: [1, 1], pads: [0, 0, 0, 0], dilation: [1, 1], groups: 1 },
];

describe('relaxed SIMD detection', () => {
  it('picks the build the engine validates, reports it, and honours relaxedSimd: false', async () => {
    const supported = relaxedSimdSupported();
    expect(supported).toBe(WebAssembly.validate(kernelBytes(true)));
    expect(WebAssembly.validate(kernelBytes(false))).toBe(true);
    if (CHILD) expect(supported).toBe(true); // the child runs with --experimental-wasm-relaxed-simd
    else if (process.versions.node.startsWith('20.')) expect(supported).toBe(false); // Node 20's V8 ships it off
    const auto = await WasmBackend.create({ threads: 1 });
    const plain = await WasmBackend.create({ threads: 1, relaxedSimd: false });
    try {
      expect(auto.relaxedSimd).toBe(supported);
      expect(auto.memory().relaxedSimd).toBe(supported);
      expect(plain.relaxedSimd).toBe(false);
      expect(plain.memory().relaxedSimd).toBe(false);
    } finally {
      auto.dispose();
      plain.dispose();
    }
    if (!supported) await expect(WasmBackend.create({ threads: 1, relaxedSimd: true })).rejects.toThrow(/relaxedSimd: true.*--experimental-wasm-relaxed-simd/);
  });

  if (!CHILD && !relaxedSimdSupported()) {
    it('runs the exactness suite in a child node with --experimental-wasm-relaxed-simd', () => {
      const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
      // vitest's workers get the V8 flag through --execArgv; the verbose reporter alone (no JSON
      // report: the parent's test-results/vitest.json counts this file once)
      const args = [vitest, 'run', 'src/qlinear-relaxed.test.ts', '--execArgv=--experimental-wasm-relaxed-simd', '--reporter=verbose'];
      const r = spawnSync(process.execPath, args, {
        cwd: root,
        env: { ...process.env, MAPNN_RELAXED_SIMD_CHILD: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
        encoding: 'utf8',
        timeout: 240_000,
      });
      const out = `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
      expect(r.status, out.slice(-4000)).toBe(0);
      // the child ran the whole suite (nothing skipped): detection + 5 exactness tests, on 1 and 3 threads
      expect(out).toMatch(/Tests\s+11 passed \(11\)/);
    }, 300_000);
  }
});

if (CHILD || relaxedSimdSupported()) {
  registerBackend('wasm-simd128', () => WasmBackend.create({ relaxedSimd: false }), { priority: 0 });
  for (const threads of [1, 3]) {
    describe(`the relaxed int8 GEMM is bit-exact (${threads} thread${threads > 1 ? 's' : ''})`, () => {
      beforeAll(async () => {
        await setBackendAsync('wasm-simd128');
        await setBackendAsync('wasm');
        await setWasmThreads(threads);
        setWasmParallelThreshold(0);
      });
      afterAll(() => {
        setWasmParallelThreshold(131072);
        setBackend('wasm');
      });

      it('runs on the relaxed build for 7-bit weights only', () => {
        const be = getBackend() as unknown as WasmBackend;
        expect(be.relaxedSimd).toBe(true);
        const w7 = tensor(ints(40, -64, 63, 1), [5, 8], 'int8');
        const w8 = tensor([...ints(39, -64, 63, 2), 64], [5, 8], 'int8');
        const wNeg = tensor([-65, ...ints(39, -64, 63, 3)], [5, 8], 'int8');
        const info = (t: Tensor) => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype }) as Parameters<typeof int8GemmPath>[1];
        expect(int8GemmPath(be, info(w7))).toBe('relaxed');
        expect(int8GemmPath(be, info(w8))).toBe('dot_i16x8');
        expect(int8GemmPath(be, info(wNeg))).toBe('dot_i16x8');
        [w7, w8, wNeg].forEach((t) => t.dispose());
      });

      it('qlinearMatmul with 7-bit weights equals the reference and the SIMD128 build', () => {
        MATMUL_SHAPES.forEach(([m, k, n], si) => {
          VARIANTS.forEach((v, vi) => {
            const seed = 100 * si + vi + 1;
            const a = ints(m * k, ...range(v.x), seed);
            const b = ints(k * n, -64, 63, seed + 7);
            const p = params(v, n, k, seed + 13);
            const make = () => qInputs(tensor(a, [m, k], v.x), tensor(b, [k, n], 'int8'), p, v.perChannel);
            const attrs = { activation: p.relu ? 'relu' : 'none' } as const;
            const what = `[${m},${k}]×[${k},${n}] ${JSON.stringify(v)}`;
            const got = on('wasm', 'qlinearMatmul', make, attrs);
            expectSame(got, qlinearMatmulRef(a, b, m, k, n, p), what);
            expectSame(got, on('wasm-simd128', 'qlinearMatmul', make, attrs), `${what} vs SIMD128`);
          });
        });
      });

      it('qlinearConv2d with 7-bit weights equals the reference and the SIMD128 build', () => {
        CONV_GEOS.forEach((g, gi) => {
          VARIANTS.forEach((v, vi) => {
            const seed = 1000 + 10 * gi + vi;
            const K = (g.C / g.groups) * g.kh * g.kw;
            const x = ints(g.N * g.C * g.H * g.W, ...range(v.x), seed);
            const w = ints(g.F * K, -64, 63, seed + 3);
            const p = params(v, g.F, K, seed + 5);
            const make = () => qInputs(tensor(x, [g.N, g.C, g.H, g.W], v.x), tensor(w, [g.F, g.C / g.groups, g.kh, g.kw], 'int8'), p, v.perChannel);
            const attrs = { stride: g.stride, pads: g.pads, dilation: g.dilation, groups: g.groups, activation: p.relu ? 'relu' : 'none' } as const;
            const what = `${JSON.stringify(g)} ${JSON.stringify(v)}`;
            const got = on('wasm', 'qlinearConv2d', make, attrs);
            expect(got.length).toBe(g.N * g.F * convOutSize(g).reduce((s, d) => s * d, 1));
            expectSame(got, qlinearConv2dRef(x, w, g, p), what);
            expectSame(got, on('wasm-simd128', 'qlinearConv2d', make, attrs), `${what} vs SIMD128`);
          });
        });
      });

      it('is exact at the extremes of the i7 × i8 products (no i16 pair saturates), ties and saturation', () => {
        // every product −128·63 or 127·(−64): pair sums ±16 000 and more, accumulators far past i16
        const [m, k, n] = [9, 1030, 19];
        for (const [xd, xv, wv] of [['int8', -128, 63], ['int8', 127, -64], ['uint8', 0, 63], ['uint8', 255, -64], ['int8', -128, -64]] as const) {
          const a = new Array(m * k).fill(xv);
          const b = new Array(k * n).fill(wv);
          for (const wScale of [1e-6, 1, 1000]) {
            const p: QParams = { xScale: 1, xZp: xd === 'uint8' ? 7 : -5, wScale: [wScale], wZp: [3], yScale: 1, yZp: 0, yDtype: 'int8', relu: false };
            const make = () => qInputs(tensor(a, [m, k], xd), tensor(b, [k, n], 'int8'), p, false);
            expectSame(on('wasm', 'qlinearMatmul', make, {}), qlinearMatmulRef(a, b, m, k, n, p), `${xd} ${xv} × ${wv}, scale ${wScale}`);
          }
        }
        // multiplier 0.5 and odd accumulators: ties, rounded half to even
        const [tm, tk, tn] = [6, 35, 11];
        const a = ints(tm * tk, -3, 3, 41);
        const b = ints(tk * tn, -3, 3, 42);
        const p: QParams = { xScale: 1, xZp: 0, wScale: [0.5], wZp: [0], yScale: 1, yZp: 0, yDtype: 'int8', relu: false };
        const acc = qlinearMatmulRef(a, b, tm, tk, tn, { ...p, wScale: [1] });
        expect(acc.filter((v) => Math.abs(v % 2) === 1).length).toBeGreaterThan(10);
        const make = () => qInputs(tensor(a, [tm, tk], 'int8'), tensor(b, [tk, tn], 'int8'), p, false);
        expectSame(on('wasm', 'qlinearMatmul', make, {}), qlinearMatmulRef(a, b, tm, tk, tn, p), 'ties');
      });

      it('8-bit weights (outside [-64, 63]) take the dot_i16x8 GEMM, still exact', () => {
        const [m, k, n] = [17, 70, 23];
        const a = ints(m * k, 0, 255, 71);
        const b = ints(k * n, -128, 127, 72);
        const p = params(VARIANTS[2]!, n, k, 73);
        const make = () => qInputs(tensor(a, [m, k], 'uint8'), tensor(b, [k, n], 'int8'), p, true);
        expectSame(on('wasm', 'qlinearMatmul', make, { activation: 'relu' }), qlinearMatmulRef(a, b, m, k, n, p), '8-bit weights');
      });
    });
  }
}
