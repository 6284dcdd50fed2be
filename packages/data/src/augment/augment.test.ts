import { describe, expect, it } from 'vitest';
import { Generator, memory, tensor, type Tensor } from '@mapnn/core';
import { applyAffine, randomAffine, randomRotation, randomScale, randomTranslation } from './affine.js';
import { composeAugmentations } from './compose.js';
import { cutmix } from './cutmix.js';
import { cutout } from './cutout.js';
import { randomHorizontalFlip, randomVerticalFlip } from './flip.js';
import { gaussianNoise } from './gaussian-noise.js';
import { mixup } from './mixup.js';
import { randomCrop } from './random-crop.js';
import { randomErasing } from './random-erasing.js';

/** An NCHW batch whose pixel value encodes (image, channel, row, col). */
function codes(n: number, c: number, h: number, w: number, dtype: 'float32' | 'uint8' = 'float32'): Tensor {
  const v = Array.from({ length: n * c * h * w }, (_, i) => i % 251);
  return tensor(v, [n, c, h, w], dtype);
}
const img = (t: Tensor, i: number, ch = 0) => {
  const [, c, h, w] = t.shape as number[];
  const d = Array.from(t.dataSync());
  return Array.from({ length: h! }, (_, r) => d.slice(((i * c! + ch) * h! + r) * w!, ((i * c! + ch) * h! + r + 1) * w!));
};

describe('flips', () => {
  it('flip with p = 1, keep with p = 0, keep the dtype', () => {
    const x = codes(2, 2, 2, 3, 'uint8');
    const h = randomHorizontalFlip(x, { p: 1, seed: 0 });
    expect(h.dtype).toBe('uint8');
    expect(img(h, 1, 1)).toEqual(img(x, 1, 1).map((r) => [...r].reverse()));
    const v = randomVerticalFlip(x, { p: 1, seed: 0 });
    expect(img(v, 0, 1)).toEqual([...img(x, 0, 1)].reverse());
    expect(randomHorizontalFlip(x, { p: 0 }).dataSync()).toEqual(x.dataSync());
  });

  it('decide per image, reproducibly by seed', () => {
    const x = codes(64, 1, 1, 4);
    const a = randomHorizontalFlip(x, { seed: 5 });
    expect(Array.from(randomHorizontalFlip(x, { generator: new Generator(5) }).dataSync())).toEqual(Array.from(a.dataSync()));
    let flipped = 0;
    for (let i = 0; i < 64; i++) if (img(a, i)[0]![0] !== img(x, i)[0]![0]) flipped++;
    expect(flipped).toBeGreaterThan(20);
    expect(flipped).toBeLessThan(44);
  });
});

describe('affine', () => {
  const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);

  it('rotates by 90° counter-clockwise exactly (both interpolations)', () => {
    for (const interpolation of ['nearest', 'bilinear'] as const) {
      const r = applyAffine(x, [{ angle: 90, tx: 0, ty: 0, scale: 1 }], { interpolation });
      expect(img(r, 0)).toEqual([
        [3, 6, 9],
        [2, 5, 8],
        [1, 4, 7],
      ]);
    }
  });

  it('translates by whole pixels with fill, and bilinear interpolates half pixels', () => {
    const t = applyAffine(x, [{ angle: 0, tx: 1, ty: 0, scale: 1 }], { fill: -1 });
    expect(img(t, 0)).toEqual([
      [-1, 1, 2],
      [-1, 4, 5],
      [-1, 7, 8],
    ]);
    const half = applyAffine(x, [{ angle: 0, tx: 0.5, ty: 0, scale: 1 }], { fill: 0 });
    expect(img(half, 0)[1]).toEqual([2, 4.5, 5.5]);
    const zoom = applyAffine(x, [{ angle: 0, tx: 0, ty: 0, scale: 2 }], { interpolation: 'bilinear' });
    expect(img(zoom, 0)[1]).toEqual([4.5, 5, 5.5]);
    expect(applyAffine(x, [null]).dataSync()).toEqual(x.dataSync());
  });

  it('random variants are reproducible, per image, and float', () => {
    const b = codes(4, 1, 8, 8, 'uint8');
    for (const f of [
      (g: Generator) => randomRotation(b, { degrees: 30, generator: g }),
      (g: Generator) => randomScale(b, { scale: [0.8, 1.2], generator: g }),
      (g: Generator) => randomTranslation(b, { translate: [0.2, 0.2], generator: g }),
      (g: Generator) => randomAffine(b, { degrees: 10, translate: [0.1, 0.1], scale: [0.9, 1.1], interpolation: 'nearest', generator: g }),
    ]) {
      const a = f(new Generator(1));
      expect(a.dtype).toBe('float32');
      expect(Array.from(f(new Generator(1)).dataSync())).toEqual(Array.from(a.dataSync()));
      expect(Array.from(f(new Generator(2)).dataSync())).not.toEqual(Array.from(a.dataSync()));
      expect(img(a, 0)).not.toEqual(img(a, 1));
    }
    expect(() => randomRotation(tensor([1, 2]), { degrees: 3 })).toThrow(/expected an NCHW batch \(rank 4\), got shape \[2\]/);
  });
});

describe('randomCrop', () => {
  it('each output is a window of the zero-padded input', () => {
    const x = codes(6, 2, 5, 5);
    const out = randomCrop(x, { padding: 2, seed: 3 });
    expect(out.shape).toEqual([6, 2, 5, 5]);
    for (let i = 0; i < 6; i++) {
      const src = img(x, i, 1);
      const got = img(out, i, 1);
      const padded = (r: number, c: number) => (r < 0 || c < 0 || r >= 5 || c >= 5 ? 0 : src[r]![c]!);
      let match = false;
      for (let top = -2; top <= 2 && !match; top++)
        for (let left = -2; left <= 2 && !match; left++) match = got.every((row, r) => row.every((v, c) => v === padded(top + r, left + c)));
      expect(match, `image ${i}`).toBe(true);
    }
    expect(randomCrop(x, { size: 3, seed: 0 }).shape).toEqual([6, 2, 3, 3]);
    expect(randomCrop(x, { seed: 0 }).dataSync()).toEqual(x.dataSync());
    const edge = randomCrop(tensor([1, 2, 3, 4], [1, 1, 2, 2]), { padding: 1, size: 4, paddingMode: 'edge', seed: 0 });
    expect(img(edge, 0)).toEqual([
      [1, 1, 2, 2],
      [1, 1, 2, 2],
      [3, 3, 4, 4],
      [3, 3, 4, 4],
    ]);
    expect(() => randomCrop(x, { size: 10 })).toThrow(/crop 10×10 is larger than the padded image 5×5/);
  });
});

describe('noise, cutout and erasing', () => {
  it('gaussianNoise has the requested mean and std, and clips', () => {
    const x = tensor(new Float32Array(20000).fill(0.5), [2, 1, 100, 100]);
    const y = Array.from(gaussianNoise(x, { std: 0.1, seed: 0 }).dataSync()).map((v) => v - 0.5);
    const mean = y.reduce((a, b) => a + b) / y.length;
    const sd = Math.sqrt(y.reduce((a, b) => a + (b - mean) ** 2, 0) / y.length);
    expect(Math.abs(mean)).toBeLessThan(0.003);
    expect(Math.abs(sd - 0.1)).toBeLessThan(0.003);
    const clipped = gaussianNoise(x, { std: 1, clip: [0, 1], seed: 0 }).dataSync();
    expect(Math.min(...clipped)).toBe(0);
    expect(Math.max(...clipped)).toBe(1);
  });

  it('cutout zeroes one clipped square per image', () => {
    const x = tensor(new Float32Array(3 * 2 * 8 * 8).fill(1), [3, 2, 8, 8]);
    const y = cutout(x, { size: 4, seed: 2 });
    for (let i = 0; i < 3; i++) {
      const zeros = img(y, i, 0).flat().filter((v) => v === 0).length;
      expect(zeros).toBeGreaterThan(0);
      expect(zeros).toBeLessThanOrEqual(16);
      expect(img(y, i, 1)).toEqual(img(y, i, 0)); // same patch in every channel
    }
    expect(cutout(x, { size: 4, p: 0 }).dataSync()).toEqual(x.dataSync());
  });

  it('randomErasing erases a rectangle within the area bounds', () => {
    const x = tensor(new Float32Array(10 * 32 * 32).fill(1), [10, 1, 32, 32]);
    const y = randomErasing(x, { p: 1, value: 0, seed: 4 });
    for (let i = 0; i < 10; i++) {
      const erased = img(y, i).flat().filter((v) => v === 0).length;
      expect(erased / 1024).toBeGreaterThan(0.01);
      expect(erased / 1024).toBeLessThan(0.4);
    }
    const r = randomErasing(x, { p: 1, value: 'random', seed: 4 });
    expect(Array.from(r.dataSync()).some((v) => v < 0)).toBe(true);
  });
});

describe('mixup and cutmix', () => {
  const x = codes(6, 1, 4, 4);
  const y = [0, 1, 2, 0, 1, 2];

  it('mixup mixes inputs and one-hot targets with the same λ and partner', () => {
    const m = mixup(x, y, { alpha: 0.4, numClasses: 3, seed: 1 });
    expect(m.lambda).toBeGreaterThanOrEqual(0);
    expect(m.lambda).toBeLessThanOrEqual(1);
    expect(m.y.shape).toEqual([6, 3]);
    const xs = Array.from(x.dataSync());
    const xm = Array.from(m.x.dataSync());
    const ym = m.y.arraySync() as number[][];
    for (let i = 0; i < 6; i++) {
      const j = m.permutation[i]!;
      for (let k = 0; k < 16; k++) expect(xm[i * 16 + k]).toBeCloseTo(m.lambda * xs[i * 16 + k]! + (1 - m.lambda) * xs[j * 16 + k]!, 3);
      const want = [0, 0, 0];
      want[y[i]!] += m.lambda;
      want[y[j]!] += 1 - m.lambda;
      ym[i]!.forEach((v, c) => expect(v).toBeCloseTo(want[c]!, 6));
    }
    const again = mixup(x, y, { alpha: 0.4, numClasses: 3, seed: 1 });
    expect(again.lambda).toBe(m.lambda);
    expect(Array.from(again.x.dataSync())).toEqual(xm);
    expect(() => mixup(x, y)).toThrow(/numClasses is needed/);
  });

  it('cutmix pastes the partner box and weights targets by the exact area', () => {
    const m = cutmix(x, y, { numClasses: 3, seed: 6 });
    const { top, bottom, left, right } = m.box;
    expect(m.lambda).toBeCloseTo(1 - ((bottom - top) * (right - left)) / 16, 12);
    for (let i = 0; i < 6; i++) {
      const j = m.permutation[i]!;
      const got = img(m.x, i);
      const own = img(x, i);
      const other = img(x, j);
      got.forEach((row, r) =>
        row.forEach((v, c) => expect(v).toBe(r >= top && r < bottom && c >= left && c < right ? other[r]![c] : own[r]![c])),
      );
      const soft = (m.y.arraySync() as number[][])[i]!;
      expect(soft.reduce((a, b) => a + b)).toBeCloseTo(1, 6);
      expect(soft[y[i]!]).toBeGreaterThanOrEqual(y[i] === y[j] ? 1 - 1e-6 : m.lambda - 1e-6);
    }
    // soft targets in, soft targets out
    const soft = tensor(Array.from({ length: 6 }, (_, i) => [i / 6, 1 - i / 6]));
    const s = cutmix(x, soft, { seed: 6 });
    expect(s.y.shape).toEqual([6, 2]);
  });
});

describe('composeAugmentations', () => {
  it('chains steps and frees intermediate tensors', () => {
    const x = codes(2, 1, 4, 4);
    const g = new Generator(0);
    const aug = composeAugmentations(
      (t) => randomHorizontalFlip(t, { p: 1, generator: g }),
      (t) => randomVerticalFlip(t, { p: 1, generator: g }),
    );
    const before = memory().numTensors;
    const y = aug(x);
    expect(memory().numTensors - before).toBe(1);
    expect(img(y, 1)).toEqual(
      img(x, 1)
        .map((r) => [...r].reverse())
        .reverse(),
    );
  });
});
