/**
 * @mapnn/onnx/node — Node-only helpers: import a model from a file path, reading external
 * data files (`data_location = EXTERNAL`) from beside the model.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, readSync, realpathSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, normalize, relative, resolve, win32 } from 'node:path';
import type { Tensor } from '@mapnn/core';
import { OnnxImportError, describeError } from './errors.js';
import { importOnnxSync, type OnnxImportOptions } from './import.js';
import type { OnnxModule } from './module.js';
import { decodeTensorProto } from './proto/decode.js';
import { tensorFromProto, type ExternalDataReader, type ExternalDataRef } from './proto/tensor.js';

export * from './index.js';

/**
 * Reads external tensor data from files in `baseDir`, refusing anything that could read a file
 * the model's author does not own (as the Python `onnx` package does since 1.21,
 * CVE-2026-27489): a location must be a relative path without `..` segments; the file, with
 * every symbolic link on the way resolved, must lie inside the real `baseDir`; it must be a
 * regular file, not a symbolic link, with a single hard link. Offsets and lengths are checked
 * against the file size before reading.
 */
export function externalDataReader(baseDir: string): ExternalDataReader {
  let root: string | undefined;
  return (ref) => {
    root ??= realFolder(baseDir, ref);
    const { path, stats } = checkedDataFile(root, ref);
    return readRange(path, stats, ref);
  };
}

function refuse(ref: ExternalDataRef, why: string, cause?: unknown): never {
  const where = `tensor '${ref.tensorName}'`;
  throw new OnnxImportError(`${where}: external data location '${ref.location}' ${why}`, { where, cause });
}

function realFolder(baseDir: string, ref: ExternalDataRef): string {
  try {
    return realpathSync(baseDir);
  } catch (e) {
    return refuse(ref, `cannot be read: the model's folder '${baseDir}' cannot be resolved (${describeError(e)})`, e);
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** The data file of `ref` inside `root` (the model folder's real path), after every check on it. */
function checkedDataFile(root: string, ref: ExternalDataRef): { path: string; stats: Stats } {
  const { location } = ref;
  const inside = "must be a relative path inside the model's folder";
  if (location.includes('\0')) refuse(ref, 'contains a NUL character');
  if (isAbsolute(location) || win32.isAbsolute(location)) refuse(ref, `${inside} (it is absolute)`);
  if (location.split(/[\\/]/).includes('..')) refuse(ref, `${inside} (it has a '..' segment)`);
  const path = resolve(root, normalize(location));
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (e) {
    return refuse(ref, `cannot be opened: ${describeError(e)}`, e);
  }
  if (stats.isSymbolicLink()) refuse(ref, 'is a symbolic link; external data must be a regular file inside the model\'s folder');
  if (!stats.isFile()) refuse(ref, 'is not a regular file');
  if (stats.nlink > 1) refuse(ref, `has ${stats.nlink} hard links; external data must be a file with a single link`);
  let real: string;
  try {
    real = realpathSync(path);
  } catch (e) {
    return refuse(ref, `cannot be resolved: ${describeError(e)}`, e);
  }
  if (!isInside(root, real)) refuse(ref, `resolves to '${real}', outside the model's folder '${root}'`);
  return { path: real, stats };
}

/** Reads `ref`'s byte range of the checked file (opened without following links, and checked to be the file inspected). */
function readRange(path: string, checked: Stats, ref: ExternalDataRef): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (e) {
    return refuse(ref, `cannot be opened: ${describeError(e)}`, e);
  }
  try {
    const st = fstatSync(fd);
    if (st.ino !== checked.ino || st.dev !== checked.dev || !st.isFile() || st.nlink > 1) refuse(ref, 'changed while it was being opened');
    const { offset, length } = ref;
    const size = st.size;
    const n = length ?? size - offset;
    if (offset > size) refuse(ref, `has offset ${offset}, past the end of the file (${size} bytes)`);
    if (offset + n > size) refuse(ref, `has offset ${offset} and length ${n}, past the end of the file (${size} bytes)`);
    const buf = new Uint8Array(n);
    let got = 0;
    while (got < n) {
      const r = readSync(fd, buf, got, n - got, offset + got);
      if (r <= 0) break;
      got += r;
    }
    if (got !== n) refuse(ref, `could not be read in full (${got} of ${n} bytes)`);
    return buf;
  } finally {
    closeSync(fd);
  }
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
