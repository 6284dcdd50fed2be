import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Tensor } from '@mapnn/core';
import { csvToTensors, parseCsv, type CsvTable, type CsvTensors, type CsvToTensorsOptions, type ParseCsvOptions } from '../readers/csv.js';
import { parseIdx, type IdxArray } from '../readers/idx.js';
import { encodeNpy, parseNpy, type NpyArray } from '../readers/npy.js';

/** Reads a whole file, turning "no such file" into an error that names the path. */
export function readBytes(path: string, what = 'file'): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`${what} not found: ${path}`);
    throw new Error(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

/**
 * Reads an IDX file (raw or `.gz`, decompressed with Node's zlib, which checks the CRC) with the
 * strict validation of `parseIdx`; errors name the file.
 *
 * @example const labels = readIdxFile('data/train-labels-idx1-ubyte.gz', { expectMagic: 2049 });
 */
export function readIdxFile(path: string, options: { expectMagic?: number } = {}): IdxArray {
  return parseIdx(readBytes(path, 'IDX file'), { name: basename(path), gunzip: (b) => gunzipSync(b), ...options });
}

/**
 * Reads a CSV file into a table of strings (`parseCsv`).
 *
 * @example const table = readCsvTable('data.csv', { header: true });
 */
export function readCsvTable(path: string, options: ParseCsvOptions = {}): CsvTable {
  return parseCsv(new TextDecoder().decode(readBytes(path, 'CSV file')), { name: basename(path), ...options });
}

/**
 * Reads numeric features and an optional label column of a CSV file into tensors (`csvToTensors`).
 *
 * @example const { x, y, classNames } = readCsvFile('iris.csv', { label: 'species' });
 */
export function readCsvFile(path: string, options: CsvToTensorsOptions = {}): CsvTensors {
  return csvToTensors(new TextDecoder().decode(readBytes(path, 'CSV file')), { name: basename(path), ...options });
}

/**
 * Reads a NumPy `.npy` file (`parseNpy`).
 *
 * @example const w = npyToTensor(readNpyFile('weights.npy'));
 */
export function readNpyFile(path: string): NpyArray {
  return parseNpy(readBytes(path, '.npy file'), { name: basename(path) });
}

/**
 * Writes a tensor as a NumPy `.npy` file (format 1.0, C order).
 *
 * @example writeNpyFile('out.npy', tensor([[1, 2], [3, 4]]));
 */
export function writeNpyFile(path: string, x: Tensor): void {
  writeFileSync(path, encodeNpy(x));
}
