import '@mapnn/backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Generator, setBackend, tensor, tidy } from '@mapnn/core';
import { Linear, ReLU, Sequential } from '@mapnn/layers';
import { clusterWeights, decodeDeepCompressed, deepCompress, encodeDeepCompressed, l1Unstructured, loadDeepCompressed } from '../index.js';
import { fromGaps, MAX_GAP, toGaps } from './gaps.js';

beforeAll(() => setBackend('cpu'));

const mlp = (seed: number, hidden = 48, inputs = 64) => {
  const g = new Generator(seed);
  return new Sequential(new Linear(inputs, hidden, { generator: g }), new ReLU(), new Linear(hidden, 10, { generator: g }));
};
const weights = (m: Sequential, i: number): number[] => Array.from(tidy(() => (m as any)[i].weight.dataSync()) as Float32Array);

describe('relative indexing (gaps)', () => {
  it('stores the zeros before each value, with escapes for long runs, and inverts exactly', () => {
    const codes = new Int32Array(600);
    codes[0] = 3; codes[4] = 1; codes[300] = 2; codes[599] = 5;
    const { gaps, values } = toGaps(codes, 0);
    expect(Array.from(values)).toEqual([3, 1, 2, 5]);
    // 295 zeros before index 300: one escape (255) then 40; 298 before 599: escape then 43
    expect(Array.from(gaps)).toEqual([0, 3, MAX_GAP, 40, MAX_GAP, 43]);
    expect(Array.from(fromGaps(gaps, values, 0, 600))).toEqual(Array.from(codes));
    expect(() => fromGaps([700], [1], 0, 600)).toThrow(/points past the 600 entries/);
  });
});

describe('Deep Compression file', () => {
  it('decodes the clustered weights exactly (zero cluster and dense cluster alike) and loads them bit-exactly', () => {
    const m = mlp(1);
    l1Unstructured((m as any)[0], { amount: 0.8 });
    clusterWeights(m, { clusters: 8 }); // layer 0 pruned → zero code; layer 2 dense
    const bytes = encodeDeepCompressed(m);
    const decoded = decodeDeepCompressed(bytes);
    expect(Object.keys(decoded).sort()).toEqual(['0.bias', '0.weight', '2.bias', '2.weight']);
    expect(Array.from(decoded['0.weight']!.data)).toEqual(weights(m, 0));
    expect(Array.from(decoded['2.weight']!.data)).toEqual(weights(m, 2));
    expect(decoded['0.weight']!.shape).toEqual([48, 64]);
    const fresh = loadDeepCompressed(mlp(9), bytes);
    const x = tensor(Array.from({ length: 128 }, (_, i) => Math.sin(i)), [2, 64]);
    expect(Array.from(fresh.call(x).dataSync())).toEqual(Array.from(m.call(x).dataSync()));
  });

  it('refuses a pruned model that is not clustered, and bytes that are not its format', () => {
    const m = mlp(2);
    l1Unstructured((m as any)[0], { amount: 0.5 });
    expect(() => encodeDeepCompressed(m)).toThrow(/Linear '0' is pruned but not clustered/);
    expect(() => decodeDeepCompressed(new Uint8Array(16))).toThrow(/not a Deep Compression file/);
  });
});

describe('deepCompress', () => {
  it('reports the bytes of each stage, each smaller, and the file holds the final model', async () => {
    const m = mlp(3, 128, 256); // large enough that the file's JSON header (~0.6 kB) is amortized
    const stages: string[] = [];
    const r = await deepCompress(m, { sparsity: 0.9, clusters: 16, fineTune: (_, s) => void stages.push(s) });
    expect(stages).toEqual(['pruned', 'clustered']);
    expect(r.stages.map((s) => s.stage)).toEqual(['dense', 'pruned', 'clustered', 'huffman']);
    expect(r.stages[0]!.bytes).toBe((256 * 128 + 128 + 128 * 10 + 10) * 4);
    for (let i = 1; i < 4; i++) expect(r.stages[i]!.bytes).toBeLessThan(r.stages[i - 1]!.bytes);
    expect(r.stages[3]!.bytes).toBe(r.bytes.length);
    expect(r.stages[3]!.ratio).toBeGreaterThan(8);
    expect(r.table).toMatch(/huffman/);
    // every layer: 10 % of weights kept, at most 15 nonzero codes + the zero code
    const w = weights(m, 0);
    expect(w.filter((v) => v !== 0).length).toBe(256 * 128 - Math.round(0.9 * 256 * 128));
    expect(new Set(w).size).toBeLessThanOrEqual(16);
    expect(Array.from(decodeDeepCompressed(r.bytes)['0.weight']!.data)).toEqual(w);
  });

  it('needs a sparsity or a pruned model, and checks the sparsity naming the layer', async () => {
    await expect(deepCompress(mlp(4), { clusters: 4 })).rejects.toThrow(/give a sparsity, or prune the model first/);
    await expect(deepCompress(mlp(4), { sparsity: 1, clusters: 4 })).rejects.toThrow(/Linear '0'.*\[0, 1\), got 1/);
  });
});
