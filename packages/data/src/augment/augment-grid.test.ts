import { mkdirSync, writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { fromStorage, Generator, type Tensor } from '@mapnn/core';
import { requireShared } from '../../test/shared-datasets.js';
import { readIdxFile } from '../node/files.js';
import { applyAffine, randomAffine, randomRotation, randomScale, randomTranslation } from './affine.js';
import { cutmix } from './cutmix.js';
import { cutout } from './cutout.js';
import { randomHorizontalFlip, randomVerticalFlip } from './flip.js';
import { gaussianNoise } from './gaussian-noise.js';
import { mixup } from './mixup.js';
import { randomCrop } from './random-crop.js';
import { randomErasing } from './random-erasing.js';

const OUT_DIR = new URL('../../test-output/', import.meta.url);
const N = 8;

/** Every augmentation once, from one seed; returns named batches plus the mixed targets. */
function augmentAll(x: Tensor, labels: number[], seed: number) {
  const g = new Generator(seed);
  const mix = mixup(x, labels, { alpha: 1, numClasses: 10, generator: g });
  const cut = cutmix(x, labels, { alpha: 1, numClasses: 10, generator: g });
  const rows: [string, Tensor][] = [
    ['original', x],
    ['horizontal flip', randomHorizontalFlip(x, { p: 0.5, generator: g })],
    ['vertical flip', randomVerticalFlip(x, { p: 0.5, generator: g })],
    ['rotation ±30° bilinear', randomRotation(x, { degrees: 30, generator: g })],
    ['rotation ±30° nearest', randomRotation(x, { degrees: 30, interpolation: 'nearest', generator: g })],
    ['scale 0.7–1.3', randomScale(x, { scale: [0.7, 1.3], generator: g })],
    ['translation ±20%', randomTranslation(x, { translate: [0.2, 0.2], generator: g })],
    ['affine', randomAffine(x, { degrees: 15, translate: [0.1, 0.1], scale: [0.85, 1.15], generator: g })],
    ['crop, padding 4', randomCrop(x, { padding: 4, generator: g })],
    ['gaussian noise', gaussianNoise(x, { std: 0.15, clip: [0, 1], generator: g })],
    ['cutout 10', cutout(x, { size: 10, generator: g })],
    ['random erasing', randomErasing(x, { p: 1, value: 'random', generator: g })],
    ['mixup', mix.x],
    ['cutmix', cut.x],
  ];
  return { rows, mix, cut };
}

/** Writes batches as a PNG grid: one row per augmentation, one column per image, scaled ×2. */
function writeGrid(rows: [string, Tensor][], file: URL): void {
  const cell = 28 * 2;
  const gap = 4;
  const width = N * (cell + gap) + gap;
  const height = rows.length * (cell + gap) + gap;
  const png = new PNG({ width, height });
  png.data.fill(255);
  rows.forEach(([, t], r) => {
    const d = t.dataSync();
    for (let i = 0; i < N; i++) {
      for (let py = 0; py < cell; py++) {
        for (let px = 0; px < cell; px++) {
          const v = d[i * 784 + Math.floor(py / 2) * 28 + Math.floor(px / 2)]!;
          const grey = Math.max(0, Math.min(255, Math.round(v * 255)));
          const o = ((gap + r * (cell + gap) + py) * width + gap + i * (cell + gap) + px) * 4;
          png.data[o] = png.data[o + 1] = png.data[o + 2] = grey;
          png.data[o + 3] = 255;
        }
      }
    }
  });
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(file, PNG.sync.write(png));
}

describe('augmentation of Fashion-MNIST samples (visual check)', () => {
  it('writes test-output/augment-grid.png; shapes, ranges, determinism and label consistency hold', (ctx) => {
    const dir = requireShared(ctx, 'fashion-mnist/t10k-images-idx3-ubyte.gz', 'fashion-mnist/t10k-labels-idx1-ubyte.gz').replace(/[^/]+$/, '');
    const images = readIdxFile(dir + 't10k-images-idx3-ubyte.gz');
    const labelsIdx = readIdxFile(dir + 't10k-labels-idx1-ubyte.gz');
    const pixels = Float32Array.from(images.data.subarray(0, N * 784), (v) => v / 255);
    const x = fromStorage(pixels, [N, 1, 28, 28], 'float32');
    const labels = Array.from(labelsIdx.data.subarray(0, N));
    expect(labels).toEqual([9, 2, 1, 1, 6, 1, 4, 6]);

    const a = augmentAll(x, labels, 2024);
    const b = augmentAll(x, labels, 2024);
    const c = augmentAll(x, labels, 2025);
    writeGrid(a.rows, new URL('augment-grid.png', OUT_DIR));

    for (const [k, [name, t]] of a.rows.entries()) {
      expect(t.shape, name).toEqual([N, 1, 28, 28]);
      const d = t.dataSync();
      // same seed ⇒ identical tensors
      expect(Buffer.from(d.buffer).equals(Buffer.from(b.rows[k]![1].dataSync().buffer)), name).toBe(true);
      if (name !== 'original') {
        expect(Buffer.from(d.buffer).equals(Buffer.from(c.rows[k]![1].dataSync().buffer)), `${name} differs for another seed`).toBe(false);
      }
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of d) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (name === 'random erasing') expect(lo, name).toBeLessThan(0); // normal-noise patches
      else {
        expect(lo, name).toBeGreaterThanOrEqual(0);
        expect(hi, name).toBeLessThanOrEqual(1);
      }
      expect(hi, name).toBeGreaterThan(0.5);
    }
    // flips only move pixels: the total intensity is unchanged
    const mass = (t: Tensor) => Array.from(t.dataSync()).reduce((s, v) => s + v, 0);
    for (const [name, t] of a.rows.slice(1, 3)) expect(mass(t), name).toBeCloseTo(mass(x), 1);

    // labels: soft targets sum to 1 and weight each image's own class by λ (plus its partner's)
    for (const m of [a.mix, a.cut]) {
      expect(m.y.shape).toEqual([N, 10]);
      const soft = m.y.arraySync() as number[][];
      soft.forEach((row, i) => {
        expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
        const j = m.permutation[i]!;
        const want = new Array(10).fill(0);
        want[labels[i]!] += m.lambda;
        want[labels[j]!] += 1 - m.lambda;
        row.forEach((v, cls) => expect(v).toBeCloseTo(want[cls], 6));
      });
    }
    // the cutmix λ is the unpasted area, and mixup pixels are the λ-blend of the partners
    const { top, bottom, left, right } = a.cut.box;
    expect(a.cut.lambda).toBeCloseTo(1 - ((bottom - top) * (right - left)) / 784, 12);
    const mx = a.mix.x.dataSync();
    expect(mx[300]).toBeCloseTo(a.mix.lambda * pixels[300]! + (1 - a.mix.lambda) * pixels[a.mix.permutation[0]! * 784 + 300]!, 5);
    // a 360° rotation is the identity; 4 × 90° too
    const turn = applyAffine(x, Array(N).fill({ angle: 90, tx: 0, ty: 0, scale: 1 }), { interpolation: 'nearest' });
    let back = turn;
    for (let k = 0; k < 3; k++) back = applyAffine(back, Array(N).fill({ angle: 90, tx: 0, ty: 0, scale: 1 }), { interpolation: 'nearest' });
    expect(Array.from(back.dataSync())).toEqual(Array.from(pixels));
  });
});
