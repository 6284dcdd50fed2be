import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { requireShared } from '../../test/shared-datasets.js';
import { encodeIdx, parseIdx } from '../readers/idx.js';
import { bincount } from '../util/labels.js';
import { readIdxFile } from './files.js';
import { loadFashionMnist, loadMnist } from './mnist.js';

const FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'].map(
  (f) => `fashion-mnist/${f}`,
);

const tmp = mkdtempSync(join(tmpdir(), 'mapnn-mnist-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('Fashion-MNIST from the shared IDX files', () => {
  it('train: 60,000 × 28 × 28 images, 6,000 per class, first labels 9, 0, 0, 3', { timeout: 20_000 }, async (ctx) => {
    const dir = requireShared(ctx, ...FILES).replace(/[^/]+$/, '');
    const train = await loadFashionMnist({ dir, split: 'train', dtype: 'uint8' });
    expect(train.x.shape).toEqual([60000, 28, 28]);
    expect(train.x.dtype).toBe('uint8');
    expect(train.y.shape).toEqual([60000]);
    expect(train.y.dtype).toBe('int32');
    const y = train.y.dataSync();
    expect(Array.from(bincount(y))).toEqual(Array(10).fill(6000));
    expect(Array.from(y.slice(0, 4))).toEqual([9, 0, 0, 3]);
    expect(train.classNames[9]).toBe('Ankle boot');
    const px = train.x.dataSync();
    let max = 0;
    for (let i = 0; i < px.length; i++) if (px[i]! > max) max = px[i]!;
    expect(max).toBe(255);
    train.x.dispose();
    train.y.dispose();
  });

  it('test: 10,000 images, 1,000 per class, first labels 9, 2, 1, 1; float32 in [0, 1] with a channel dim', { timeout: 20_000 }, async (ctx) => {
    const dir = requireShared(ctx, ...FILES).replace(/[^/]+$/, '');
    const test = await loadFashionMnist({ dir, split: 'test', channelDim: true });
    expect(test.x.shape).toEqual([10000, 1, 28, 28]);
    expect(test.x.dtype).toBe('float32');
    const y = test.y.dataSync();
    expect(Array.from(bincount(y))).toEqual(Array(10).fill(1000));
    expect(Array.from(y.slice(0, 4))).toEqual([9, 2, 1, 1]);
    const px = test.x.dataSync();
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < px.length; i++) {
      if (px[i]! < lo) lo = px[i]!;
      if (px[i]! > hi) hi = px[i]!;
    }
    expect([lo, hi]).toEqual([0, 1]);
    test.x.dispose();
    test.y.dispose();
  });

  it('the browser-safe parser (fflate + CRC check) reads the same test set as the Node reader', (ctx) => {
    const dir = requireShared(ctx, ...FILES).replace(/[^/]+$/, '');
    for (const f of ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) {
      const browser = parseIdx(new Uint8Array(readFileSync(dir + f)), { name: f });
      const node = readIdxFile(dir + f);
      expect(browser.shape).toEqual(node.shape);
      expect(Buffer.from(browser.data.buffer).equals(Buffer.from(node.data.buffer))).toBe(true);
    }
  });

  it('gives clear errors for truncated and corrupted copies of the real files', (ctx) => {
    const labels = requireShared(ctx, 'fashion-mnist/t10k-labels-idx1-ubyte.gz');
    const bytes = readFileSync(labels);
    const truncated = join(tmp, 'truncated-labels.gz');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 100));
    expect(() => readIdxFile(truncated)).toThrow(/truncated-labels\.gz: truncated or corrupted gzip data/);
    const corrupted = join(tmp, 'corrupted-labels.gz');
    const bad = Buffer.from(bytes);
    bad[2000]! ^= 0xff;
    writeFileSync(corrupted, bad);
    expect(() => readIdxFile(corrupted)).toThrow(/corrupted-labels\.gz: truncated or corrupted gzip data/);
    // a complete gzip stream whose IDX payload is short: the IDX check catches it
    const raw = readIdxFile(labels);
    const shortPayload = join(tmp, 'short-payload.gz');
    writeFileSync(shortPayload, gzipSync(encodeIdx(raw).subarray(0, 5000)));
    expect(() => readIdxFile(shortPayload)).toThrow(
      /short-payload\.gz: truncated IDX file: the header declares shape \[10000\] of uint8 \(10000 bytes of data\) but only 4992 bytes follow the header/,
    );
  });
});

describe('loadMnist / loadFashionMnist on local folders', () => {
  it('reads uncompressed files too, and checks pairs, magic numbers and label ranges', async () => {
    const dir = join(tmp, 'tiny');
    const n = 3;
    const imgs = { dtype: 'uint8' as const, shape: [n, 28, 28], data: Uint8Array.from({ length: n * 784 }, (_, i) => i % 256) };
    const labels = { dtype: 'uint8' as const, shape: [n], data: new Uint8Array([7, 0, 9]) };
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), encodeIdx(imgs));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdx(labels));
    const d = await loadMnist({ dir, split: 'test', dtype: 'uint8' });
    expect(d.x.shape).toEqual([3, 28, 28]);
    expect(Array.from(d.y.dataSync())).toEqual([7, 0, 9]);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdx({ ...labels, data: new Uint8Array([7, 0, 12]) }));
    await expect(loadMnist({ dir, split: 'test' })).rejects.toThrow(/label 2 is 12, outside 0–9/);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdx({ ...labels, shape: [2], data: new Uint8Array([7, 0]) }));
    await expect(loadMnist({ dir, split: 'test' })).rejects.toThrow(/expected uint8 \[3\] to match the images/);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdx(imgs));
    await expect(loadMnist({ dir, split: 'test' })).rejects.toThrow(/IDX magic number 2051 .* expected 2049/);
    await expect(loadFashionMnist({ dir: join(tmp, 'nowhere') })).rejects.toThrow(
      /Fashion-MNIST: train-images-idx3-ubyte\.gz \(or train-images-idx3-ubyte\) not found in .*nowhere; pass dir/,
    );
  });
});
