/** Benchmark cases, timing statistics and the stdout tables / JSON report. */

/**
 * What one timed run returns: nothing (the harness times the call), or the run's own time in ms
 * when the framework measures itself (PyTorch, timed inside its Python process, so that the pipe
 * to it is not counted).
 */
export type RunOutcome = void | number;

/**
 * One prepared workload: `run` does the whole computation, reads the result back and frees it.
 * `run` may be asynchronous — WebGPU (mapnn's and tfjs-backend-webgpu) can only read back with
 * `await data()` — and the harness awaits it, so a timed run ends when the readback has arrived.
 * The cpu/wasm runners stay synchronous (no await on their timed path).
 */
export interface Runner {
  run(): RunOutcome | Promise<RunOutcome>;
  /** The result as a flat array in the case's reference layout (for the agreement check). */
  result(): Float32Array | Promise<Float32Array>;
  dispose(): void | Promise<void>;
  /** A remark on this runner's timed runs, read after them (printed under the table). */
  note?(): string | undefined;
}

/** How a peer framework runs one case. */
export interface PeerRunner {
  make(): Runner | Promise<Runner>;
  /** Overrides of the case's reps / warm-up runs when one of this peer's runs takes seconds. */
  reps?: number;
  warmup?: number;
  /** Printed under the table (e.g. a kernel the peer lacks and the bench supplies). */
  note?: string;
}

/** A peer's entry in a case: a runner, or why this peer cannot run the case. */
export type PeerEntry = PeerRunner | { skip: string };

export interface BenchCase {
  name: string;
  /** Floating-point operations of one run (a multiply-add counts 2). */
  flops: number;
  /** Timed repetitions and warm-up runs per framework (`--quick` scales them down). */
  reps: number;
  warmup: number;
  /**
   * Consecutive timed runs per framework turn (default 1: strict alternation). Training-step
   * cases use more, as a training loop runs its steps back to back; the turns still alternate,
   * so every framework sees the same machine conditions.
   */
  burst?: number;
  /**
   * mapnn's runner, made before the peers' (the training cases' peers start from the initial
   * weights it reads back; asynchronous where reads are).
   */
  mapnn(): Runner | Promise<Runner>;
  /** Peer runners by peer id (`tfjs`, `jax`, `ort`, `torch`); a peer not listed has no runner. */
  peers: Partial<Record<string, PeerEntry>>;
  /** Set when the case cannot run yet (e.g. an op is missing); the reason is printed instead. */
  skip?: string;
  /**
   * Time budget of one run (ms), checked on each framework's warm-up runs: when mapnn's exceeds
   * it the case is skipped, when a peer's does that peer is (the reason names the time). Set for
   * slow adapters (`--backend webgpu` on SwiftShader) and by `--budget`.
   */
  budgetMs?: number;
}

/** A peer framework of one bench run. */
export interface Peer {
  /** Key into `BenchCase.peers`. */
  id: string;
  /** Short column label, e.g. `tfjs-wasm`. */
  column: string;
  /** Full description (version, threads) for the header and the JSON report. */
  label: string;
  /** GPU peers: the adapter the framework runs on. */
  adapter?: string;
}

export interface Timing {
  medianMs: number;
  minMs: number;
  gflops: number;
  samples: number[];
}

export interface PeerResult {
  peer: string;
  timing?: Timing;
  /** peer median time / mapnn median time (> 1: mapnn is faster). */
  speedup?: number;
  /** max |mapnn − peer| / max |peer| over the output. */
  maxRelDiff?: number;
  /** The peer's result when it is small (≤ 16 values: the training cases' first-step loss). */
  result?: number[];
  skipped?: string;
  note?: string;
}

export interface CaseResult {
  name: string;
  gflop: number;
  mapnn?: Timing;
  /** mapnn's result when it is small (≤ 16 values: the training cases' first-step loss). */
  mapnnResult?: number[];
  /** One entry per peer of the run, in the run's peer order. */
  peers: PeerResult[];
  skipped?: string;
  /** The case's time budget per run (ms), when it had one. */
  budgetMs?: number;
}

export function timing(samples: number[], flops: number): Timing {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const medianMs = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { medianMs, minMs: s[0]!, gflops: flops / (medianMs * 1e6), samples };
}

/** A result worth keeping in the report (≤ 16 values), else undefined. */
export function smallResult(a: Float32Array | undefined): number[] | undefined {
  return a && a.length > 0 && a.length <= 16 ? Array.from(a) : undefined;
}

/** One line per case with small results: each framework's values (the first-step losses). */
export function resultLines(results: CaseResult[], peers: readonly Peer[]): string[] {
  const v = (a: number[]) => a.map((x) => x.toPrecision(7)).join(', ');
  return results
    .filter((r) => r.mapnnResult)
    .map((r) => {
      const others = r.peers.filter((p) => p.result).map((p) => `${peers.find((q) => q.id === p.peer)?.column ?? p.peer} ${v(p.result!)}`);
      return `${r.name}: first-step loss mapnn ${v(r.mapnnResult!)}${others.length ? `, ${others.join(', ')}` : ''}`;
    });
}

export function relDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= diff)) diff = d;
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / (scale || 1);
}

const fmt = (x: number | undefined, digits = 1) => (x === undefined ? '–' : x.toFixed(digits));
const times = (x: number | undefined) => (x === undefined ? '–' : `${x.toFixed(2)}×`);
const expo = (x: number | undefined) => (x === undefined ? '–' : x.toExponential(1));
/** Milliseconds with 3 significant digits at least (sub-ms runs stay readable). */
const ms = (x: number | undefined) => (x === undefined ? '–' : x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(3));

/** A Markdown table: the first `left` columns (labels) left-aligned, the numbers right-aligned. */
function markdown(head: string[], rows: string[][], left = 1): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i < left ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i < left ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

/** The notes under a table: skipped cases, and each peer's skip reasons and notes (once each). */
function notes(results: CaseResult[], peers: readonly Peer[]): string {
  const out: string[] = results.filter((r) => r.skipped).map((r) => `${r.name}: skipped — ${r.skipped}`);
  const seen = new Set<string>();
  for (const r of results) {
    for (const p of r.peers) {
      const column = peers.find((q) => q.id === p.peer)?.column ?? p.peer;
      for (const text of [p.skipped && `${r.name}: ${column} skipped — ${p.skipped}`, p.note && `${column}: ${p.note}`]) {
        if (text && !seen.has(text)) (seen.add(text), out.push(text));
      }
    }
  }
  return out.map((n) => `\n${n}`).join('');
}

/**
 * Markdown table (renders as-is in BENCHMARKS.md). With one peer (the default cpu-vs-tfjs-cpu
 * run) it is one row per case with both frameworks side by side; with several, `multiTable`.
 */
export function table(results: CaseResult[], backend: string, peers: readonly Peer[] = [{ id: 'tfjs', column: 'tfjs-cpu', label: 'tfjs-cpu' }]): string {
  if (peers.length !== 1) return multiTable(results, backend, peers);
  const peer = peers[0]!;
  const head = [
    'case',
    'GFLOP',
    `mapnn-${backend} median ms`,
    'min ms',
    'GFLOP/s',
    `${peer.column} median ms`,
    'min ms',
    'GFLOP/s',
    `mapnn/${peer.column.split('-')[0]}`,
    'max rel diff',
  ];
  const rows = results.map((r) => {
    const p = r.peers.find((q) => q.peer === peer.id);
    return r.skipped
      ? [r.name, fmt(r.gflop, 3), 'skipped', '', '', '', '', '', '', '']
      : [
          r.name,
          fmt(r.gflop, 3),
          fmt(r.mapnn?.medianMs),
          fmt(r.mapnn?.minMs),
          fmt(r.mapnn?.gflops, 2),
          p?.skipped ? 'skipped' : fmt(p?.timing?.medianMs),
          fmt(p?.timing?.minMs),
          fmt(p?.timing?.gflops, 2),
          times(p?.speedup),
          expo(p?.maxRelDiff),
        ];
  });
  return markdown(head, rows) + notes(results, peers);
}

/**
 * Several peers: a long table (one row per case and framework: median and min ms, GFLOP/s,
 * mapnn's speed-up over that framework, agreement) followed by a summary of mapnn's speed-ups,
 * one column per peer (a value < 1 means the peer is faster).
 */
export function multiTable(results: CaseResult[], backend: string, peers: readonly Peer[]): string {
  const mapnnName = `mapnn-${backend}`;
  const head = ['case', 'framework', 'median ms', 'min ms', 'GFLOP/s', 'mapnn speed-up', 'max rel diff'];
  const rows: string[][] = [];
  for (const r of results) {
    if (r.skipped) {
      rows.push([r.name, mapnnName, 'skipped', '', '', '', '']);
      continue;
    }
    rows.push([r.name, mapnnName, ms(r.mapnn?.medianMs), ms(r.mapnn?.minMs), fmt(r.mapnn?.gflops, 2), '', '']);
    for (const peer of peers) {
      const p = r.peers.find((q) => q.peer === peer.id);
      if (!p || p.skipped) rows.push(['', peer.column, 'skipped', '', '', '', '']);
      else rows.push(['', peer.column, ms(p.timing?.medianMs), ms(p.timing?.minMs), fmt(p.timing?.gflops, 2), times(p.speedup), expo(p.maxRelDiff)]);
    }
  }
  const summaryHead = ['case', `${mapnnName} ms`, `${mapnnName} GFLOP/s`, ...peers.map((p) => `vs ${p.column}`)];
  const summary = results.map((r) => [
    r.name,
    r.skipped ? 'skipped' : ms(r.mapnn?.medianMs),
    r.skipped ? '' : fmt(r.mapnn?.gflops, 2),
    ...peers.map((peer) => (r.skipped ? '' : times(r.peers.find((q) => q.peer === peer.id)?.speedup))),
  ]);
  return `${markdown(head, rows, 2)}\n\nmapnn speed-up (peer median ms / mapnn median ms; < 1: the peer is faster)\n\n${markdown(summaryHead, summary)}${notes(results, peers)}`;
}

export interface TargetCheck {
  target: string;
  measured: string;
  /** undefined: not measured in this run (case or peer skipped). */
  met?: boolean;
}

/**
 * Issue 7's acceptance targets for the wasm backend, checked against a run's results: matmul
 * 512/1024 ≥ 40 GFLOP/s with 2 threads and ≥ 2.5× tfjs-wasm; conv2d ≥ 30 GFLOP/s; the CNN
 * training step ≥ 5× tfjs-layers on tfjs-wasm; the MLP step ≥ 8× tfjs-wasm and ≥ 1.5× jax-js.
 */
export function checkTargets(results: CaseResult[], threads: number): TargetCheck[] {
  const find = (prefix: string) => results.find((r) => r.name.startsWith(prefix) && !r.skipped);
  const out: TargetCheck[] = [];
  const gflops = (prefix: string, min: number, label: string) => {
    const r = find(prefix);
    const g = r?.mapnn?.gflops;
    out.push({ target: `${label} ≥ ${min} GFLOP/s${threads === 2 ? '' : ` (set for 2 threads; ${threads} here)`}`, measured: g === undefined ? 'not run' : `${g.toFixed(1)} GFLOP/s`, met: g === undefined ? undefined : g >= min });
  };
  const speedup = (prefix: string, peer: string, column: string, min: number, label: string) => {
    const s = find(prefix)?.peers.find((p) => p.peer === peer)?.speedup;
    out.push({ target: `${label} ≥ ${min}× ${column}`, measured: s === undefined ? 'not run' : `${s.toFixed(2)}×`, met: s === undefined ? undefined : s >= min });
  };
  for (const n of [512, 1024]) {
    gflops(`matmul ${n}×`, 40, `matmul ${n}`);
    speedup(`matmul ${n}×`, 'tfjs', 'tfjs-wasm', 2.5, `matmul ${n}`);
  }
  gflops('conv2d', 30, 'conv2d');
  speedup('CNN train', 'tfjs', 'tfjs-layers on tfjs-wasm', 5, 'CNN step');
  speedup('MLP train', 'tfjs', 'tfjs-wasm', 8, 'MLP step');
  speedup('MLP train', 'jax', 'jax-js (jit)', 1.5, 'MLP step');
  return out;
}
