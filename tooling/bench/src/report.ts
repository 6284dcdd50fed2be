/** Benchmark cases, timing statistics and the stdout table / JSON report. */

/** One prepared workload: `run` does the whole computation, reads the result back and frees it. */
export interface Runner {
  run(): void;
  /** The result as a flat array in the case's reference layout (for the agreement check). */
  result(): Float32Array;
  dispose(): void;
}

export interface BenchCase {
  name: string;
  /** Floating-point operations of one run (a multiply-add counts 2). */
  flops: number;
  /** Timed repetitions and warm-up runs per framework (`--quick` scales them down). */
  reps: number;
  warmup: number;
  /** Overrides for the peer when one of its runs takes tens of seconds (tfjs-layers' CNN step). */
  tfjsReps?: number;
  tfjsWarmup?: number;
  mapnn(): Runner;
  tfjs(): Runner;
  /** Set when the case cannot run yet (e.g. an op is missing); the reason is printed instead. */
  skip?: string;
}

export interface Timing {
  medianMs: number;
  minMs: number;
  gflops: number;
  samples: number[];
}

export interface CaseResult {
  name: string;
  gflop: number;
  mapnn?: Timing;
  tfjs?: Timing;
  /** tfjs median time / mapnn median time (> 1: mapnn is faster). */
  speedup?: number;
  /** max |mapnn − tfjs| / max |tfjs| over the output. */
  maxRelDiff?: number;
  skipped?: string;
}

export function timing(samples: number[], flops: number): Timing {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const medianMs = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { medianMs, minMs: s[0]!, gflops: flops / (medianMs * 1e6), samples };
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

/** Markdown table (renders as-is in BENCHMARKS.md). */
export function table(results: CaseResult[], backend: string): string {
  const head = [
    'case',
    'GFLOP',
    `mapnn-${backend} median ms`,
    'min ms',
    'GFLOP/s',
    'tfjs-cpu median ms',
    'min ms',
    'GFLOP/s',
    'mapnn/tfjs',
    'max rel diff',
  ];
  const rows = results.map((r) =>
    r.skipped
      ? [r.name, fmt(r.gflop, 3), 'skipped', '', '', '', '', '', '', '']
      : [
          r.name,
          fmt(r.gflop, 3),
          fmt(r.mapnn?.medianMs),
          fmt(r.mapnn?.minMs),
          fmt(r.mapnn?.gflops, 2),
          fmt(r.tfjs?.medianMs),
          fmt(r.tfjs?.minMs),
          fmt(r.tfjs?.gflops, 2),
          r.speedup === undefined ? '–' : `${r.speedup.toFixed(2)}×`,
          r.maxRelDiff === undefined ? '–' : r.maxRelDiff.toExponential(1),
        ],
  );
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  const notes = results.filter((r) => r.skipped).map((r) => `\n${r.name}: skipped — ${r.skipped}`);
  return [line(head), rule, ...rows.map(line)].join('\n') + notes.join('');
}
