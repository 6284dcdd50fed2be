/**
 * mapnn vs TensorFlow.js, side by side in one process.
 *
 *   node --expose-gc dist/bench.js [--backend cpu|wasm] [--threads n] [--quick] [--json out.json] [--only matmul|conv|cnn]
 *
 * Each case prepares inputs for both frameworks, warms both up, then alternates timed runs
 * (mapnn, tfjs, tfjs, mapnn, …). A timed run includes the computation, reading the result back
 * (dataSync) and disposing it. `--threads n` sets the wasm backend's thread count (default: the
 * core count; 1 = single-threaded).
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setBackendAsync } from '@mapnn/core';
import { convCase } from './cases/conv.js';
import { matmulCase } from './cases/matmul.js';
import { cnnTrainCase } from './cases/cnn-train.js';
import { relDiff, table, timing, type BenchCase, type CaseResult, type Runner } from './report.js';

interface Options {
  backend: string;
  threads?: number;
  quick: boolean;
  json?: string;
  only?: string;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { backend: 'cpu', quick: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--backend') opts.backend = value();
    else if (arg === '--threads') opts.threads = Number(value());
    else if (arg === '--quick') opts.quick = true;
    else if (arg === '--json') opts.json = value();
    else if (arg === '--only') opts.only = value();
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: bench [--backend cpu|wasm] [--threads n] [--quick] [--json out.json] [--only matmul|conv|cnn]');
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  return opts;
}

async function loadMapnnBackend(name: string, threads?: number): Promise<string> {
  if (name === 'cpu') await import('@mapnn/backend-cpu');
  else if (name === 'wasm') {
    const wasm = await import('@mapnn/backend-wasm');
    if (threads !== undefined) await wasm.setWasmThreads(threads);
  } else {
    const pkg = `@mapnn/backend-${name}`;
    try {
      await import(pkg);
    } catch (e) {
      throw new Error(`cannot load ${pkg} (is it built and a dependency of @mapnn/bench?): ${(e as Error).message}`);
    }
  }
  const backend = await setBackendAsync(name);
  const used = backend.memory().threads;
  return typeof used === 'number' ? `${name}, ${used} thread${used === 1 ? '' : 's'}` : name;
}

// A full collection between cases only: forcing one before every timed run discards JIT
// feedback (it slowed tfjs matmul 128 about 5× here), so timed runs include their own GC cost.
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function timeOnce(r: Runner): number {
  const t0 = performance.now();
  r.run();
  return performance.now() - t0;
}

function runCase(c: BenchCase): CaseResult {
  const gflop = c.flops / 1e9;
  if (c.skip) return { name: c.name, gflop, skipped: c.skip };
  const m = c.mapnn();
  const t = c.tfjs();
  try {
    gc();
    const tWarm = c.tfjsWarmup ?? c.warmup;
    const tReps = c.tfjsReps ?? c.reps;
    for (let i = 0; i < Math.max(c.warmup, tWarm); i++) {
      if (i < c.warmup) m.run();
      if (i < tWarm) t.run();
    }
    const ms: number[] = [];
    const ts: number[] = [];
    for (let i = 0; i < Math.max(c.reps, tReps); i++) {
      const order: [Runner, number[], number][] = i % 2 === 0 ? [[m, ms, c.reps], [t, ts, tReps]] : [[t, ts, tReps], [m, ms, c.reps]];
      for (const [r, into, n] of order) if (i < n) into.push(timeOnce(r));
    }
    const mapnn = timing(ms, c.flops);
    const tfjs = timing(ts, c.flops);
    return { name: c.name, gflop, mapnn, tfjs, speedup: tfjs.medianMs / mapnn.medianMs, maxRelDiff: relDiff(m.result(), t.result()) };
  } finally {
    m.dispose();
    t.dispose();
  }
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  tf.env().set('PROD', true); // silences the "install tfjs-node" banner; no effect on kernels
  await tf.setBackend('cpu');
  const label = await loadMapnnBackend(opts.backend, opts.threads);

  const cases: BenchCase[] = [];
  if (!opts.only || opts.only === 'matmul') for (const n of [128, 256, 512, 1024]) cases.push(matmulCase(n, opts.quick));
  if (!opts.only || opts.only === 'conv') cases.push(convCase(opts.quick));
  if (!opts.only || opts.only === 'cnn') cases.push(cnnTrainCase(opts.quick));

  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  console.log(`mapnn (${label}) vs tfjs-backend-cpu ${tf.version_core} — node ${process.version}, ${cpu}${opts.quick ? ', --quick' : ''}`);
  const results: CaseResult[] = [];
  for (const c of cases) {
    process.stdout.write(`  ${c.name} …`);
    const r = runCase(c);
    results.push(r);
    process.stdout.write(r.skipped ? ` skipped (${r.skipped})\n` : ` ${r.speedup!.toFixed(2)}×\n`);
  }
  console.log();
  console.log(table(results, opts.backend));
  if (opts.json) {
    const report = { date: new Date().toISOString(), node: process.version, cpu, backend: label, peer: `tfjs-backend-cpu ${tf.version_core}`, quick: opts.quick, results };
    writeFileSync(opts.json, JSON.stringify(report, null, 2));
    console.log(`\nwrote ${opts.json}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
