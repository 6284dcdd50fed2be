import '@mapnn/backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Generator, setBackend, tensor, tidy } from '@mapnn/core';
import { Linear, ReLU, Sequential } from '@mapnn/layers';
import { SGD } from '@mapnn/optimizers';
import { clusterWeights, l1Unstructured, stripClustering } from '../index.js';
import { kmeans1d, linearInit, nearestCentroid } from './kmeans.js';

beforeAll(() => setBackend('cpu'));

const f32 = (xs: number[]) => Array.from(Float32Array.from(xs));

/** A Linear(inF, outF) with the given weights (row-major) and zero bias. */
function linearWith(w: number[], inF: number, outF: number): Linear {
  const fc = new Linear(inF, outF);
  fc.loadStateDict({ weight: tensor(w, [outF, inF]), bias: tensor(new Array(outF).fill(0), [outF]) });
  return fc;
}

describe('kmeans1d', () => {
  it('starts linearly over [min, max] and converges to the group means', () => {
    expect(Array.from(linearInit(Float64Array.of(-1, 0, 3), 3))).toEqual([-1, 1, 3]);
    const values = [-1.1, -0.9, -1.0, 0.1, -0.1, 0.0, 2.9, 3.1, 3.0, 3.2];
    const r = kmeans1d(values, 3);
    expect(Array.from(r.centroids)).toEqual(f32([-1, 0, 3.05]));
    expect(Array.from(r.assignments)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 2]);
  });

  it('k-means++ is seeded: the same seed gives the same centroids, and it finds well-separated groups', () => {
    const g = new Generator(3);
    const values = Array.from({ length: 300 }, (_, i) => [-5, 0, 5][i % 3]! + 0.1 * g.nextNormal());
    const a = kmeans1d(values, 3, { init: 'kmeans++', seed: 7 });
    const b = kmeans1d(values, 3, { init: 'kmeans++', seed: 7 });
    expect(Array.from(a.centroids)).toEqual(Array.from(b.centroids));
    expect(Array.from(a.centroids).map((v) => Math.round(v) + 0)).toEqual([-5, 0, 5]);
  });

  it('assigns to the nearest centroid, ties to the lower one', () => {
    expect([nearestCentroid([0, 1, 4], -3), nearestCentroid([0, 1, 4], 0.5), nearestCentroid([0, 1, 4], 0.51), nearestCentroid([0, 1, 4], 9)]).toEqual([0, 0, 1, 2]);
  });
});

describe('clusterWeights', () => {
  const W = [-1.0, -0.9, 0.1, 0.0, 2.0, 2.2, -1.1, 0.1]; // [2, 4]

  it('replaces weight by a codebook and indices; the forward uses centroids[indices]', () => {
    const fc = linearWith(W, 4, 2);
    const [c] = clusterWeights(fc, { clusters: 3, zeroCluster: false });
    expect(Object.keys(fc.stateDict()).sort()).toEqual(['bias', 'weight_centroids', 'weight_indices']);
    expect(c!.indices.dtype).toBe('int32');
    const mid = Math.fround(0.2 / 3); // mean of 0.1, 0.0, 0.1 (float32 inputs)
    expect(c!.centroids.dataSync()[1]).toBeCloseTo(mid, 7);
    expect(Array.from(c!.centroids.dataSync())).toEqual([f32([-1])[0], c!.centroids.dataSync()[1], f32([2.1])[0]]);
    expect(Array.from(c!.indices.dataSync())).toEqual([0, 0, 1, 1, 2, 2, 0, 1]);
    const m = c!.centroids.dataSync()[1]!;
    const shared = [-1, -1, m, m, 2.1, 2.1, -1, m].map(Math.fround);
    expect(Array.from(fc.weight.dataSync())).toEqual(shared);
    const y = Array.from(fc.call(tensor([1, 2, 3, 4], [1, 4])).dataSync());
    expect(y[0]).toBeCloseTo(-1 - 2 + 7 * mid, 5);
    expect(y[1]).toBeCloseTo(2.1 + 4.2 - 3 + 4 * mid, 5);
  });

  it('gives each centroid the sum of the gradients of its weights (Han et al. 2016)', () => {
    const x = tensor([0.5, -1, 2, 1.5, 1, 0, -0.5, 2], [2, 4]);
    const dense = linearWith(W, 4, 2);
    const fc = linearWith(W, 4, 2);
    const [c] = clusterWeights(fc, { clusters: 3, zeroCluster: false });
    // same loss on the dense layer with the shared weights
    dense.loadStateDict({ weight: tensor(Array.from(fc.weight.dataSync()), [2, 4]) }, { strict: false });
    tidy(() => dense.call(x).square().sum().backward());
    tidy(() => fc.call(x).square().sum().backward());
    const gw = dense.weight.grad!.dataSync();
    const idx = c!.indices.dataSync();
    const expected = [0, 0, 0];
    for (let i = 0; i < gw.length; i++) expected[idx[i]!] += gw[i]!;
    const got = Array.from(c!.centroids.grad!.dataSync());
    got.forEach((g, j) => expect(g).toBeCloseTo(expected[j]!, 4));
    expect(expected.every((g) => g !== 0)).toBe(true);
  });

  it('keeps pruned zeros as the fixed code 0 through fine-tuning', () => {
    const fc = l1Unstructured(linearWith(W, 4, 2), { amount: 0.5 }); // prunes the 4 smallest: 0.1, 0.0, -0.9?, …
    const zerosBefore = Array.from(fc.weight.dataSync()).map((v) => v === 0);
    const [c] = clusterWeights(fc, { clusters: 3 });
    expect(c!.zeroCluster).toBe(true);
    expect(c!.centroids.size).toBe(3);
    expect(c!.centroids.dataSync()[0]).toBe(0);
    expect(Array.from(c!.indices.dataSync()).map((i) => i === 0)).toEqual(zerosBefore);
    expect(Object.keys(fc.stateDict())).not.toContain('weight_mask');
    const opt = new SGD(fc.parameters(), { lr: 0.1 });
    const x = tensor([1, 2, 3, 4, -1, 0.5, 2, 1], [2, 4]);
    const before = Array.from(c!.centroids.dataSync());
    for (let step = 0; step < 3; step++) {
      opt.zeroGrad();
      tidy(() => fc.call(x).square().sum().backward());
      opt.step();
    }
    const after = Array.from(c!.centroids.dataSync());
    expect(after[0]).toBe(0);
    expect(after[1]).not.toBe(before[1]);
    expect(Array.from(fc.weight.dataSync()).map((v) => v === 0)).toEqual(zerosBefore);
  });

  it('fine-tuning moves the centroids towards lower loss', () => {
    const g = new Generator(1);
    const model = new Sequential(new Linear(8, 16, { generator: g }), new ReLU(), new Linear(16, 1, { generator: g }));
    const x = tensor(Array.from({ length: 64 }, () => g.nextNormal()), [8, 8]);
    const t = tensor(Array.from({ length: 8 }, () => g.nextNormal()), [8, 1]);
    clusterWeights(model, { clusters: 4 });
    const loss = () => tidy(() => model.call(x).sub(t).square().mean().item());
    const opt = new SGD(model.parameters(), { lr: 0.05 });
    const first = loss();
    for (let step = 0; step < 20; step++) {
      opt.zeroGrad();
      tidy(() => model.call(x).sub(t).square().mean().backward());
      opt.step();
    }
    expect(loss()).toBeLessThan(first);
    expect(new Set(Array.from((model as any)[0].weight.dataSync())).size).toBeLessThanOrEqual(4);
  });

  it('stripClustering bakes centroids[indices] into plain weights', () => {
    const model = new Sequential(linearWith(W, 4, 2));
    clusterWeights(model, { clusters: 3 });
    const shared = Array.from((model as any)[0].weight.dataSync());
    expect(stripClustering(model)).toEqual(['0.weight']);
    expect(Object.keys(model.stateDict()).sort()).toEqual(['0.bias', '0.weight']);
    expect(Array.from((model as any)[0].weight.dataSync())).toEqual(shared);
    expect(model.parameters().length).toBe(2);
  });

  it('names the layer in its errors: more clusters than weights, NaN weights, per-layer counts', () => {
    expect(() => clusterWeights(new Sequential(linearWith(W, 4, 2)), { clusters: 9, zeroCluster: false })).toThrow(/Linear '0' asks for 9 clusters but has only 8 weights/);
    expect(() => clusterWeights(new Sequential(linearWith(W, 4, 2)), { clusters: 9 })).toThrow(/Linear '0' asks for 9 clusters but has only 7 nonzero weights/);
    expect(() => clusterWeights(new Sequential(linearWith([NaN, 1, 2, 3, 4, 5, 6, 7], 4, 2)), { clusters: 2 })).toThrow(/'0'.*non-finite value \(NaN\)/);
    expect(() => clusterWeights(new Sequential(linearWith(W, 4, 2)), { clusters: { '1': 2 } })).toThrow(/no cluster count given for Linear '0'/);
    const fc = linearWith(W, 4, 2);
    clusterWeights(fc, { clusters: 2 });
    expect(() => clusterWeights(fc, { clusters: 2, layers: [''] })).toThrow(/already clustered/);
  });
});
