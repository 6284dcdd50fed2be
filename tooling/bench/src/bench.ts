/**
 * mapnn vs its peer frameworks, side by side in one run.
 *
 *   node --expose-gc dist/bench.js [--backend cpu|wasm|webgpu] [--threads n] [--quick] [--json out.json]
 *                                  [--only matmul|conv|cnn|mlp] [--peers tfjs,jax,ort,torch]
 *
 * `--backend cpu` (default): mapnn-cpu vs tfjs-backend-cpu. `--backend wasm`: mapnn-wasm vs
 * tfjs-backend-wasm, jax-js (wasm, jit), onnxruntime-node (CPU EP) and PyTorch CPU (a Python
 * process running python/torch_bench.py; skipped with "PyTorch not installed" where
 * `python3 -c 'import torch'` fails). `--peers` picks a subset of those.
 *
 * Each case prepares inputs for every framework, warms them up, then alternates timed runs
 * (mapnn, peer 1, …, peer k, then peer k, …, mapnn, …). A timed run includes the computation,
 * reading the result back and disposing it; PyTorch's runs are timed inside Python. `--threads n`
 * sets the wasm backend's thread count (default: the core count; 1 = single-threaded) and the
 * thread count of the multi-threaded peers (ORT intra-op threads, torch.set_num_threads).
 * `--backend webgpu` runs its own asynchronous matmul bench (webgpu.ts).
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
import type { Frameworks } from './frameworks.js';
import { loadJax } from './peers/jax.js';
import { hasTorch, pythonPath, TorchProcess } from './peers/torch.js';
import { useTfjsWasm } from './peers/tfjs.js';
import { checkTargets, relDiff, table, timing, type BenchCase, type CaseResult, type Peer, type PeerResult, type Runner } from './report.js';
import { benchWebGPU } from './webgpu.js';

const ALL_PEERS = ['tfjs', 'jax', 'ort', 'torch'];
const GROUPS = ['matmul', 'conv', 'cnn', 'mlp'];

interface Options {
  backend: string;
  threads?: number;
  quick: boolean;
  json?: string;
  only?: string;
  peers?: string[];
}

const USAGE = 'usage: bench [--backend cpu|wasm|webgpu] [--threads n] [--quick] [--json out.json] [--only matmul|conv|cnn|mlp] [--peers tfjs,jax,ort,torch]';

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
    else if (arg === '--peers') opts.peers = value().split(',').filter(Boolean);
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  if (opts.only && !GROUPS.includes(opts.only)) throw new Error(`--only: one of ${GROUPS.join(', ')} (got ${opts.only})`);
  const bad = opts.peers?.filter((p) => !ALL_PEERS.includes(p));
  if (bad?.length) throw new Error(`--peers: unknown ${bad.join(', ')} (known: ${ALL_PEERS.join(', ')})`);
  if (opts.threads !== undefined && !(Number.isInteger(opts.threads) && opts.threads >= 1)) throw new Error('--threads needs a positive integer');
  return opts;
}

async function loadMapnnBackend(name: string, threads?: number): Promise<{ label: string; threads?: number }> {
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
  return typeof used === 'number' ? { label: `${name}, ${used} thread${used === 1 ? '' : 's'}`, threads: used } : { label: name };
}

/** Loads the peers of the run; a peer that cannot load is reported and left out. */
async function loadPeers(opts: Options, threads: number): Promise<{ fw: Frameworks; peers: Peer[]; close: () => Promise<void> }> {
  const want = (id: string) => !opts.peers || opts.peers.includes(id);
  const fw: Frameworks = { tfjs: 'cpu', threads };
  const peers: Peer[] = [];
  let close = async () => {};
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
        const wait = info.ompWaitPolicy ? `, OMP_WAIT_POLICY=${String(info.ompWaitPolicy)}` : '';
        peers.push({ id: 'torch', column: 'PyTorch CPU', label: `PyTorch ${String(info.torch)} (CPU, ${String(info.threads)} thread${info.threads === 1 ? '' : 's'}${wait}, timed in Python)` });
      } catch (e) {
        console.log(`PyTorch worker (python/torch_bench.py) failed to start, column skipped: ${message(e)}`);
      }
    }
  }
  return { fw, peers, close };
}

// A full collection between cases only: forcing one before every timed run discards JIT
// feedback (it slowed tfjs matmul 128 about 5× here), so timed runs include their own GC cost.
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** One timed run: wall time around `run`, or the time the framework measured itself. */
async function timeOnce(r: Runner): Promise<number> {
  const t0 = performance.now();
  const out = r.run();
  const own = out instanceof Promise ? await out : out;
  const wall = performance.now() - t0;
  return typeof own === 'number' ? own : wall;
}

interface Live {
  peer: Peer;
  runner: Runner;
  reps: number;
  warmup: number;
  note?: string;
  samples: number[];
  error?: string;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

async function runCase(c: BenchCase, peers: readonly Peer[]): Promise<CaseResult> {
  const gflop = c.flops / 1e9;
  if (c.skip) return { name: c.name, gflop, peers: [], skipped: c.skip };
  const m = c.mapnn(); // first: the training cases' peers start from mapnn's initial weights
  const live: Live[] = [];
  const results = new Map<string, PeerResult>();
  try {
    for (const peer of peers) {
      const entry = c.peers[peer.id];
      if (!entry) results.set(peer.id, { peer: peer.id, skipped: 'no runner for this case' });
      else if ('skip' in entry) results.set(peer.id, { peer: peer.id, skipped: entry.skip });
      else {
        try {
          const runner = await entry.make();
          live.push({ peer, runner, reps: entry.reps ?? c.reps, warmup: entry.warmup ?? c.warmup, note: entry.note, samples: [] });
        } catch (e) {
          results.set(peer.id, { peer: peer.id, skipped: `failed to set up: ${message(e)}` });
        }
      }
    }
    // a peer whose run throws is dropped from the case (its column says why); mapnn's error is fatal
    const guarded = async (l: Live, timed: boolean) => {
      if (l.error) return;
      try {
        const t = await timeOnce(l.runner);
        if (timed) l.samples.push(t);
      } catch (e) {
        l.error = `failed: ${message(e)}`;
      }
    };
    gc();
    for (let i = 0; i < Math.max(c.warmup, ...live.map((l) => l.warmup)); i++) {
      if (i < c.warmup) await m.run();
      for (const l of live) if (i < l.warmup) await guarded(l, false);
    }
    const ms: number[] = [];
    for (let i = 0; i < Math.max(c.reps, ...live.map((l) => l.reps)); i++) {
      // mapnn first on even rounds, last on odd ones (the peers in reverse)
      const order: (Live | null)[] = [null, ...live];
      if (i % 2) order.reverse();
      for (const l of order) {
        if (l === null) {
          if (i < c.reps) ms.push(await timeOnce(m));
        } else if (i < l.reps) await guarded(l, true);
      }
    }
    const mapnn = timing(ms, c.flops);
    const mine = await m.result();
    for (const l of live) {
      if (l.error) {
        results.set(l.peer.id, { peer: l.peer.id, skipped: l.error, note: l.note });
        continue;
      }
      const t = timing(l.samples, c.flops);
      let maxRelDiff: number | undefined;
      try {
        maxRelDiff = relDiff(mine, await l.runner.result());
      } catch {
        // no agreement figure
      }
      const note = [l.note, l.runner.note?.()].filter(Boolean).join('; ') || undefined;
      results.set(l.peer.id, { peer: l.peer.id, timing: t, speedup: t.medianMs / mapnn.medianMs, maxRelDiff, note });
    }
    return { name: c.name, gflop, mapnn, peers: peers.map((p) => results.get(p.id)!) };
  } finally {
    m.dispose();
    for (const l of live) {
      try {
        await l.runner.dispose();
      } catch {
        // a failed peer may not dispose cleanly; the process ends soon
      }
    }
  }
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.backend === 'webgpu') return benchWebGPU(opts);
  tf.env().set('PROD', true); // silences the "install tfjs-node" banner; no effect on kernels
  const mapnnBackend = await loadMapnnBackend(opts.backend, opts.threads);
  const threads = mapnnBackend.threads ?? opts.threads ?? cpus().length;
  const { fw, peers, close } = await loadPeers(opts, threads);
  try {
    const wasm = opts.backend === 'wasm';
    const cases: BenchCase[] = [];
    const want = (g: string) => !opts.only || opts.only === g;
    if (want('matmul')) for (const n of wasm ? [512, 1024] : [128, 256, 512, 1024]) cases.push(matmulCase(n, opts.quick, fw));
    if (want('conv')) cases.push(convCase(opts.quick, fw));
    if (want('cnn')) cases.push(cnnTrainCase(opts.quick, fw));
    if (want('mlp')) cases.push(mlpTrainCase(opts.quick, fw));

    const cpu = cpus()[0]?.model ?? 'unknown cpu';
    console.log(`mapnn (${mapnnBackend.label}) vs ${peers.map((p) => p.label).join(', ') || 'no peer'} — node ${process.version}, ${cpu}${opts.quick ? ', --quick' : ''}`);
    const results: CaseResult[] = [];
    for (const c of cases) {
      process.stdout.write(`  ${c.name} …`);
      const r = await runCase(c, peers);
      results.push(r);
      const ratios = r.peers.map((p) => {
        const v = p.speedup === undefined ? 'skipped' : `${p.speedup.toFixed(2)}×`;
        return peers.length === 1 ? v : `${peers.find((q) => q.id === p.peer)!.column} ${v}`;
      });
      process.stdout.write(r.skipped ? ` skipped (${r.skipped})\n` : ` ${ratios.join(', ')}\n`);
    }
    console.log();
    console.log(table(results, opts.backend, peers));
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
