// End-to-end tests of `mapnn compress` on the BUILT command line (dist/cli.js), as e2e.test.ts:
// build it first with `pnpm --filter @mapnn/cli... build`.
import '@mapnn/backend-cpu';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend, tidy } from '@mapnn/core';
import { encodeNpy, loadDigits, trainTestSplit } from '@mapnn/data';
import { decodeModelProto } from '@mapnn/onnx';
import { decodeRawSafetensors } from '@mapnn/train';
import * as ort from 'onnxruntime-node';

const here = dirname(fileURLToPath(import.meta.url));
// MAPNN_CLI: another build of the CLI to spawn (e.g. a bundle, while workspace dists are being rebuilt)
const CLI = process.env.MAPNN_CLI ?? join(here, '..', 'dist', 'cli.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let work = '';
const run = () => join(work, 'run');

function mapnn(args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, cwd: work, env: { ...process.env, MAPNN_BACKEND: 'cpu' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json<T = Record<string, any>>(r: Run): T {
  if (r.code !== 0) throw new Error(`mapnn exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Exit code, one stderr line "mapnn: …" matching `pattern`. */
function expectOneLineError(r: Run, code: number, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^mapnn: /);
  expect(lines[0]).toMatch(pattern);
}

/** The held-out digits as `mapnn train` splits them (seed 0, 20 %, stratified). */
function heldOutDigits(): { x: Float32Array; y: Int32Array; n: number } {
  return tidy(() => {
    const d = loadDigits();
    const { test } = trainTestSplit({ x: d.x, y: d.y }, { testSize: 0.2, stratify: true, seed: 0 });
    return { x: Float32Array.from(test.x.dataSync()), y: Int32Array.from(test.y.dataSync()), n: test.y.shape[0]! };
  });
}

/** Top-1 classes of an .onnx file in ONNX Runtime on the held-out digits (normalised by 1/16). */
async function ortClasses(file: string): Promise<number[]> {
  const { x, n } = heldOutDigits();
  const session = await ort.InferenceSession.create(file);
  const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', Float32Array.from(x, (v) => v / 16), [n, 1, 8, 8]) };
  const logits = (await session.run(feeds))[session.outputNames[0]!]!.data as Float32Array;
  return Array.from({ length: n }, (_, i) => {
    const row = Array.from(logits.subarray(i * 10, i * 10 + 10));
    return row.indexOf(Math.max(...row));
  });
}

/** mapnn's top-1 classes (predict) for the held-out digits, from MODEL. */
function mapnnClasses(model: string): number[] {
  const { x, n } = heldOutDigits();
  const npy = join(work, 'heldout.npy');
  if (!existsSync(npy)) writeFileSync(npy, encodeNpy({ data: x, shape: [n, 64], dtype: 'float32' }));
  return (json(mapnn(['predict', model, '--input', npy, '--json'])).predictions as { class: number }[]).map((p) => p.class);
}

const agreement = (a: number[], b: number[]) => a.filter((c, i) => c === b[i]).length / a.length;

/** Fraction of zeros among the values of the initializers whose names match. */
function initializerZeros(file: string, name: RegExp): number {
  const graph = decodeModelProto(new Uint8Array(readFileSync(file))).graph!;
  let zeros = 0;
  let total = 0;
  for (const init of graph.initializer ?? []) {
    if (!name.test(init.name ?? '')) continue;
    const raw = init.rawData!;
    const values = init.dataType === 3 ? new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength) : new Float32Array(raw.slice().buffer);
    for (const v of values) if (v === 0) zeros++;
    total += values.length;
  }
  return total ? zeros / total : NaN;
}

const opsOf = (file: string) => new Set((decodeModelProto(new Uint8Array(readFileSync(file))).graph!.node ?? []).map((n) => n.opType));

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build the CLI first (pnpm --filter @mapnn/cli... build)`);
  work = mkdtempSync(join(tmpdir(), 'mapnn-cli-compress-'));
  setBackend('cpu');
  json(mapnn(['train', '--epochs', '3', '--out', run(), '--json']));
}, 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('mapnn compress (built CLI)', () => {
  it('--prune 0.5 --quantize int8 writes an ONNX QDQ file: the table, ONNX Runtime and mapnn eval agree', async () => {
    const file = join(work, 'int8', 'x.onnx');
    const r = json(mapnn(['compress', run(), '--prune', '0.5', '--quantize', 'int8', '--out', file, '--json']));
    expect(r.format).toMatch(/QDQ/);
    expect(r.after.sparsity).toBeCloseTo(0.5, 2);
    expect(r.after.onnxBytes).toBeLessThan(r.before.onnxBytes / 3);
    expect(r.before.score).toBeGreaterThanOrEqual(0.9);
    expect(r.after.score).toBeGreaterThan(r.before.score - 0.03);
    expect(statSync(file).size).toBe(r.after.onnxBytes);
    for (const op of ['QuantizeLinear', 'DequantizeLinear', 'Conv', 'Gemm']) expect(opsOf(file)).toContain(op);
    // the pruned zeros survive quantization: at least half the int8 weights are 0
    expect(initializerZeros(file, /weight_quantized$/)).toBeGreaterThanOrEqual(0.5);
    // the printed table (same run again, replacing the file with --force)
    const text = mapnn(['compress', run(), '--prune', '0.5', '--quantize', 'int8', '--out', file, '--force']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^\s+parameters\s+38,282\s+38,282\s+1\.00×$/m);
    expect(text.stdout).toMatch(/^\s+ONNX bytes\s+[\d.]+ KiB\s+[\d.]+ KiB\s+[\d.]+×$/m);
    expect(text.stdout).toMatch(/^\s+sparsity\s+0\.00 %\s+50\.00 %$/m);
    expect(text.stdout).toMatch(/^\s+accuracy \(held out\)\s+[\d.]+ %\s+[\d.]+ %\s+-?[\d.]+ pt$/m);
    // mapnn eval on the file (config.json beside it gives classes and normalisation) = the table's "after"
    const ev = json(mapnn(['eval', file, '--json']));
    expect(ev.metrics.accuracy).toBeCloseTo(r.after.score, 10);
    const ortTop1 = await ortClasses(file);
    const mapnnTop1 = mapnnClasses(file);
    expect(agreement(ortTop1, mapnnTop1)).toBeGreaterThanOrEqual(0.98);
    const { y } = heldOutDigits();
    expect(agreement(ortTop1, Array.from(y))).toBeGreaterThanOrEqual(r.before.score - 0.05);
  }, 60_000);

  it('--prune alone: a float ONNX file with zeros, or a folder with a CSR sparse checkpoint; eval and predict load both', async () => {
    const file = join(work, 'pruned', 'pruned.onnx');
    const r = json(mapnn(['compress', run(), '--prune', '0.7', '--out', file, '--json']));
    expect(r.after.sparsity).toBeCloseTo(0.7, 2);
    expect(initializerZeros(file, /weight$/)).toBeGreaterThanOrEqual(0.69);
    const ortTop1 = await ortClasses(file);
    expect(agreement(ortTop1, mapnnClasses(file))).toBe(1);
    const dir = join(work, 'pruned-dir');
    const d = json(mapnn(['compress', run(), '--prune', '0.7', '--out', dir, '--json']));
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'model.onnx', 'model.safetensors']);
    expect(decodeRawSafetensors(readFileSync(join(dir, 'model.safetensors'))).metadata['mapnn.sparse']).toBe('csr-v1');
    expect(d.after.checkpointBytes).toBeLessThan(d.before.checkpointBytes / 2);
    const ev = json(mapnn(['eval', dir, '--json']));
    expect(ev.from).toBe('output');
    expect(ev.metrics.accuracy).toBeCloseTo(d.after.score, 10);
    expect(mapnnClasses(dir)).toEqual(ortTop1);
  }, 60_000);

  it('--prune 0.5 --structured removes conv channels: fewer parameters, the file runs in ONNX Runtime as in mapnn; an int8 folder loads in eval', async () => {
    const file = join(work, 'slim', 'slim.onnx');
    const r = json(mapnn(['compress', run(), '--prune', '0.5', '--structured', '--out', file, '--json']));
    expect(r.after.parameters).toBeLessThan(r.before.parameters * 0.6);
    expect(agreement(await ortClasses(file), mapnnClasses(file))).toBe(1);
    // as a folder: the shrunk model no longer fits the config's architecture, so model.onnx is the model
    const dir = join(work, 'slim-int8-dir');
    const d = json(mapnn(['compress', run(), '--prune', '0.5', '--structured', '--quantize', 'int8', '--out', dir, '--json']));
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'model.onnx']);
    const ev = json(mapnn(['eval', dir, '--json']));
    expect(ev.metrics.accuracy).toBeCloseTo(d.after.score, 10);
  }, 60_000);

  it('--quantize fp16: an ONNX file with float16 weights that ONNX Runtime runs as mapnn does, and a folder with an F16 checkpoint', async () => {
    const file = join(work, 'half', 'half.onnx');
    const r = json(mapnn(['compress', run(), '--quantize', 'fp16', '--out', file, '--json']));
    const graph = decodeModelProto(new Uint8Array(readFileSync(file))).graph!;
    const weights = (graph.initializer ?? []).filter((i) => /weight$/.test(i.name ?? ''));
    expect(weights.length).toBe(4);
    expect(new Set(weights.map((i) => i.dataType))).toEqual(new Set([10])); // FLOAT16
    expect(r.after.onnxBytes).toBeLessThan(r.before.onnxBytes * 0.55);
    expect(Math.abs(r.after.score - r.before.score)).toBeLessThanOrEqual(2 / 360);
    expect(agreement(await ortClasses(file), mapnnClasses(file))).toBe(1);
    const dir = join(work, 'half-dir');
    const d = json(mapnn(['compress', run(), '--quantize', 'fp16', '--out', dir, '--json']));
    const { tensors } = decodeRawSafetensors(readFileSync(join(dir, 'model.safetensors')));
    expect(new Set(Object.values(tensors).map((t) => t.dtype))).toEqual(new Set(['F16']));
    expect(d.after.checkpointBytes).toBeLessThan(d.before.checkpointBytes * 0.51);
    const ev = json(mapnn(['eval', dir, '--json']));
    expect(ev.metrics.accuracy).toBeCloseTo(d.after.score, 10);
    expect(d.after.score).toBeCloseTo(r.after.score, 10);
  }, 60_000);

  it('bad input: one clear line, exit 2 (usage) or 1 (failure), and no output left behind', () => {
    const out = join(work, 'bad', 'y.onnx');
    const none = () => (existsSync(dirname(out)) ? readdirSync(dirname(out)) : []);
    expectOneLineError(mapnn(['compress', run(), '--prune', '1', '--out', out]), 2, /--prune.*\[0, 1\).*'1'/);
    expectOneLineError(mapnn(['compress', run(), '--prune', '-0.1', '--out', out]), 2, /--prune/);
    expectOneLineError(mapnn(['compress', run(), '--quantize', 'int4', '--out', out]), 2, /--quantize.*int8 or fp16.*'int4'/);
    expectOneLineError(mapnn(['compress', run(), '--out', out]), 2, /nothing to do/);
    expectOneLineError(mapnn(['compress', run(), '--structured', '--quantize', 'fp16', '--out', out]), 2, /--structured needs --prune/);
    expectOneLineError(mapnn(['compress', join(work, 'missing'), '--prune', '0.5', '--out', out]), 1, /model not found/);
    writeFileSync(join(work, 'nan.csv'), `${Array.from({ length: 4 }, (_, i) => [...Array(64).fill(i === 2 ? 'NaN' : '1'), '0'].join(',')).join('\n')}\n`);
    expectOneLineError(mapnn(['compress', run(), '--quantize', 'int8', '--calibrate', 'csv=nan.csv', '--out', out]), 1, /--calibrate csv=nan\.csv: .*line 3.*NaN/);
    writeFileSync(join(work, 'empty.csv'), `${Array.from({ length: 64 }, (_, i) => `f${i}`).join(',')},label\n`);
    expectOneLineError(mapnn(['compress', run(), '--quantize', 'int8', '--calibrate', 'csv=empty.csv', '--out', out]), 1, /--calibrate csv=empty\.csv: .*no data rows/);
    // an ONNX graph that is not a mapnn train export (here: the QDQ file itself) is refused by name
    const qdq = join(work, 'int8', 'x.onnx');
    expectOneLineError(mapnn(['compress', qdq, '--prune', '0.5', '--out', out]), 1, /x\.onnx is an ONNX graph .*OnnxModule.*cannot prune or quantize/);
    expect(none()).toEqual([]);
  }, 60_000);
});
