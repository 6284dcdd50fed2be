// External data files are read only from inside the model's folder: real paths are compared
// (symbolic links resolved on both sides), and symlinked or multiply hard-linked data files are
// refused, as the Python onnx package does since 1.21 (CVE-2026-27489).
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor } from '@mapnn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxImportError, setBackend } from './imports.js';
import { importOnnxFileSync } from '../src/node.js';
import { T, makeModel, node, valueInfo } from './helpers.js';

beforeAll(() => setBackend('cpu'));
const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const floats = (...v: number[]) => new Uint8Array(new Float32Array(v).buffer);

/** tmp/models/{model files, weights.bin = [1, 2]}, tmp/outside/secret.bin = [666, 777]. */
function folders(): { models: string; outside: string; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'mapnn-onnx-extdata-'));
  made.push(root);
  const models = join(root, 'models');
  const outside = join(root, 'outside');
  mkdirSync(models);
  mkdirSync(outside);
  writeFileSync(join(models, 'weights.bin'), floats(1, 2));
  writeFileSync(join(outside, 'secret.bin'), floats(666, 777));
  return { models, outside, root };
}

/** Writes a model whose 2-element weight `w` lives at `location` and returns its path. */
function modelAt(dir: string, location: string, extra: { offset?: number; length?: number } = {}): string {
  const externalData = [{ key: 'location', value: location }];
  if (extra.offset !== undefined) externalData.push({ key: 'offset', value: String(extra.offset) });
  if (extra.length !== undefined) externalData.push({ key: 'length', value: String(extra.length) });
  const bytes = makeModel({
    nodes: [node('Add', ['x', 'w'], ['y'])],
    inputs: [valueInfo('x', T.FLOAT, [2])],
    outputs: [valueInfo('y', T.FLOAT, [2])],
    initializers: [{ name: 'w', dims: [2], dataType: T.FLOAT, dataLocation: 1, externalData }],
  });
  const path = join(dir, `model-${Math.random().toString(36).slice(2)}.onnx`);
  writeFileSync(path, bytes);
  return path;
}

function importError(path: string): OnnxImportError {
  try {
    importOnnxFileSync(path);
  } catch (e) {
    expect(e).toBeInstanceOf(OnnxImportError);
    return e as OnnxImportError;
  }
  throw new Error(`expected importing ${path} to fail`);
}

describe('external data stays inside the model folder', () => {
  it('reads a plain data file beside the model, also through a symlinked model folder', () => {
    const { models, root } = folders();
    const path = modelAt(models, 'weights.bin');
    expect(Array.from(importOnnxFileSync(path).call(tensor([10, 20])).dataSync())).toEqual([11, 22]);
    const linked = join(root, 'linked-models');
    symlinkSync(models, linked);
    const viaLink = join(linked, path.slice(models.length + 1));
    expect(Array.from(importOnnxFileSync(viaLink).call(tensor([0, 0])).dataSync())).toEqual([1, 2]);
  });

  it('refuses a symlink pointing outside (e.g. at /etc/passwd)', () => {
    const { models, outside } = folders();
    symlinkSync(join(outside, 'secret.bin'), join(models, 'evil.bin'));
    const e = importError(modelAt(models, 'evil.bin'));
    expect(e.message).toMatch(/tensor 'w': external data location 'evil.bin' is a symbolic link/);
  });

  it('refuses a symlink even when it points inside the folder', () => {
    const { models } = folders();
    symlinkSync('weights.bin', join(models, 'alias.bin'));
    expect(importError(modelAt(models, 'alias.bin')).message).toMatch(/'alias.bin' is a symbolic link/);
  });

  it('refuses a symlinked folder leading outside', () => {
    const { models, outside } = folders();
    symlinkSync(outside, join(models, 'sub'));
    expect(importError(modelAt(models, 'sub/secret.bin')).message).toMatch(/tensor 'w': external data location 'sub\/secret.bin' resolves to '.*secret.bin', outside the model's folder/);
  });

  it('refuses a data file with more than one hard link', () => {
    const { models, outside } = folders();
    linkSync(join(outside, 'secret.bin'), join(models, 'hard.bin'));
    expect(importError(modelAt(models, 'hard.bin')).message).toMatch(/tensor 'w': external data location 'hard.bin' has 2 hard links/);
  });

  it('refuses ../ traversal and absolute paths', () => {
    const { models, outside } = folders();
    expect(importError(modelAt(models, '../outside/secret.bin')).message).toMatch(/'\.\.\/outside\/secret.bin' must be a relative path inside the model's folder \(it has a '\.\.' segment\)/);
    expect(importError(modelAt(models, 'x/../../outside/secret.bin')).message).toMatch(/'\.\.' segment/);
    expect(importError(modelAt(models, join(outside, 'secret.bin'))).message).toMatch(/must be a relative path inside the model's folder \(it is absolute\)/);
    expect(importError(modelAt(models, '/etc/passwd')).message).toMatch(/'\/etc\/passwd' must be a relative path/);
  });

  it('checks offset and length against the file size', () => {
    const { models } = folders();
    expect(importError(modelAt(models, 'weights.bin', { offset: 9 })).message).toMatch(/'weights.bin' has offset 9, past the end of the file \(8 bytes\)/);
    expect(importError(modelAt(models, 'weights.bin', { offset: 4, length: 8 })).message).toMatch(/has offset 4 and length 8, past the end of the file \(8 bytes\)/);
    expect(importError(modelAt(models, 'missing.bin')).message).toMatch(/tensor 'w': external data location 'missing.bin' cannot be opened/);
    expect(importError(modelAt(models, '.')).message).toMatch(/'\.' is not a regular file/);
  });
});
