// End-to-end tests of the BUILT command line (dist/cli.js): build it first with
// `pnpm --filter @mapnn/cli... build` (turbo's test task does so in CI).
import '@mapnn/backend-cpu';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend, tidy } from '@mapnn/core';
import { encodeNpy, loadDigits, trainTestSplit } from '@mapnn/data';
import { loadCheckpoint } from '@mapnn/train/node';
import * as ort from 'onnxruntime-node';
import { PNG } from 'pngjs';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, '..', 'dist', 'cli.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function mapnn(args: string[], options: { timeout?: number } = {}): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: options.timeout ?? 110_000, cwd: work });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json<T = Record<string, any>>(r: Run): T {
  if (r.code !== 0) throw new Error(`mapnn exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** A usage/failure error: exit code, and exactly one stderr line starting "mapnn: ". */
function expectOneLineError(r: Run, code: number, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^mapnn: /);
  expect(lines[0]).toMatch(pattern);
}

let work = '';
const run = () => join(work, 'run');

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build the CLI first (pnpm --filter @mapnn/cli... build)`);
  work = mkdtempSync(join(tmpdir(), 'mapnn-cli-e2e-'));
  setBackend('cpu');
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The held-out digits exactly as `mapnn train` splits them (seed 0, 20 %, stratified). */
function heldOutDigits(): { x: Float32Array; y: Int32Array; n: number } {
  return tidy(() => {
    const d = loadDigits();
    const { test } = trainTestSplit({ x: d.x, y: d.y }, { testSize: 0.2, stratify: true, seed: 0 });
    return { x: Float32Array.from(test.x.dataSync()), y: Int32Array.from(test.y.dataSync()), n: test.y.shape[0]! };
  });
}

describe('mapnn (built CLI)', () => {
  it('train: a CNN on the digits writes the output folder and reports ≥ 95 % held-out accuracy', () => {
    const r = json(mapnn(['train', '--epochs', '3', '--out', run(), '--json']));
    expect(r.command).toBe('train');
    expect(r.model).toBe('cnn');
    expect(r.epochsCompleted).toBe(3);
    expect(r.metrics.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(r.history.epochs).toEqual([1, 2, 3]);
    for (const f of ['model.onnx', 'model.safetensors', 'config.json', 'history.json', 'checkpoints/latest']) {
      expect(existsSync(join(run(), f)), f).toBe(true);
    }
    const config = JSON.parse(readFileSync(join(run(), 'config.json'), 'utf8'));
    expect(config).toMatchObject({ kind: 'cnn', inputShape: [1, 8, 8], outputs: 10, normalization: { type: 'scale', scale: 1 / 16 } });
    expect(config.classes).toHaveLength(10);
  }, 120_000);

  it('eval: the output folder, its checkpoint and its ONNX file all score ≥ 95 %', () => {
    const out = json(mapnn(['eval', run(), '--json']));
    expect(out.split).toBe('test');
    expect(out.metrics.samples).toBe(360);
    expect(out.metrics.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(out.metrics.confusionMatrix).toHaveLength(10);
    const ck = json(mapnn(['eval', join(run(), 'checkpoints'), '--json']));
    expect(ck.from).toBe('checkpoint');
    expect(ck.metrics.accuracy).toBeCloseTo(out.metrics.accuracy, 10);
    const onnx = json(mapnn(['eval', join(run(), 'model.onnx'), '--json']));
    expect(onnx.from).toBe('onnx');
    expect(onnx.metrics.accuracy).toBeCloseTo(out.metrics.accuracy, 10);
    const text = mapnn(['eval', run()]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/macro F1/);
    expect(text.stdout).toMatch(/confusion matrix/);
  }, 60_000);

  it('the exported model.onnx runs in onnxruntime-node with the same predictions as mapnn', async () => {
    const { x, y, n } = heldOutDigits();
    const config = JSON.parse(readFileSync(join(run(), 'config.json'), 'utf8'));
    // mapnn's predictions (raw features in, the CLI normalises)
    const npy = join(work, 'heldout.npy');
    writeFileSync(npy, encodeNpy({ data: x, shape: [n, 64], dtype: 'float32' }));
    const pred = json(mapnn(['predict', run(), '--input', npy, '--json']));
    const mapnnClasses = (pred.predictions as { class: number }[]).map((p) => p.class);
    expect(mapnnClasses).toHaveLength(n);
    // ONNX Runtime on the normalised inputs
    const session = await ort.InferenceSession.create(join(run(), 'model.onnx'));
    const input = Float32Array.from(x, (v) => v * config.normalization.scale);
    const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', input, [n, 1, 8, 8]) };
    const logits = (await session.run(feeds))[session.outputNames[0]!]!.data as Float32Array;
    const ortClasses = Array.from({ length: n }, (_, i) => {
      const row = Array.from(logits.subarray(i * 10, i * 10 + 10));
      return row.indexOf(Math.max(...row));
    });
    expect(ortClasses).toEqual(mapnnClasses);
    const correct = ortClasses.filter((c, i) => c === y[i]).length;
    expect(correct / n).toBeGreaterThanOrEqual(0.95);
  }, 60_000);

  it('inspect lists the ops of the exported CNN and finds none mapnn cannot run', () => {
    const r = json(mapnn(['inspect', join(run(), 'model.onnx'), '--json']));
    const ops = Object.keys(r.opHistogram);
    for (const op of ['Conv', 'Relu', 'MaxPool']) expect(ops).toContain(op);
    expect(ops.some((op) => op === 'Gemm' || op === 'MatMul')).toBe(true);
    expect(r.unsupportedOps).toEqual([]);
    expect(r.importable).toEqual({ ok: true });
    expect(r.parameters).toBe(38_282);
    expect(r.inputs[0].shape.slice(1)).toEqual([1, 8, 8]);
    const text = mapnn(['inspect', join(run(), 'model.onnx')]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/IR version/);
    expect(text.stdout).toMatch(/\bConv\b/);
    expect(text.stdout).toMatch(/ops mapnn cannot run: none/);
  }, 60_000);

  it('train --resume continues from the checkpoint: the epoch counter goes on and the history grows', () => {
    const r = json(mapnn(['train', '--resume', run(), '--epochs', '4', '--json']));
    expect(r.initialEpoch).toBe(3);
    expect(r.epochsCompleted).toBe(4);
    const history = JSON.parse(readFileSync(join(run(), 'history.json'), 'utf8'));
    expect(history.epochs).toEqual([1, 2, 3, 4]);
    expect(history.logs.loss).toHaveLength(4);
    expect(loadCheckpoint(join(run(), 'checkpoints')).state.epochsCompleted).toBe(4);
  }, 120_000);

  it('export turns a checkpoint into an ONNX file that re-imports with the same outputs', () => {
    const file = join(work, 'exported', 'digits.onnx');
    const r = json(mapnn(['export', join(run(), 'checkpoints'), '--onnx', file, '--json']));
    expect(existsSync(file)).toBe(true);
    expect(r.maxDiff).toBeLessThan(1e-4);
    expect(existsSync(join(work, 'exported', 'config.json'))).toBe(true);
  }, 60_000);

  it('predict reads PNG images (resized, inverted when the background is light)', () => {
    const png = new PNG({ width: 32, height: 32 });
    for (let i = 0; i < 32 * 32; i++) {
      const [px, py] = [i % 32, Math.floor(i / 32)];
      const ink = px >= 14 && px <= 18 && py >= 4 && py <= 28; // a "1": dark stroke on white
      png.data.fill(ink ? 0 : 255, i * 4, i * 4 + 3);
      png.data[i * 4 + 3] = 255;
    }
    const file = join(work, 'one.png');
    writeFileSync(file, PNG.sync.write(png));
    const r = json(mapnn(['predict', run(), '--input', file, '--json', '--output', join(work, 'p.csv')]));
    expect(r.predictions[0].label).toBe('1');
    expect(r.predictions[0].probabilities).toHaveLength(10);
    expect(readFileSync(join(work, 'p.csv'), 'utf8').split('\n')[0]).toMatch(/^input,class,label,probability,p_0/);
  }, 60_000);

  it('bad inputs end with one clear line and exit code 1 (failure) or 2 (usage)', () => {
    expectOneLineError(mapnn(['eval', join(work, 'missing')]), 1, /not found/);
    const corrupt = join(work, 'corrupt.onnx');
    writeFileSync(corrupt, readFileSync(join(run(), 'model.onnx')).subarray(0, 100));
    expectOneLineError(mapnn(['inspect', corrupt]), 1, /corrupt\.onnx/);
    expectOneLineError(mapnn(['eval', corrupt, '--data', 'digits']), 1, /corrupt\.onnx/);
    const ragged = join(work, 'ragged.csv');
    writeFileSync(ragged, 'a,b,label\n1,2,0\n3,4\n5,6,1\n');
    expectOneLineError(mapnn(['train', '--data', `csv=${ragged}`, '--model', 'mlp', '--out', join(work, 'r')]), 1, /line 3/);
    expectOneLineError(mapnn(['train', '--epochz', '3']), 2, /unknown option '--epochz'/);
    expectOneLineError(mapnn(['train', '--epochs', 'many']), 2, /--epochs/);
    expectOneLineError(mapnn(['train', '--model', 'transformer']), 2, /unknown model/);
    expectOneLineError(mapnn(['frobnicate']), 2, /unknown command/);
    // --verbose adds the stack trace
    const v = mapnn(['eval', join(work, 'missing'), '--verbose']);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/\n\s+at /);
  }, 60_000);

  it('--help has examples and exits 0; --json output parses', () => {
    for (const cmd of ['train', 'eval', 'predict', 'inspect', 'export', 'bench']) {
      const r = mapnn([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toMatch(/Examples:\n\s+\$ mapnn /);
      expect(r.stdout, cmd).toMatch(/--json/);
    }
    const b = json(mapnn(['bench', '--backend', 'cpu', '--budget', '10', '--json']));
    expect(b.results.map((x: { benchmark: string }) => x.benchmark.split(' ')[0])).toEqual(['matmul', 'matmul', 'conv2d', 'train']);
    expect(b.results.every((x: { ms: number }) => x.ms > 0)).toBe(true);
  }, 60_000);

  it('Ctrl-C (SIGINT) during training saves a loadable checkpoint and exits 130', async () => {
    const out = join(work, 'sigint');
    const child = spawn(process.execPath, [CLI, 'train', '--model', 'mlp', '--epochs', '500', '--out', out], { cwd: work });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        // plain progress lines (stdout is a pipe): interrupt once an epoch has finished
        if (/epoch\s+2\/500/.test(stdout) && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (c) => resolve(c));
    });
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/checkpoint saved/);
    const ck = loadCheckpoint(join(out, 'checkpoints'));
    expect(ck.state.epochsCompleted).toBeGreaterThanOrEqual(2);
    expect(Object.keys(ck.weights)).toContain('0.weight');
    const ev = json(mapnn(['eval', join(out, 'checkpoints'), '--json']));
    expect(ev.metrics.accuracy).toBeGreaterThan(0.8);
  }, 120_000);
});
