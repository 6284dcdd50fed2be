import { existsSync, readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { concat, fromStorage, tidy, type Tensor } from '@mapnn/core';
import { csvToTensors, npyToTensor, parseNpy } from '@mapnn/data';
import { readCsvTable } from '@mapnn/data/node';
import { CliError, UsageError, messageOf } from '../errors.js';
import type { ModelConfig } from '../models/spec.js';
import { readPng } from './png.js';

const product = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Raw samples read from input files, with a name per sample. */
export interface Inputs {
  x: Tensor;
  names: string[];
  notes: string[];
}

/** Shape of one raw sample the model's data had (or its input shape). */
export function rawSampleShape(config: ModelConfig): number[] {
  return config.data?.sampleShape ?? config.inputShape;
}

function fromNpy(path: string, sample: number[]): Inputs {
  let x: Tensor;
  try {
    // a plain Uint8Array copy: parseNpy's `bytes.slice(…).buffer` on a Node Buffer (what
    // readNpyFile passes) would be the whole shared pool, not the file's data
    x = npyToTensor(parseNpy(new Uint8Array(readFileSync(path)), { name: basename(path) }));
  } catch (e) {
    throw new CliError(messageOf(e));
  }
  const per = product(sample);
  const n = x.size / per;
  if (!Number.isInteger(n) || (x.rank > 0 && x.size !== per && x.shape[0]! !== n)) {
    throw new CliError(`${path}: shape [${x.shape.join(', ')}] does not hold samples of shape [${sample.join(', ')}]`);
  }
  const out = tidy(() => x.cast('float32').reshape([n, ...sample]));
  x.dispose();
  return { x: out, names: Array.from({ length: n }, (_, i) => (n === 1 ? basename(path) : `${basename(path)}[${i}]`)), notes: [] };
}

function fromCsv(path: string, sample: number[], config: ModelConfig): Inputs {
  const per = product(sample);
  let table;
  try {
    table = readCsvTable(path);
  } catch (e) {
    throw new CliError(messageOf(e));
  }
  const width = table.header?.length ?? table.rows[0]?.length ?? 0;
  const features = config.data?.featureNames;
  let columns: (string | number)[] | undefined;
  if (table.header && features && features.every((f) => table.header!.includes(f))) columns = features;
  else if (width === per + 1) columns = Array.from({ length: per }, (_, i) => i); // a trailing label column
  else if (width !== per) throw new CliError(`${path}: ${width} columns, but the model takes ${per} features`);
  let t;
  try {
    t = csvToTensors(table, { columns, name: basename(path) });
  } catch (e) {
    throw new CliError(messageOf(e));
  }
  const n = t.x.shape[0]!;
  const x = tidy(() => t.x.reshape([n, ...sample]));
  t.x.dispose();
  return { x, names: Array.from({ length: n }, (_, i) => `${basename(path)}:${i + 1}`), notes: [] };
}

function fromPng(path: string, sample: number[], config: ModelConfig, invert?: boolean): Inputs {
  if (sample.length !== 3 && !(sample.length === 2 && config.kind === 'lstm')) {
    throw new UsageError(`${basename(path)}: PNG input needs a model trained on images`);
  }
  const [c, h, w] = sample.length === 3 ? (sample as [number, number, number]) : [1, sample[0]!, sample[1]!];
  const { data, inverted } = readPng(path, c, h, w, invert);
  const max = config.data?.rawMax ?? 1;
  for (let i = 0; i < data.length; i++) data[i] = data[i]! * max;
  return {
    x: fromStorage(data, [1, ...sample], 'float32', 'predict'),
    names: [basename(path)],
    notes: inverted ? [`${basename(path)}: light background, inverted to light-on-dark`] : [],
  };
}

/** Reads `.npy`, `.csv` and `.png` files into raw samples (in the data's units, not normalised). */
export function readInputs(paths: string[], config: ModelConfig, options: { invert?: boolean } = {}): Inputs {
  const sample = rawSampleShape(config);
  if (!sample.length) throw new CliError('the model does not declare its input shape; cannot read inputs for it');
  const parts: Inputs[] = [];
  try {
    for (const p of paths) {
      if (!existsSync(p)) throw new CliError(`input not found: ${p}`);
      const ext = extname(p).toLowerCase();
      if (ext === '.npy') parts.push(fromNpy(p, sample));
      else if (ext === '.csv') parts.push(fromCsv(p, sample, config));
      else if (ext === '.png') parts.push(fromPng(p, sample, config, options.invert));
      else throw new UsageError(`${p}: unsupported input type '${ext || '(none)'}' (expected .npy, .csv or .png)`);
    }
    const x = parts.length === 1 ? parts[0]!.x : tidy(() => concat(parts.map((q) => q.x), 0));
    if (parts.length > 1) for (const q of parts) q.x.dispose();
    return { x, names: parts.flatMap((q) => q.names), notes: parts.flatMap((q) => q.notes) };
  } catch (e) {
    if (parts.length > 1) for (const q of parts) if (!q.x.isDisposed) q.x.dispose();
    throw e;
  }
}
