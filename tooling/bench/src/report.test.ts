import { describe, expect, it } from 'vitest';
import { relDiff, table, timing, type CaseResult } from './report.js';

describe('bench report', () => {
  it('timing: median, min and GFLOP/s from the median', () => {
    const t = timing([4, 1, 3, 2], 2e6); // 2 MFLOP in 2.5 ms
    expect(t.medianMs).toBe(2.5);
    expect(t.minMs).toBe(1);
    expect(t.gflops).toBeCloseTo(0.8);
    expect(t.samples).toEqual([4, 1, 3, 2]);
    expect(timing([5, 1, 9], 1e6).medianMs).toBe(5);
  });

  it('relDiff: max abs difference relative to the reference magnitude', () => {
    expect(relDiff(new Float32Array([1, 2]), new Float32Array([1, 4]))).toBe(0.5);
    expect(relDiff(new Float32Array([NaN]), new Float32Array([1]))).toBeNaN();
    expect(relDiff(new Float32Array(2), new Float32Array(3))).toBe(Infinity);
  });

  it('table: a markdown row per case, skipped cases noted', () => {
    const results: CaseResult[] = [
      { name: 'matmul 2', gflop: 1, mapnn: timing([10], 1e9), tfjs: timing([30], 1e9), speedup: 3, maxRelDiff: 1e-7 },
      { name: 'conv', gflop: 2, skipped: 'no op' },
    ];
    const lines = table(results, 'cpu').split('\n');
    expect(lines[0]).toContain('mapnn-cpu median ms');
    expect(lines[2]).toMatch(/^\| matmul 2 .*\| +100\.00 \| .*\| +3\.00× \|/);
    expect(lines[3]).toContain('skipped');
    expect(lines.at(-1)).toBe('conv: skipped — no op');
  });
});
