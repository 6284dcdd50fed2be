import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError, UsageError, messageOf } from '../errors.js';
import { createFolder, RUN_OUTPUTS } from '../training/out-folder.js';
import { writeBytes, writeJson } from '../training/outputs.js';

/** Where `mapnn compress --out` writes: one .onnx file, or a folder in the `mapnn train` layout. */
export interface OutTarget {
  kind: 'file' | 'dir';
  /** Absolute path of the file or folder. */
  path: string;
  /** The staging file or folder written first (renamed to `path` at the end). */
  staging: string;
  force: boolean;
}

const OWN_FILES = ['model.onnx', 'model.safetensors', 'config.json'];

/**
 * Checks --out before any work: FILE.onnx (an existing file is replaced only with --force) or a
 * folder that is new, empty, or (with --force) holds a previous mapnn output. Creates the parent.
 */
export function planOut(out: string, force: boolean): OutTarget {
  const path = resolve(out);
  const kind = /\.onnx$/i.test(out) ? 'file' : 'dir';
  if (existsSync(path)) {
    const isDir = statSync(path).isDirectory();
    if (kind === 'file' && isDir) throw new UsageError(`--out ${out} is a folder; give a FILE.onnx or a folder name`);
    if (kind === 'dir' && !isDir) throw new UsageError(`--out ${out} is a file; give a FILE.onnx or a folder name`);
    if (kind === 'file' && !force) throw new UsageError(`--out ${out} exists; pass --force to replace it`);
    if (kind === 'dir' && readdirSync(path).length && !force) throw new UsageError(`--out ${out} is not empty; pass --force to replace its model files, or choose another folder`);
  }
  createFolder(dirname(path), `--out ${out}`);
  const staging = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  return { kind, path, staging, force };
}

/** Removes the staging file or folder (after a failure): no partial output stays behind. */
export function discardStaging(t: OutTarget): void {
  rmSync(t.staging, { recursive: true, force: true });
}

/** The files of a folder output, written into the staging folder. */
export function stageFolder(t: OutTarget, files: { onnx: Uint8Array; weights: Uint8Array | null; config: unknown }): void {
  mkdirSync(t.staging, { recursive: true });
  writeBytes(t.staging, 'model.onnx', files.onnx);
  if (files.weights) writeBytes(t.staging, 'model.safetensors', files.weights);
  writeJson(t.staging, 'config.json', files.config);
}

/** The .onnx file, written to the staging path. */
export function stageFile(t: OutTarget, onnx: Uint8Array): void {
  writeBytes(dirname(t.staging), basename(t.staging), onnx);
}

/** Moves the staged output into place (the last step: before it, --out is untouched). */
export function commitOut(t: OutTarget): void {
  try {
    if (t.kind === 'file' || !existsSync(t.path)) {
      renameSync(t.staging, t.path);
      return;
    }
    // an existing folder (empty, or --force): replace the model files, keep the user's others
    for (const n of [...RUN_OUTPUTS, ...OWN_FILES]) rmSync(join(t.path, n), { recursive: true, force: true });
    for (const n of readdirSync(t.staging)) renameSync(join(t.staging, n), join(t.path, n));
    rmSync(t.staging, { recursive: true, force: true });
  } catch (e) {
    discardStaging(t);
    throw new CliError(`--out ${t.path}: cannot move the output into place: ${messageOf(e)}`);
  }
}
