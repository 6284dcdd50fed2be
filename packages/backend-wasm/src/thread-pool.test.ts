import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  add, exp, getBackend, matmul, memory, mul, sum, tensor, tidy, setBackendAsync, unfold2d, type Tensor,
} from '@mapnn/core';
import { setWasmParallelThreshold, setWasmSpinWait, setWasmThreads, threadsSupported, WasmBackend } from './index.js';
import { seededData } from '@mapnn/backend-tests';
import { mulberry32 } from '@mapnn/config/random';

const wasm = () => getBackend() as unknown as WasmBackend;

/** Runs `f` single-threaded and on 4 threads (splitting everything) and returns both results. */
function bothWays(f: () => Tensor): [Float32Array, Float32Array] {
  setWasmParallelThreshold(Infinity);
  const one = tidy(f);
  setWasmParallelThreshold(0);
  const many = tidy(f);
  setWasmParallelThreshold(131072);
  const r: [Float32Array, Float32Array] = [one.dataSync() as Float32Array, many.dataSync() as Float32Array];
  one.dispose();
  many.dispose();
  return r;
}

describe('thread pool', () => {
  beforeAll(async () => {
    await setBackendAsync('wasm');
    await setWasmThreads(4);
  });
  afterAll(() => setWasmParallelThreshold(131072));

  it('runs on shared memory with the requested workers in Node', () => {
    expect(threadsSupported()).toBe(true);
    expect(wasm().shared).toBe(true);
    expect(memory()).toBeDefined();
    expect(wasm().memory()).toMatchObject({ threads: 4, sharedMemory: true });
  });

  it('every thread runs its share of a job exactly once (probe kernel)', () => {
    const be = wasm();
    const out = be.allocBytes(64);
    const counts = () => Array.from(new Int32Array(be.wasmMemory.buffer, out, 4));
    new Int32Array(be.wasmMemory.buffer, out, 16).fill(0);
    be.run('probe', [out], Infinity);
    expect(counts()).toEqual([1, 1, 1, 1]);
    be.run('probe', [out], Infinity, 2); // a job may use fewer threads
    expect(counts()).toEqual([2, 2, 1, 1]);
    // jobs of changing width: a worker left out of one job must neither miss nor repeat the next
    const want = [2, 2, 1, 1];
    const rnd = mulberry32(7);
    for (let i = 0; i < 5000; i++) {
      const nt = 1 + Math.floor(rnd() * 4);
      be.run('probe', [out], Infinity, nt);
      for (let t = 0; t < nt; t++) want[t]!++;
    }
    expect(counts()).toEqual(want);
    be.freeBytes(out);
  });

  it('idle workers spin for the configured time, then sleep, and wake for the next job', async () => {
    const pool = wasm().pool!;
    const job = () => {
      setWasmParallelThreshold(0);
      const x = tensor(Float32Array.from(seededData(4096, 9)));
      const y = tidy(() => mul(x, 2));
      const v = y.dataSync();
      setWasmParallelThreshold(131072);
      x.dispose();
      y.dispose();
      return v[7]!;
    };
    const until = async (cond: () => boolean, ms: number) => {
      const end = Date.now() + ms;
      while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
      return cond();
    };
    try {
      // the default: 1 ms, or MAPNN_WASM_SPIN_WAIT (the shared test config sets 0)
      expect(pool.spinWait).toBe(process.env.MAPNN_WASM_SPIN_WAIT ? Number(process.env.MAPNN_WASM_SPIN_WAIT) : 1);
      setWasmSpinWait(300);
      expect(pool.spinWait).toBe(300);
      job();
      await new Promise((r) => setTimeout(r, 50));
      expect(pool.sleeping, 'workers still spin 50 ms after a job with a 300 ms spin wait').toBe(0);
      expect(await until(() => pool.sleeping === 3, 3000), 'all three workers asleep after the spin wait').toBe(true);
      setWasmSpinWait(0);
      expect(job()).toBeCloseTo(seededData(8, 9)[7]! * 2, 5); // sleepers wake for a job
      expect(await until(() => pool.sleeping === 3, 3000), 'spin wait 0: asleep soon after the job').toBe(true);
      expect(() => setWasmSpinWait(-1)).toThrow('setWasmSpinWait: expected 0 to 1000 ms, got -1');
    } finally {
      setWasmSpinWait(Number(process.env.MAPNN_WASM_SPIN_WAIT ?? 1));
    }
  });

  it('2,000 back-to-back parallel jobs complete with correct results', () => {
    setWasmParallelThreshold(0);
    const a = tensor(Float32Array.from(seededData(1000, 1)));
    let acc = tensor(new Float32Array(1000));
    for (let i = 0; i < 2000; i++) {
      const next = add(acc, a);
      acc.dispose();
      acc = next;
    }
    const got = acc.dataSync();
    const av = a.dataSync();
    for (let i = 0; i < 1000; i += 97) expect(got[i]).toBeCloseTo(av[i]! * 2000, 1);
    a.dispose();
    acc.dispose();
    setWasmParallelThreshold(131072);
  });

  it('split elementwise, broadcast, reduction, unfold and matmul equal the single-threaded results', () => {
    const x = tensor(Float32Array.from(seededData(64 * 300, 2)), [64, 300]);
    const b = tensor(Float32Array.from(seededData(300, 3)), [300]);
    const img = tensor(Float32Array.from(seededData(2 * 3 * 17 * 19, 4)), [2, 3, 17, 19]);
    const w = tensor(Float32Array.from(seededData(300 * 70, 5)), [300, 70]);
    const cases: [string, () => Tensor][] = [
      ['exp', () => exp(x)],
      ['broadcast mul', () => mul(x, b)],
      ['sum rows', () => sum(x, 1)],
      ['sum columns', () => sum(x, 0)],
      ['unfold2d', () => unfold2d(img, { kernel: [3, 3], pads: 1, stride: [2, 1] })],
      ['matmul', () => matmul(x, w)],
    ];
    for (const [name, f] of cases) {
      const [one, many] = bothWays(f);
      expect(Array.from(many), name).toEqual(Array.from(one));
    }
    for (const t of [x, b, img, w]) t.dispose();
  });

  it('an unreachable worker script leaves a working single-threaded backend', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const be = await WasmBackend.create({ threads: 3, workerUrl: new URL('./no-such-worker.mjs', import.meta.url) });
    try {
      expect(be.threadCount).toBe(1);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/running with 1 of 3 threads/));
      const id = be.write(new Float32Array([1, 2, 3]), 'float32');
      expect(Array.from(be.readSync(id))).toEqual([1, 2, 3]);
    } finally {
      be.dispose();
      warn.mockRestore();
    }
  });
});
