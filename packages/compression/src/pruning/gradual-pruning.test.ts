import '@mapnn/backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Generator, randn, setBackend, tensor, tidy, type Tensor } from '@mapnn/core';
import { Linear, ReLU, Sequential } from '@mapnn/layers';
import { Adam } from '@mapnn/optimizers';
import { evaluate, fit, type Callback } from '@mapnn/train';
import { GradualPruning, isPruningStep, polynomialDecaySparsity, preparePruning, sparsityReport } from '../index.js';

beforeAll(() => setBackend('cpu'));

const schedule = { initialSparsity: 0.1, finalSparsity: 0.9, beginStep: 10, endStep: 50, frequency: 10 };

describe('polynomialDecaySparsity', () => {
  it('follows s_t = s_f + (s_i − s_f)(1 − (t − t0)/(nΔt))³ and prunes every Δt steps from t0 to t0 + nΔt', () => {
    const s = [0, 10, 20, 30, 40, 50, 60].map((t) => polynomialDecaySparsity(t, schedule));
    const expected = [0.1, 0.1, 0.9 - 0.8 * 0.75 ** 3, 0.9 - 0.8 * 0.5 ** 3, 0.9 - 0.8 * 0.25 ** 3, 0.9, 0.9];
    s.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
    expect([0, 9, 10, 15, 20, 50, 60].map((t) => isPruningStep(t, schedule))).toEqual([false, false, true, false, true, true, false]);
  });

  it('refuses sparsities outside [0, 1) and an end that is not on the Δt grid', () => {
    expect(() => new GradualPruning({ ...schedule, finalSparsity: 1 })).toThrow(/GradualPruning: finalSparsity must be a fraction in \[0, 1\), got 1/);
    expect(() => new GradualPruning({ ...schedule, initialSparsity: -0.5 })).toThrow(/initialSparsity must be a fraction/);
    expect(() => new GradualPruning({ ...schedule, endStep: 55 })).toThrow(/endStep \(55\) must be beginStep \(10\) plus a multiple of frequency \(10\)/);
    expect(() => new GradualPruning({ ...schedule, frequency: 0 })).toThrow(/frequency must be a positive integer/);
  });
});

/** Three Gaussian blobs in 4-D (seeded). */
function blobs(n: number): { x: Tensor; y: Tensor } {
  const g = new Generator(3);
  const labels = Array.from({ length: n }, (_, i) => i % 3);
  const noise = randn([n, 4], { generator: g }).dataSync();
  const xs = labels.flatMap((c, i) => [0, 1, 2, 3].map((j) => (j === c ? 3 : 0) + noise[i * 4 + j]!));
  return { x: tensor(xs, [n, 4]), y: tensor(labels, [n], 'int32') };
}

const mlp = () => new Sequential(new Linear(4, 16, { generator: new Generator(1) }), new ReLU(), new Linear(16, 3, { generator: new Generator(2) }));

/** Records the sparsity of every target after each batch. */
class SparsityLog implements Callback {
  seen: number[][] = [];
  constructor(private readonly model: Sequential) {}
  onBatchEnd(): void {
    this.seen.push(sparsityReport(this.model).layers.map((r) => r.zeros));
  }
}

describe('GradualPruning in fit', () => {
  it('reaches the final sparsity on every layer along the schedule, masks only growing, and keeps accuracy', async () => {
    const data = blobs(240);
    const model = mlp();
    const pruning = new GradualPruning({ finalSparsity: 0.75, beginStep: 0, endStep: 40, frequency: 10 });
    const log = new SparsityLog(model);
    await fit(model, data, { optimizer: new Adam(model.parameters(), { lr: 0.02 }), loss: 'cross_entropy', epochs: 6, batchSize: 24, callbacks: [pruning, log], seed: 0 });
    expect(pruning.step).toBe(60);
    // after step t (0-based), layer 0 (64 weights) holds round(s_t · 64) zeros
    const zeros0 = log.seen.map((z) => z[0]!);
    expect(zeros0[0]).toBe(0);
    expect(zeros0[10]).toBe(Math.round(64 * polynomialDecaySparsity(10, { finalSparsity: 0.75, endStep: 40, frequency: 10 })));
    expect(zeros0.slice(40)).toEqual(new Array(20).fill(48));
    for (let i = 1; i < zeros0.length; i++) expect(zeros0[i]).toBeGreaterThanOrEqual(zeros0[i - 1]!);
    const report = sparsityReport(model);
    expect(report.layers.map((r) => [r.zeros, r.total])).toEqual([[48, 64], [36, 48]]);
    const { accuracy } = await evaluate(model, data, { loss: 'cross_entropy', metrics: ['accuracy'] });
    expect(accuracy).toBeGreaterThan(0.9);
  });

  it("with scope 'global' reaches the sparsity over all targets together", async () => {
    const data = blobs(48);
    const model = mlp();
    const pruning = new GradualPruning({ finalSparsity: 0.5, beginStep: 0, endStep: 2, frequency: 1, scope: 'global' });
    await fit(model, data, { optimizer: new Adam(model.parameters(), { lr: 0.01 }), loss: 'cross_entropy', epochs: 1, batchSize: 16, callbacks: [pruning], seed: 0 });
    const r = sparsityReport(model);
    expect(r.global).toMatchObject({ zeros: 56, total: 112 });
    expect(r.layers[0]!.zeros).not.toBe(32); // layers lose different shares
    expect(tidy(() => Array.from((model.at(0) as Linear).weight.dataSync())).filter((v) => v === 0)).toHaveLength(r.layers[0]!.zeros);
  });

  it('resumes from a checkpoint: preparePruning readies a fresh model for the pruned state, the step continues', async () => {
    const data = blobs(48);
    const model = mlp();
    const options = { finalSparsity: 0.5, beginStep: 0, endStep: 4, frequency: 2 };
    const first = new GradualPruning(options);
    await fit(model, data, { optimizer: new Adam(model.parameters(), { lr: 0.01 }), loss: 'cross_entropy', epochs: 1, batchSize: 16, callbacks: [first], seed: 0 });
    const state = model.stateDict();
    const saved = JSON.parse(JSON.stringify(first.stateDict()));

    const fresh = mlp();
    expect(preparePruning(fresh, Object.keys(state))).toEqual(['0.weight', '2.weight']);
    fresh.loadStateDict(state);
    const x = data.x.narrow(0, 0, 4);
    expect(Array.from((fresh.call(x) as Tensor).dataSync())).toEqual(Array.from((model.call(x) as Tensor).dataSync()));
    const resumed = new GradualPruning(options);
    resumed.loadStateDict(saved);
    expect(resumed.step).toBe(3);
    await fit(fresh, data, { optimizer: new Adam(fresh.parameters(), { lr: 0.01 }), loss: 'cross_entropy', epochs: 1, batchSize: 16, callbacks: [resumed], seed: 1 });
    expect(sparsityReport(fresh).layers.map((r) => r.zeros)).toEqual([32, 24]); // step 4 reached s_f
    expect(() => preparePruning(mlp(), ['9.weight_orig', '9.weight_mask'])).toThrow(/preparePruning: '9.weight_orig' names module '9', which Sequential does not have/);
  });
});
