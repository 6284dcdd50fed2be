import { describe, expect, it } from 'vitest';
import { tensor } from '@mapnn/core';
import { loadBreastCancer } from '../datasets/toy-datasets.js';
import { bincount } from '../util/labels.js';
import { smote } from './smote.js';

/** The k nearest same-class neighbours of row `a` (brute force, ties by index). */
function knn(rows: number[][], labels: number[], a: number, k: number): number[] {
  return rows
    .map((r, i) => ({ i, d: r.reduce((s, v, j) => s + (v - rows[a]![j]!) ** 2, 0) }))
    .filter((e) => e.i !== a && labels[e.i] === labels[a])
    .sort((p, q) => p.d - q.d || p.i - q.i)
    .slice(0, k)
    .map((e) => e.i);
}

/** Whether `s` lies on the segment [a, b] (within `tol` relative to the segment length). */
function onSegment(s: number[], a: number[], b: number[], tol: number): boolean {
  const ab = b.map((v, j) => v - a[j]!);
  const len2 = ab.reduce((t, v) => t + v * v, 0);
  if (len2 === 0) return s.every((v, j) => Math.abs(v - a[j]!) <= tol);
  const t = s.reduce((acc, v, j) => acc + (v - a[j]!) * ab[j]!, 0) / len2;
  if (t < -1e-6 || t > 1 + 1e-6) return false;
  const dist2 = s.reduce((acc, v, j) => acc + (v - (a[j]! + t * ab[j]!)) ** 2, 0);
  return Math.sqrt(dist2) <= tol * Math.sqrt(len2) + tol;
}

describe('smote', () => {
  it('each synthetic sample lies on a segment between a minority sample and one of its k nearest minority neighbours (breast cancer)', () => {
    const { x, y } = loadBreastCancer();
    const k = 5;
    const r = smote(x, y, { k, seed: 0 });
    const labels = Array.from(y.dataSync());
    const n = labels.length;
    expect(Array.from(bincount(r.y.dataSync()))).toEqual([357, 357]);
    const out = r.x.arraySync() as number[][];
    const rows = out.slice(0, n);
    expect(rows).toEqual(x.arraySync());
    const minority = labels.map((c, i) => (c === 0 ? i : -1)).filter((i) => i >= 0);
    const neighbours = new Map(minority.map((a) => [a, knn(rows, labels, a, k)]));
    // independent check: search every minority sample and its k neighbours, without using `synthetic`
    const synth = out.slice(n);
    expect(synth).toHaveLength(357 - 212);
    for (const s of synth) {
      const found = minority.some((a) => neighbours.get(a)!.some((b) => onSegment(s, rows[a]!, rows[b]!, 1e-5)));
      expect(found).toBe(true);
    }
    // negative control: moving a synthetic sample off its segment breaks the property
    const moved = synth[0]!.map((v, j) => (j === 1 ? v + 0.5 : v));
    expect(minority.some((a) => neighbours.get(a)!.some((b) => onSegment(moved, rows[a]!, rows[b]!, 1e-5)))).toBe(false);
    // the provenance agrees with the brute-force neighbours
    r.synthetic.from.forEach((a, i) => {
      expect(labels[a]).toBe(0);
      expect(neighbours.get(a)).toContain(r.synthetic.neighbor[i]);
      expect(r.synthetic.gap[i]).toBeGreaterThanOrEqual(0);
      expect(r.synthetic.gap[i]).toBeLessThan(1);
    });
    expect(Array.from(r.y.dataSync().slice(n)).every((c) => c === 0)).toBe(true);
  });

  it('is deterministic per seed, not a copy of the originals, and needs more than k samples', () => {
    const x = tensor([[0, 0], [1, 0], [0, 1], [1, 1], [5, 5], [6, 5], [9, 9], [9, 8], [8, 9], [8, 8], [7, 7]]);
    const y = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1];
    const a = smote(x, y, { k: 2, seed: 4 });
    const b = smote(x, y, { k: 2, seed: 4 });
    expect(a.x.arraySync()).toEqual(b.x.arraySync());
    expect(Array.from(bincount(a.y.dataSync()))).toEqual([7, 7]);
    const c = smote(x, y, { k: 2, seed: 5 });
    expect(c.x.arraySync()).not.toEqual(a.x.arraySync());
    expect(() => smote(x, [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1], { k: 2 })).toThrow(/class 0 has 2 samples; k = 2 neighbours need at least 3/);
    expect(() => smote(tensor([[1], [2]], undefined, 'int32'), [0, 1])).toThrow(/x must be float32 or float64/);
  });
});
