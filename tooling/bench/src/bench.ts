/**
 * mapnn vs TensorFlow.js, side by side in one process.
 *
 *   node --expose-gc dist/bench.js [--backend cpu] [--quick] [--json out.json] [--only matmul|conv]
 *
 * Each case prepares inputs for both frameworks, warms both up, then alternates timed runs
 * (mapnn, tfjs, tfjs, mapnn, …). A timed run includes the computation, reading the result back
 * (dataSync) and disposing it.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setBackendAsync } from '@mapnn/core';
import { convCase } from './cases/conv.js';
import { matmulCase } from './cases/matmul.js';
import { relDiff, table, timing, type BenchCase, type CaseResult, type Runner } from './report.js';

interface Options {
  backend: string;
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
    else if (arg === '--quick') opts.quick = true;
    else if (arg === '--json') opts.json = value();
    else if (arg === '--only') opts.only = value();
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: bench [--backend cpu] [--quick] [--json out.json] [--only matmul|conv]');
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  return opts;
}

async function loadMapnnBackend(name: string): Promise<void> {
  if (name === 'cpu') await import('@mapnn/backend-cpu');
  else {
    const pkg = `@mapnn/backend-${name}`;
    try {
      await import(pkg);
    } catch (e) {
      throw new Error(`cannot load ${pkg} (is it built and a dependency of @mapnn/bench?): ${(e as Error).message}`);
    }
  }
  await setBackendAsync(name);
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
    for (let i = 0; i < c.warmup; i++) {
      m.run();
      t.run();
    }
    const ms: number[] = [];
    const ts: number[] = [];
    for (let i = 0; i < c.reps; i++) {
      if (i % 2 === 0) {
        ms.push(timeOnce(m));
        ts.push(timeOnce(t));
      } else {
        ts.push(timeOnce(t));
        ms.push(timeOnce(m));
      }
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
  await loadMapnnBackend(opts.backend);

  const cases: BenchCase[] = [];
  if (!opts.only || opts.only === 'matmul') for (const n of [128, 256, 512, 1024]) cases.push(matmulCase(n, opts.quick));
  if (!opts.only || opts.only === 'conv') cases.push(convCase(opts.quick));

  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  console.log(`mapnn (${opts.backend}) vs tfjs-backend-cpu ${tf.version_core} — node ${process.version}, ${cpu}${opts.quick ? ', --quick' : ''}`);
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
    const report = { date: new Date().toISOString(), node: process.version, cpu, backend: opts.backend, peer: `tfjs-backend-cpu ${tf.version_core}`, quick: opts.quick, results };
    writeFileSync(opts.json, JSON.stringify(report, null, 2));
    console.log(`\nwrote ${opts.json}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
