/**
 * mapnn vs its peer frameworks, side by side in one run.
 *
 *   node --expose-gc dist/bench.js [--backend cpu|wasm|webgpu] [--threads n] [--quick] [--json out.json]
 *                                  [--only matmul|conv|cnn|mlp|prune|int8] [--peers tfjs,jax,ort,torch] [--budget s] [--burst n]
 *                                  [--spin-wait ms]
 *
 * `--backend cpu` (default): mapnn-cpu vs tfjs-backend-cpu. `--backend wasm`: mapnn-wasm vs
 * tfjs-backend-wasm, jax-js (wasm, jit), onnxruntime-node (CPU EP) and PyTorch CPU (a Python
 * process running python/torch_bench.py; skipped with "PyTorch not installed" where
 * `python3 -c 'import torch'` fails). `--peers` picks a subset of those.
 *
 * `--backend webgpu`: mapnn's WebGPU backend (Dawn) vs tfjs-backend-webgpu on the same GPU object
 * and adapter (webgpu.ts), on matmul 128/256/512 (+1024 without --quick) and the CNN training step
 * (tfjs-layers); `--only conv|mlp` runs those cases there too. Its runners read back
 * asynchronously and are awaited.
 *
 * `--only int8` (cases/int8-cnn.ts): the Fashion-MNIST CNN's inference in float32 and as its
 * int8 post-training quantized model (@mapnn/compression), batch 64 and 1, with onnxruntime-node
 * on the float and QDQ files, then the float32 / int8 ratio per batch (issue 16: ≥ 1.5×).
 *
 * Each case prepares inputs for every framework, warms them up, then alternates timed turns
 * (harness.ts): one run per turn, or 5 back-to-back steps per turn in the MLP training case (as
 * in a training loop); `--burst n` sets the runs per turn of every case. `--spin-wait ms` sets how
 * long mapnn-wasm's idle workers spin before sleeping (default 1 ms; `setWasmSpinWait`). A timed run includes the computation, reading the result back and disposing it;
 * PyTorch's runs are timed inside Python. `--threads n` sets the wasm backend's thread count
 * (default: the core count; 1 = single-threaded) and the thread count of the multi-threaded peers
 * (ORT intra-op threads, torch.set_num_threads). `--budget s` is the time budget of one run: a
 * framework whose warm-up run takes longer is skipped in that case (default on webgpu: 10 s for
 * matmul and MLP, 30 s for conv, 90 s for the CNN step — SwiftShader is slow; none elsewhere).
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setBackendAsync } from '@mapnn/core';
import { convCase } from './cases/conv.js';
import { matmulCase } from './cases/matmul.js';
import { cnnTrainCase } from './cases/cnn-train.js';
import { mlpTrainCase } from './cases/mlp-train.js';
import { prunedCnnCase } from './cases/pruned-cnn.js';
import { int8CnnCases, int8Speedups } from './cases/int8-cnn.js';
import type { Frameworks } from './frameworks.js';
import { loadJax } from './peers/jax.js';
import { hasTorch, pythonPath, TorchProcess } from './peers/torch.js';
import { useTfjsWasm } from './peers/tfjs.js';
import { message, runCase } from './harness.js';
import { checkTargets, resultLines, table, type BenchCase, type CaseResult, type Peer } from './report.js';
import { ABSOLUTE_SPEED_NOTE, isSoftwareAdapter, loadMapnnWebGPU, useTfjsWebGPU, type GPULike } from './webgpu.js';

const ALL_PEERS = ['tfjs', 'jax', 'ort', 'torch'];
const GROUPS = ['matmul', 'conv', 'cnn', 'mlp', 'prune', 'int8'];

interface Options {
  backend: string;
  threads?: number;
  burst?: number;
  spinWait?: number;
  quick: boolean;
  json?: string;
  only?: string;
  peers?: string[];
  /** Time budget of one run, seconds. */
  budget?: number;
}

const USAGE = 'usage: bench [--backend cpu|wasm|webgpu] [--threads n] [--quick] [--json out.json] [--only matmul|conv|cnn|mlp|prune|int8] [--peers tfjs,jax,ort,torch] [--budget s] [--burst n] [--spin-wait ms]';

/** Default time budget of one run per case group on webgpu (ms): SwiftShader does ~0.1 GFLOP/s. */
const WEBGPU_BUDGET_MS: Record<string, number> = { matmul: 10_000, conv: 30_000, cnn: 90_000, mlp: 10_000 };

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
    else if (arg === '--burst') opts.burst = Number(value());
    else if (arg === '--spin-wait') opts.spinWait = Number(value());
    else if (arg === '--peers') opts.peers = value().split(',').filter(Boolean);
    else if (arg === '--budget') opts.budget = Number(value());
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  if (opts.only && !GROUPS.includes(opts.only)) throw new Error(`--only: one of ${GROUPS.join(', ')} (got ${opts.only})`);
  const bad = opts.peers?.filter((p) => !ALL_PEERS.includes(p));
  if (bad?.length) throw new Error(`--peers: unknown ${bad.join(', ')} (known: ${ALL_PEERS.join(', ')})`);
  if (opts.threads !== undefined && !(Number.isInteger(opts.threads) && opts.threads >= 1)) throw new Error('--threads needs a positive integer');
  if (opts.budget !== undefined && !(opts.budget > 0)) throw new Error('--budget needs a positive number of seconds');
  if (opts.burst !== undefined && !(Number.isInteger(opts.burst) && opts.burst >= 1)) throw new Error('--burst needs a positive integer');
  if (opts.spinWait !== undefined && !(opts.spinWait >= 0 && opts.spinWait <= 1000)) throw new Error('--spin-wait needs 0 to 1000 ms');
  return opts;
}

interface MapnnBackend {
  label: string;
  threads?: number;
  /** wasm: resolves once the pool's idle workers sleep (see HarnessOptions.settle). */
  settle?: () => Promise<void>;
  /** webgpu: the Dawn GPU object and mapnn's adapter. */
  gpu?: GPULike;
  adapter?: string;
  vulkan?: string;
}

async function loadMapnnBackend(name: string, threads?: number, spinWait?: number): Promise<MapnnBackend> {
  if (name === 'webgpu') {
    const { gpu, adapter, vulkan } = await loadMapnnWebGPU();
    return { label: `webgpu, adapter "${adapter}"`, gpu, adapter, vulkan };
  }
  if (name === 'cpu') await import('@mapnn/backend-cpu');
  else if (name === 'wasm') {
    const wasm = await import('@mapnn/backend-wasm');
    if (threads !== undefined) await wasm.setWasmThreads(threads);
    if (spinWait !== undefined) wasm.setWasmSpinWait(spinWait);
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
  const pool = (backend as { pool?: { sleeping: number; size: number } | null }).pool;
  const settle = pool
    ? async () => {
        // the workers spin ~1 ms after their last job, then sleep; wait for that (at most 50 ms)
        const end = performance.now() + 50;
        while (pool.sleeping < pool.size - 1 && performance.now() < end) await new Promise((r) => setTimeout(r, 1));
      }
    : undefined;
  return typeof used === 'number' ? { label: `${name}, ${used} thread${used === 1 ? '' : 's'}`, threads: used, settle } : { label: name };
}

/** Loads the peers of the run; a peer that cannot load is reported and left out. */
async function loadPeers(opts: Options, threads: number, mapnnBackend: MapnnBackend): Promise<{ fw: Frameworks; peers: Peer[]; close: () => Promise<void> }> {
  const want = (id: string) => !opts.peers || opts.peers.includes(id);
  const fw: Frameworks = { tfjs: 'cpu', threads };
  const peers: Peer[] = [];
  let close = async () => {};
  if (opts.backend === 'webgpu') {
    fw.asyncReads = true;
    const others = opts.peers?.filter((p) => p !== 'tfjs') ?? [];
    if (others.length) console.log(`--backend webgpu compares with tfjs-backend-webgpu only: ${others.join(', ')} left out`);
    if (want('tfjs')) {
      try {
        const { label, adapter } = await useTfjsWebGPU(mapnnBackend.gpu!);
        fw.tfjs = 'webgpu';
        peers.push({ id: 'tfjs', column: 'tfjs-webgpu', label, adapter });
        if (adapter !== mapnnBackend.adapter) console.log(`warning: tfjs-backend-webgpu got adapter "${adapter}", mapnn "${mapnnBackend.adapter}"`);
        return { fw, peers, close };
      } catch (e) {
        console.log(`tfjs-backend-webgpu unavailable, column skipped: ${message(e)}`);
      }
    }
    await tf.setBackend('cpu'); // tfjs still has to be on some backend; no tfjs column
    return { fw, peers, close };
  }
  if (opts.backend !== 'wasm') {
    await tf.setBackend('cpu');
    peers.push({ id: 'tfjs', column: 'tfjs-cpu', label: `tfjs-backend-cpu ${tf.version_core}` });
    return { fw, peers, close };
  }
  if (want('tfjs')) {
    const { label } = await useTfjsWasm();
    fw.tfjs = 'wasm';
    peers.push({ id: 'tfjs', column: 'tfjs-wasm', label });
  } else await tf.setBackend('cpu'); // tfjs still has to be on some backend; no tfjs column
  if (want('jax')) {
    try {
      const { jax, label } = await loadJax();
      fw.jax = jax;
      peers.push({ id: 'jax', column: 'jax-js', label });
    } catch (e) {
      console.log(`jax-js unavailable, column skipped: ${(e as Error).message}`);
    }
  }
  if (want('ort')) {
    try {
      const ort = await import('onnxruntime-node');
      fw.ort = ((ort as unknown as { default?: typeof ort }).default ?? ort) as Frameworks['ort'] & object;
      peers.push({ id: 'ort', column: 'ORT', label: `onnxruntime-node ${fw.ort.env.versions.node ?? '?'} (CPU EP, ${threads} intra-op thread${threads === 1 ? '' : 's'}, no idle spinning)` });
    } catch (e) {
      console.log(`onnxruntime-node unavailable, column skipped: ${(e as Error).message}`);
    }
  }
  if (want('torch')) {
    const python = pythonPath();
    if (!hasTorch(python)) console.log(`PyTorch not installed (${python} -c 'import torch' failed): PyTorch column skipped`);
    else {
      try {
        const { proc, info } = await TorchProcess.start(threads, python);
        fw.torch = proc;
        close = () => proc.close();
        const wait =
          (info.ompWaitPolicy ? `, OMP_WAIT_POLICY=${String(info.ompWaitPolicy)}` : '') +
          (info.openblasThreadTimeout ? `, OPENBLAS_THREAD_TIMEOUT=${String(info.openblasThreadTimeout)}` : '');
        peers.push({ id: 'torch', column: 'PyTorch CPU', label: `PyTorch ${String(info.torch)} (CPU, ${String(info.threads)} thread${info.threads === 1 ? '' : 's'}${wait}, timed in Python)` });
      } catch (e) {
        console.log(`PyTorch worker (python/torch_bench.py) failed to start, column skipped: ${message(e)}`);
      }
    }
  }
  return { fw, peers, close };
}

/** The dense / 50 %-channel-pruned CNN inference ratio of one run (issue 16: ≥ 1.6×), if both ran. */
function pruningSpeedup(results: CaseResult[]): string | undefined {
  const ms = (what: string) => results.find((r) => r.name.startsWith('CNN inference') && r.name.includes(what))?.mapnn?.medianMs;
  const dense = ms('dense');
  const pruned = ms('pruned');
  if (dense === undefined || pruned === undefined) return undefined;
  return `Structured pruning (issue 16, target ≥ 1.6×): dense ${dense.toFixed(1)} ms / 50 % channels pruned ${pruned.toFixed(1)} ms = ${(dense / pruned).toFixed(2)}× faster`;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  tf.env().set('PROD', true); // silences the "install tfjs-node" banner; no effect on kernels
  const mapnnBackend = await loadMapnnBackend(opts.backend, opts.threads, opts.spinWait);
  const threads = mapnnBackend.threads ?? opts.threads ?? cpus().length;
  const { fw, peers, close } = await loadPeers(opts, threads, mapnnBackend);
  try {
    const wasm = opts.backend === 'wasm';
    const webgpu = opts.backend === 'webgpu';
    const cases: BenchCase[] = [];
    // webgpu runs matmul and the CNN step by default; conv and the MLP step with --only
    const want = (g: string) => (opts.only ? opts.only === g : !webgpu || g === 'matmul' || g === 'cnn');
    const budgets = new Map<string, number>(); // per group, for the header
    const add = (group: string, c: BenchCase) => {
      const budget = opts.budget !== undefined ? opts.budget * 1000 : webgpu ? WEBGPU_BUDGET_MS[group] : undefined;
      if (budget !== undefined) (c.budgetMs = budget), budgets.set(group, budget);
      cases.push(c);
    };
    const sizes = wasm ? [512, 1024] : webgpu && opts.quick ? [128, 256, 512] : [128, 256, 512, 1024];
    if (want('matmul')) for (const n of sizes) add('matmul', matmulCase(n, opts.quick, fw));
    if (want('conv')) add('conv', convCase(opts.quick, fw));
    if (want('cnn')) add('cnn', cnnTrainCase(opts.quick, fw));
    if (want('mlp')) add('mlp', mlpTrainCase(opts.quick, fw));
    if (want('prune')) for (const pruned of [false, true]) add('prune', prunedCnnCase(pruned, opts.quick, fw));
    if (want('int8')) for (const c of int8CnnCases(opts.quick, fw)) add('int8', c);

    const cpu = cpus()[0]?.model ?? 'unknown cpu';
    console.log(`mapnn (${mapnnBackend.label}) vs ${peers.map((p) => p.label).join(', ') || 'no peer'} — node ${process.version}, ${cpu}${opts.quick ? ', --quick' : ''}`);
    const software = webgpu && isSoftwareAdapter(mapnnBackend.adapter ?? '');
    if (webgpu) {
      console.log(`${software ? 'software adapter' : 'adapter'} "${mapnnBackend.adapter}"${mapnnBackend.vulkan ? ` (SwiftShader added: ${mapnnBackend.vulkan})` : ''}; budget per run: ${[...budgets].map(([g, ms]) => `${g} ${ms / 1000} s`).join(', ')}`);
    }
    const results: CaseResult[] = [];
    for (const c of cases) {
      process.stdout.write(`  ${c.name} …`);
      const r = await runCase(c, peers, { burst: opts.burst, settle: mapnnBackend.settle });
      results.push(r);
      const ratios = r.peers.map((p) => {
        const v = p.speedup === undefined ? 'skipped' : `${p.speedup.toFixed(2)}×`;
        return peers.length === 1 ? v : `${peers.find((q) => q.id === p.peer)!.column} ${v}`;
      });
      process.stdout.write(r.skipped ? ` skipped (${r.skipped})\n` : ` ${ratios.join(', ')}\n`);
    }
    console.log();
    console.log(table(results, opts.backend, peers));
    const pruning = pruningSpeedup(results);
    if (pruning) console.log(`\n${pruning}`);
    const int8 = int8Speedups(results);
    if (int8) console.log(`\n${int8}`);
    const losses = resultLines(results, peers);
    if (losses.length) console.log(`\n${losses.join('\n')}`);
    if (webgpu) console.log(`\nadapter: "${mapnnBackend.adapter}"${software ? ' (software)' : ''}. ${ABSOLUTE_SPEED_NOTE}`);
    const torchIdx = peers.findIndex((p) => p.id === 'torch');
    if (torchIdx >= 0) {
      const ratios = results.filter((r) => !r.skipped).map((r) => {
        const p = r.peers[torchIdx];
        return `${r.name}: ${p?.speedup === undefined ? 'skipped' : `${p.speedup.toFixed(2)}× (mapnn ${r.mapnn!.gflops.toFixed(1)} vs PyTorch ${p.timing!.gflops.toFixed(1)} GFLOP/s)`}`;
      });
      console.log(`\nRatio to PyTorch CPU (PyTorch median ms / mapnn-${opts.backend} median ms; > 1: mapnn is faster):\n  ${ratios.join('\n  ')}`);
    }
    const targets = wasm ? checkTargets(results, threads) : [];
    if (targets.length) {
      console.log('\nTargets (issue 7; absolute GFLOP/s targets assume an otherwise idle machine):');
      for (const t of targets) console.log(`  ${t.met === undefined ? '?' : t.met ? 'met ' : 'MISS'}  ${t.target}: ${t.measured}`);
    }
    if (opts.json) {
      const report = {
        date: new Date().toISOString(),
        node: process.version,
        cpu,
        cores: cpus().length,
        backend: mapnnBackend.label,
        ...(webgpu ? { adapter: mapnnBackend.adapter, softwareAdapter: software, vulkan: mapnnBackend.vulkan, note: ABSOLUTE_SPEED_NOTE } : {}),
        threads,
        peer: peers.map((p) => p.label).join(', '),
        peers,
        quick: opts.quick,
        results,
        targets,
      };
      writeFileSync(opts.json, JSON.stringify(report, null, 2));
      console.log(`\nwrote ${opts.json}`);
    }
  } finally {
    await close();
  }
}

main().then(
  () => process.exit(0), // worker threads (mapnn-wasm, jax-js) and native pools must not keep the process alive
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
