/**
 * @mapnn/onnx/node — Node-only helpers: import a model from a file path, reading external
 * data files (`data_location = EXTERNAL`) from beside the model.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { dirname, isAbsolute, normalize, resolve, sep } from 'node:path';
import type { Tensor } from '@mapnn/core';
import { OnnxImportError, describeError } from './errors.js';
import { importOnnxSync, type OnnxImportOptions } from './import.js';
import type { OnnxModule } from './module.js';
import { decodeTensorProto } from './proto/decode.js';
import { tensorFromProto, type ExternalDataReader } from './proto/tensor.js';

export * from './index.js';

/**
 * Reads external tensor data from files in `baseDir`. Locations must be relative and stay
 * inside `baseDir` (as the ONNX checker requires); offsets and lengths are checked against the
 * file size before reading.
 */
export function externalDataReader(baseDir: string): ExternalDataReader {
  return ({ location, offset, length, tensorName }) => {
    const where = `tensor '${tensorName}'`;
    const rel = normalize(location);
    if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`) || rel.includes(`${sep}..${sep}`)) {
      throw new OnnxImportError(`${where}: external data location '${location}' must be a relative path inside the model's folder`, { where });
    }
    const file = resolve(baseDir, rel);
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch (e) {
      throw new OnnxImportError(`${where}: cannot open external data file '${location}': ${describeError(e)}`, { where, cause: e });
    }
    try {
      const size = fstatSync(fd).size;
      const n = length ?? size - offset;
      if (offset > size || n < 0 || offset + n > size) {
        throw new OnnxImportError(`${where}: external data range ${offset}+${n} is outside '${location}' (${size} bytes)`, { where });
      }
      const buf = new Uint8Array(n);
      let got = 0;
      while (got < n) {
        const r = readSync(fd, buf, got, n - got, offset + got);
        if (r <= 0) break;
        got += r;
      }
      if (got !== n) throw new OnnxImportError(`${where}: short read from '${location}'`, { where });
      return buf;
    } finally {
      closeSync(fd);
    }
  };
}

function readModelFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new OnnxImportError(`cannot read ONNX model '${path}': ${describeError(e)}`, { cause: e });
  }
}

/** Imports an `.onnx` file; external data is read from the model's folder. */
export async function importOnnxFile<O extends Tensor | Tensor[] = Tensor>(path: string, options: OnnxImportOptions = {}): Promise<OnnxModule<O>> {
  return importOnnxFileSync<O>(path, options);
}

export function importOnnxFileSync<O extends Tensor | Tensor[] = Tensor>(path: string, options: OnnxImportOptions = {}): OnnxModule<O> {
  const bytes = readModelFile(path);
  return importOnnxSync<O>(bytes, { externalData: externalDataReader(dirname(resolve(path))), ...options });
}

/**
 * `importOnnx` that also accepts a file path (Node).
 *
 * @example const model = await importOnnx('model.onnx');
 */
export async function importOnnx<O extends Tensor | Tensor[] = Tensor>(
  source: string | Uint8Array | ArrayBuffer,
  options: OnnxImportOptions = {},
): Promise<OnnxModule<O>> {
  if (typeof source === 'string') return importOnnxFileSync<O>(source, options);
  return importOnnxSync<O>(source, options);
}

/** Reads a serialized TensorProto file (e.g. a test_data_set `input_0.pb`) into a tensor. */
export function loadTensorProtoFile(path: string, options: { externalDataDir?: string } = {}): Tensor {
  const proto = decodeTensorProto(readModelFile(path));
  return tensorFromProto(proto, { externalData: externalDataReader(options.externalDataDir ?? dirname(resolve(path))) });
}

// export to a file
export { exportOnnxFile } from './export/node.js';
