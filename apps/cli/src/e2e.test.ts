// End-to-end tests of the BUILT command line (dist/cli.js): build it first with
// `pnpm --filter @mapnn/cli... build` (turbo's test task does so in CI).
import '@mapnn/backend-cpu';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend, tidy } from '@mapnn/core';
import { encodeNpy, loadDigits, trainTestSplit } from '@mapnn/data';
import { decodeSafetensors } from '@mapnn/train';
import { loadCheckpoint } from '@mapnn/train/node';
import * as ort from 'onnxruntime-node';
import { PNG } from 'pngjs';

const here = dirname(fileURLToPath(import.meta.url));
// MAPNN_CLI: another build of the CLI to spawn (e.g. a bundle, while workspace dists are being rebuilt)
const CLI = process.env.MAPNN_CLI ?? join(here, '..', 'dist', 'cli.js');
const ROOT = join(here, '..', '..', '..');
const CI = process.env.CI === 'true';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function mapnn(args: string[], options: { timeout?: number; cwd?: string } = {}): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: options.timeout ?? 110_000, cwd: options.cwd ?? work });
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
    for (const cmd of ['train', 'eval', 'predict', 'inspect', 'export', 'compress', 'bench']) {
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

/** Number of NaN/±Infinity values in a safetensors file's float tensors. */
function nonFiniteIn(file: string): number {
  const { tensors } = decodeSafetensors(readFileSync(file));
  let n = 0;
  for (const t of Object.values(tensors)) for (const v of Array.from(t.data as ArrayLike<number>)) if (!Number.isFinite(v)) n++;
  return n;
}

/** Every model.safetensors under a folder (the output's and its checkpoints'). */
function weightFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('model.safetensors')).map((f) => join(dir, f));
}

const IRIS = ['--data', 'iris', '--model', 'mlp'];

describe('mapnn train: the output folder', () => {
  it('an --out that cannot be created or written fails at once with exit 1, naming the path and the OS error', () => {
    // Node's recursive mkdir never returns for /proc/x: this used to hang until killed
    for (const out of ['/proc/x', '/proc/x/y']) {
      const r = mapnn(['train', ...IRIS, '--out', out], { timeout: 20_000 });
      expectOneLineError(r, 1, new RegExp(`--out ${out}: cannot create the folder: ENOENT`));
    }
    const file = join(work, 'a-file');
    writeFileSync(file, 'x');
    expectOneLineError(mapnn(['train', ...IRIS, '--out', file], { timeout: 20_000 }), 1, /a-file is a file, not a folder/);
    expectOneLineError(mapnn(['train', ...IRIS, '--out', join(file, 'sub')], { timeout: 20_000 }), 1, /cannot create the folder: .*a-file is a file/);
  }, 60_000);

  it('a new run refuses a folder holding another run or other files (exit 2) unless --force, which replaces only mapnn outputs', () => {
    const out = join(work, 'owned');
    json(mapnn(['train', ...IRIS, '--epochs', '3', '--out', out, '--json']));
    const config = readFileSync(join(out, 'config.json'), 'utf8');
    const again = mapnn(['train', ...IRIS, '--epochs', '1', '--out', out]);
    expectOneLineError(again, 2, /holds a previous run; pass --force .* or choose another folder/);
    expect(readFileSync(join(out, 'config.json'), 'utf8')).toBe(config);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const r = json(mapnn(['train', ...IRIS, '--epochs', '1', '--out', out, '--force', '--json']));
    expect(r.epochsCompleted).toBe(1);
    // the old run's epochs are gone: eval DIR/checkpoints can only find this run's
    expect(readdirSync(join(out, 'checkpoints')).filter((f) => f.startsWith('latest-epoch-'))).toEqual(['latest-epoch-000001']);
    expect(loadCheckpoint(join(out, 'checkpoints')).state.epochsCompleted).toBe(1);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    const foreign = join(work, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'data.csv'), '1,2\n');
    expectOneLineError(mapnn(['train', ...IRIS, '--out', foreign]), 2, /is not empty \(data\.csv\); pass --force/);
  }, 120_000);

  it('the default folder mapnn-out is replaced by the next plain run (the README runs `mapnn train` twice)', () => {
    const cwd = join(work, 'default-out');
    mkdirSync(cwd);
    json(mapnn(['train', ...IRIS, '--epochs', '2', '--json'], { cwd }));
    const second = mapnn(['train', ...IRIS, '--epochs', '1'], { cwd });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/replaced the previous run's .*checkpoints.* in mapnn-out/);
    expect(loadCheckpoint(join(cwd, 'mapnn-out', 'checkpoints')).state.epochsCompleted).toBe(1);
    expect(readdirSync(join(cwd, 'mapnn-out', 'checkpoints')).filter((f) => f.startsWith('latest-epoch-'))).toEqual(['latest-epoch-000001']);
    // with a file of the user's in it, even the default folder needs --force
    writeFileSync(join(cwd, 'mapnn-out', 'notes.txt'), 'mine');
    expectOneLineError(mapnn(['train', ...IRIS, '--epochs', '1'], { cwd }), 2, /mapnn-out is not empty .*--force/);
  }, 120_000);
});

describe('mapnn train: a diverging run (NaN loss)', () => {
  const LINE = /loss became (NaN|Infinity|-Infinity) at epoch \d+, batch \d+ — the learning rate \(1e6\) is probably too high; try --lr 0\.05/;

  it('stops at the first non-finite batch with exit 1 and one line naming epoch, batch and learning rate; writes no NaN model', () => {
    const out = join(work, 'nan');
    const r = mapnn(['train', ...IRIS, '--optimizer', 'sgd', '--lr', '1e6', '--epochs', '5', '--out', out]);
    expectOneLineError(r, 1, LINE);
    expect(existsSync(join(out, 'model.safetensors'))).toBe(false);
    expect(existsSync(join(out, 'model.onnx'))).toBe(false);
    for (const f of weightFiles(out)) expect(nonFiniteIn(f), f).toBe(0);
    const j = mapnn(['train', ...IRIS, '--optimizer', 'sgd', '--lr', '1e6', '--epochs', '5', '--out', join(work, 'nan-json'), '--json']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ exitCode: 1, error: expect.stringMatching(LINE) });
  }, 60_000);

  it('a resumed run that diverges keeps the good model files and the last finite checkpoint', () => {
    const out = join(work, 'nan-resume');
    json(mapnn(['train', ...IRIS, '--optimizer', 'sgd', '--epochs', '1', '--out', out, '--json']));
    const before = readFileSync(join(out, 'model.safetensors'));
    const r = mapnn(['train', '--resume', out, '--lr', '1e6', '--epochs', '6']);
    expectOneLineError(r, 1, LINE);
    expect(r.stderr).toMatch(/last finite checkpoint \(epoch \d+\)/);
    expect(readFileSync(join(out, 'model.safetensors')).equals(before)).toBe(true);
    const files = weightFiles(out);
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect(nonFiniteIn(f), f).toBe(0);
    expect(loadCheckpoint(join(out, 'checkpoints')).state.epochsCompleted).toBeGreaterThanOrEqual(1);
    expect(json(mapnn(['eval', join(out, 'checkpoints'), '--json'])).metrics.accuracy).toBeGreaterThan(0.5);
  }, 60_000);
});

/** Why Dawn gives no WebGPU adapter here (null when it does), asked of a child process. */
function webgpuUnavailable(): string | null {
  const probe = "const m = await import('@mapnn/backend-webgpu/node'); await m.dawnGPU(); " +
    "const { setBackendAsync } = await import('@mapnn/core'); await setBackendAsync('webgpu');";
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8', cwd: join(here, '..'), timeout: 60_000 });
  return r.status === 0 ? null : (r.stderr.trim().split('\n').find((l) => /Error/.test(l)) ?? `exit ${r.status}`);
}

describe('mapnn --backend webgpu (Dawn; SwiftShader without a GPU)', () => {
  const reason = webgpuUnavailable();
  if (reason !== null) {
    if (CI) it('a WebGPU adapter is available (required when CI=true)', () => { throw new Error(`no WebGPU adapter: ${reason}`); });
    else it.skip(`no WebGPU adapter (${reason})`, () => {});
    return;
  }

  it('train, eval and predict run on webgpu (reads are awaited) and agree with cpu', () => {
    const out = join(work, 'webgpu');
    const t = json(mapnn(['train', ...IRIS, '--epochs', '2', '--backend', 'webgpu', '--out', out, '--json'], { timeout: 300_000 }));
    expect(t.backend).toBe('webgpu');
    expect(t.epochsCompleted).toBe(2);
    for (const f of ['model.onnx', 'model.safetensors', 'config.json', 'checkpoints/latest']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(loadCheckpoint(join(out, 'checkpoints')).state.epochsCompleted).toBe(2);
    const gpu = json(mapnn(['eval', out, '--backend', 'webgpu', '--json'], { timeout: 300_000 }));
    const cpu = json(mapnn(['eval', out, '--backend', 'cpu', '--json']));
    expect(gpu.backend).toBe('webgpu');
    expect(gpu.metrics.samples).toBe(30);
    expect(Math.abs(gpu.metrics.accuracy - cpu.metrics.accuracy)).toBeLessThanOrEqual(1 / 30);
    const csv = join(work, 'flowers.csv');
    writeFileSync(csv, '5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n');
    const p = json(mapnn(['predict', out, '--input', csv, '--backend', 'webgpu', '--json'], { timeout: 300_000 }));
    expect(p.predictions).toHaveLength(2);
    for (const q of p.predictions as { probabilities: number[] }[]) expect(q.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  }, 600_000);
});

describe('pnpm mapnn (the root script)', () => {
  it('--json prints exactly one JSON document on stdout (the build\'s output goes to stderr)', () => {
    const r = spawnSync('pnpm', ['mapnn', 'inspect', join(run(), 'model.onnx'), '--json'], { encoding: 'utf8', cwd: ROOT, timeout: 280_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ parameters: 38_282 });
  }, 300_000);
});
