import { afterEach, describe, expect, it, vi } from 'vitest';
import { dispose, memoryStep, noGrad, randn, setDebugMemory, tidy, type MemoryGrowthReport, type Tensor } from '../index.js';
import { debugMemoryFromEnv } from './debug-memory.js';

/** A 2-layer MLP trained by hand-written SGD: the newcomer's loop, with or without tidy. */
function makeLoop() {
  const X = randn([8, 4]);
  const Y = randn([8, 1]);
  const params = [randn([4, 6]), randn([6]), randn([6, 1]), randn([1])].map((p) => p.requiresGrad_());
  const [w1, b1, w2, b2] = params as [Tensor, Tensor, Tensor, Tensor];
  const step = () => {
    const err = X.matmul(w1).add(b1).relu().matmul(w2).add(b2).sub(Y);
    const loss = err.mul(err).mean();
    loss.backward();
    noGrad(() => {
      for (const p of params) {
        p.assign(p.sub(p.grad!.mul(0.01)));
        p.grad!.dispose();
        p.grad = null;
      }
    });
  };
  return { step, free: () => dispose([X, Y, ...params]) };
}

function watch(steps?: number) {
  const reports: { message: string; report: MemoryGrowthReport }[] = [];
  setDebugMemory({ steps, warn: (message, report) => reports.push({ message, report }) });
  return reports;
}

afterEach(() => setDebugMemory(false));

describe('memory debug mode', () => {
  it('warns once when a loop without tidy leaks, naming the ops that made the leaked tensors', () => {
    const reports = watch();
    const { step, free } = makeLoop();
    for (let i = 0; i < 30; i++) step();
    expect(reports).toHaveLength(1); // not once a step
    const { message, report } = reports[0]!;
    expect(report.steps).toBe(5);
    expect(report.to).toBeGreaterThan(report.from);
    const ops = report.ops.map((o) => o.op);
    expect(ops).toEqual(expect.arrayContaining(['matmul', 'add', 'maximum', 'sub', 'mul']));
    expect(message).toMatch(/live tensors grew for 5 steps in a row/);
    expect(message).toMatch(/matmul ×2 \(\[1,8,6\] float32/);
    expect(message).toMatch(/tidy/);
    free();
  });

  it('reports a streak that goes on again only after 10× as many steps', () => {
    const reports = watch(2);
    const { step, free } = makeLoop();
    for (let i = 0; i < 25; i++) step();
    expect(reports.map((r) => r.report.steps)).toEqual([2, 20]);
    free();
  });

  it('stays silent for the same loop wrapped in tidy', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      setDebugMemory(true);
      const { step, free } = makeLoop();
      for (let i = 0; i < 30; i++) tidy(step);
      expect(warn).not.toHaveBeenCalled();
      free();
    } finally {
      warn.mockRestore();
    }
  });

  it('uses console.warn by default, and does nothing while off', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const leaked: Tensor[] = [];
      for (let i = 0; i < 10; i++) {
        leaked.push(randn([2]));
        memoryStep();
      }
      expect(warn).not.toHaveBeenCalled();
      setDebugMemory(true);
      for (let i = 0; i < 10; i++) {
        leaked.push(randn([2]));
        memoryStep();
      }
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/randn ×1 \(\[2\] float32\)/);
      dispose(leaked);
    } finally {
      warn.mockRestore();
    }
  });

  it('MAPNN_DEBUG_MEMORY turns it on; bad steps are a RangeError', () => {
    expect(debugMemoryFromEnv({ MAPNN_DEBUG_MEMORY: '1' })).toBe(true);
    expect(debugMemoryFromEnv({ MAPNN_DEBUG_MEMORY: 'true' })).toBe(true);
    expect(debugMemoryFromEnv({ MAPNN_DEBUG_MEMORY: '0' })).toBe(false);
    expect(debugMemoryFromEnv({})).toBe(false);
    expect(debugMemoryFromEnv(undefined)).toBe(false);
    expect(() => setDebugMemory({ steps: 1 })).toThrow(/setDebugMemory: steps must be an integer >= 2, got 1/);
  });
});
