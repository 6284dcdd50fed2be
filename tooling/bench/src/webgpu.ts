/**
 * `bench --backend webgpu`: square matmul on the WebGPU backend (Dawn in Node) with GFLOP/s and
 * the adapter's name. WebGPU reads are asynchronous, so this path has its own loop: a timed run
 * is the matmul plus `await data()` (submit, GPU work, readback). No peer comparison yet
 * (tfjs-backend-webgpu and the CNN step come later). On a software adapter (SwiftShader, about
 * 0.05–0.1 GFLOP/s) sizes whose warm-up run exceeds a time budget are skipped.
 */
import { writeFileSync } from 'node:fs';
import { matmul, setBackendAsync, tensor, type Backend } from '@mapnn/core';
import { randomData } from './cases/data.js';
import { timing, type Timing } from './report.js';

export interface WebGPUBenchOptions {
  quick: boolean;
  json?: string;
  only?: string;
  /** Skip sizes whose warm-up run takes longer than this (ms; default 10 s). */
  budgetMs?: number;
}

interface Row {
  name: string;
  gflop: number;
  timing?: Timing;
  skipped?: string;
}

async function timeMatmul(n: number, reps: number, budgetMs: number): Promise<Row> {
  const flops = 2 * n * n * n;
  const name = `matmul ${n}×${n}×${n}`;
  const x = tensor(randomData(n * n, 1), [n, n]);
  const y = tensor(randomData(n * n, 2), [n, n]);
  const once = async () => {
    const t0 = performance.now();
    const z = matmul(x, y);
    await z.data();
    z.dispose();
    return performance.now() - t0;
  };
  try {
    const warm = await once(); // includes compiling the pipeline
    if (warm > budgetMs) return { name, gflop: flops / 1e9, skipped: `warm-up took ${(warm / 1000).toFixed(1)} s (budget ${budgetMs / 1000} s)` };
    const ms: number[] = [];
    for (let i = 0; i < reps; i++) ms.push(await once());
    return { name, gflop: flops / 1e9, timing: timing(ms, flops) };
  } finally {
    x.dispose();
    y.dispose();
  }
}

/** Runs the WebGPU matmul bench and prints a Markdown table. */
export async function benchWebGPU(opts: WebGPUBenchOptions): Promise<void> {
  if (opts.only && opts.only !== 'matmul') throw new Error(`--backend webgpu: only the matmul case exists so far (got --only ${opts.only})`);
  try {
    await import('@mapnn/backend-webgpu/node');
  } catch (e) {
    throw new Error(`cannot load @mapnn/backend-webgpu/node (is it built, and is the 'webgpu' package installed?): ${(e as Error).message}`);
  }
  const backend = (await setBackendAsync('webgpu')) as Backend & { adapterName?: string };
  const adapter = backend.adapterName ?? 'unknown adapter';
  const budgetMs = opts.budgetMs ?? 10_000;
  console.log(`mapnn (webgpu) — adapter "${adapter}", node ${process.version}${opts.quick ? ', --quick' : ''}`);
  const rows: Row[] = [];
  for (const n of [128, 256, 512, 1024]) {
    process.stdout.write(`  matmul ${n} …`);
    const reps = opts.quick ? 2 : n >= 1024 ? 3 : n >= 512 ? 5 : 10;
    const r = await timeMatmul(n, reps, budgetMs);
    rows.push(r);
    process.stdout.write(r.skipped ? ` skipped (${r.skipped})\n` : ` ${r.timing!.gflops.toFixed(2)} GFLOP/s\n`);
  }
  const fmt = (v: number | undefined, d = 1) => (v === undefined ? '–' : v.toFixed(d));
  console.log('\n| case | GFLOP | median ms | min ms | GFLOP/s |\n|---|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${fmt(r.gflop, 3)} | ${r.skipped ? 'skipped' : fmt(r.timing?.medianMs)} | ${fmt(r.timing?.minMs)} | ${fmt(r.timing?.gflops, 3)} |`);
  }
  if (opts.json) {
    writeFileSync(opts.json, JSON.stringify({ date: new Date().toISOString(), node: process.version, backend: 'webgpu', adapter, quick: opts.quick, results: rows }, null, 2));
    console.log(`\nwrote ${opts.json}`);
  }
}

