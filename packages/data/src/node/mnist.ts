import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fromStorage, type Tensor } from '@mapnn/core';
import type { IdxArray } from '../readers/idx.js';
import { downloadVerified, type DownloadOptions } from './download.js';
import { readIdxFile } from './files.js';
import { FASHION_MNIST, MNIST, type KnownFile, type KnownIdxDataset } from './known-datasets.js';

/** Options of `loadFashionMnist` / `loadMnist`. */
export interface MnistOptions {
  /** Folder with the four IDX files (`.gz` or uncompressed); default `$MAPNN_DATA_DIR/<name>` or `~/.cache/mapnn/<name>`. */
  dir?: string;
  /** `'train'` (60,000 images, default) or `'test'` (10,000). */
  split?: 'train' | 'test';
  /** Fetch missing files over https, verify their SHA-256 and cache them in `dir` (default false). */
  download?: boolean;
  /** `'float32'` (default): pixels scaled to [0, 1]; `'uint8'`: raw 0–255 values. */
  dtype?: 'float32' | 'uint8';
  /** Add a channel dim: `[n, 1, 28, 28]` (NCHW) instead of `[n, 28, 28]` (default false). */
  channelDim?: boolean;
  /** Override the download mirrors, fetch function or logging. */
  downloadOptions?: Partial<DownloadOptions>;
}

/** Images and labels of one split. */
export interface MnistData {
  /** Images `[n, 28, 28]` (or `[n, 1, 28, 28]`), float32 in [0, 1] or uint8. */
  x: Tensor;
  /** Class ids, int32 `[n]`. */
  y: Tensor;
  classNames: string[];
}

/** The default folder of a dataset: `$MAPNN_DATA_DIR/<folder>`, else `~/.cache/mapnn/<folder>`. */
export function defaultDataDir(folder: string): string {
  const root = process.env.MAPNN_DATA_DIR ?? join(homedir(), '.cache', 'mapnn');
  return join(root, folder);
}

/**
 * Loads a Fashion-MNIST split (Zalando Research; 10 clothing classes, 28×28 grey images) from
 * `dir`. With `download: true`, missing files are fetched from the official repository, checked
 * against known SHA-256 digests and cached. Files are validated strictly (IDX magic numbers,
 * shapes, lengths, gzip integrity, label range).
 *
 * @example
 * const train = await loadFashionMnist({ split: 'train', download: true, channelDim: true });
 * train.x.shape; // [60000, 1, 28, 28]
 */
export function loadFashionMnist(options: MnistOptions = {}): Promise<MnistData> {
  return loadIdxDataset(FASHION_MNIST, options);
}

/**
 * Loads an MNIST split (handwritten digits 0–9, 28×28) from `dir`, optionally downloading and
 * verifying the original files first. See `loadFashionMnist`.
 *
 * @example const test = await loadMnist({ split: 'test', dir: './data/mnist' });
 */
export function loadMnist(options: MnistOptions = {}): Promise<MnistData> {
  return loadIdxDataset(MNIST, options);
}

/**
 * Downloads (if needed) and verifies all four files of a dataset into `dir`. Returns their paths.
 *
 * @example await downloadIdxDataset(FASHION_MNIST, { dir: '/tmp/fm' });
 */
export async function downloadIdxDataset(
  dataset: KnownIdxDataset,
  options: { dir?: string; downloadOptions?: Partial<DownloadOptions> } = {},
): Promise<string[]> {
  const dir = options.dir ?? defaultDataDir(dataset.folder);
  const paths: string[] = [];
  for (const f of Object.values(dataset.files)) {
    paths.push(await downloadVerified(f.name, dir, f.sha256, { mirrors: dataset.mirrors, ...options.downloadOptions }));
  }
  return paths;
}

async function loadIdxDataset(dataset: KnownIdxDataset, options: MnistOptions): Promise<MnistData> {
  const dir = options.dir ?? defaultDataDir(dataset.folder);
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test') throw new Error(`${dataset.title}: split must be 'train' or 'test', got ${String(split)}`);
  const files = split === 'train' ? [dataset.files.trainImages, dataset.files.trainLabels] : [dataset.files.testImages, dataset.files.testLabels];
  if (options.download) {
    for (const f of files) await downloadVerified(f.name, dir, f.sha256, { mirrors: dataset.mirrors, ...options.downloadOptions });
  }
  const { images, labels } = readIdxPair(dataset, dir, files[0]!, files[1]!);
  return toMnistData(images, labels, dataset, options);
}

/** Finds `name` (`.gz`) or its uncompressed form in `dir`. */
function locate(dataset: KnownIdxDataset, dir: string, file: KnownFile): string {
  const gz = join(dir, file.name);
  if (existsSync(gz)) return gz;
  const raw = join(dir, file.name.replace(/\.gz$/, ''));
  if (existsSync(raw)) return raw;
  throw new Error(
    `${dataset.title}: ${file.name} (or ${file.name.replace(/\.gz$/, '')}) not found in ${dir}; ` +
      `pass dir: the folder that holds the IDX files, or download: true to fetch them`,
  );
}

/** Reads and cross-checks an images/labels pair (MNIST layout). */
export function readIdxPair(dataset: KnownIdxDataset, dir: string, imagesFile: KnownFile, labelsFile: KnownFile): { images: IdxArray; labels: IdxArray } {
  const images = readIdxFile(locate(dataset, dir, imagesFile), { expectMagic: 2051 });
  const labels = readIdxFile(locate(dataset, dir, labelsFile), { expectMagic: 2049 });
  const [n, h, w] = images.shape as [number, number, number];
  if (images.dtype !== 'uint8' || images.shape.length !== 3 || h !== 28 || w !== 28) {
    throw new Error(`${dataset.title}: ${imagesFile.name} holds ${images.dtype} [${images.shape.join(', ')}], expected uint8 [n, 28, 28]`);
  }
  if (labels.dtype !== 'uint8' || labels.shape.length !== 1 || labels.shape[0] !== n) {
    throw new Error(`${dataset.title}: ${labelsFile.name} holds ${labels.dtype} [${labels.shape.join(', ')}], expected uint8 [${n}] to match the images`);
  }
  const classes = dataset.classNames.length;
  const bad = (labels.data as Uint8Array).findIndex((v) => v >= classes);
  if (bad >= 0) throw new Error(`${dataset.title}: ${labelsFile.name} label ${bad} is ${labels.data[bad]}, outside 0–${classes - 1}`);
  return { images, labels };
}

function toMnistData(images: IdxArray, labels: IdxArray, dataset: KnownIdxDataset, options: MnistOptions): MnistData {
  const [n, h, w] = images.shape as [number, number, number];
  const shape = options.channelDim ? [n, 1, h, w] : [n, h, w];
  const pixels = images.data as Uint8Array;
  let x: Tensor;
  if ((options.dtype ?? 'float32') === 'uint8') x = fromStorage(pixels, shape, 'uint8', 'loadMnist');
  else {
    const f = new Float32Array(pixels.length);
    for (let i = 0; i < pixels.length; i++) f[i] = pixels[i]! / 255;
    x = fromStorage(f, shape, 'float32', 'loadMnist');
  }
  const y = fromStorage(Int32Array.from(labels.data as Uint8Array), [n], 'int32', 'loadMnist');
  return { x, y, classNames: [...dataset.classNames] };
}
