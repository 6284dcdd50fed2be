/**
 * The case loop: prepares every framework's runner, warms them up, then alternates timed turns
 * (mapnn, peer 1, …, peer k, then peer k, …, mapnn, …); a turn is `burst` consecutive runs of
 * one framework (1 unless the case or `--burst` sets more). A timed run includes the computation,
 * reading the result back and disposing it; PyTorch's runs are timed inside Python. Runners may be
 * asynchronous (WebGPU reads back with `await data()`): every run is awaited before the clock
 * stops and before the next run starts.
 */
import { relDiff, smallResult, timing, type BenchCase, type CaseResult, type Peer, type PeerResult, type Runner } from './report.js';

export interface HarnessOptions {
  /** The clock (ms); `performance.now` unless a test injects one. */
  now?: () => number;
  /** Overrides the case's `burst` (consecutive runs per turn). */
  burst?: number;
  /**
   * Awaited after each of mapnn's timed turns, outside the timing: lets mapnn's idle threads go
   * to sleep (the wasm backend's workers spin for a moment after each job) so that they take no
   * CPU from the framework whose turn comes next — as the peers' pools are configured not to spin.
   */
  settle?: () => Promise<void>;
}

// A full collection between cases only: forcing one before every timed run discards JIT
// feedback (it slowed tfjs matmul 128 about 5× here), so timed runs include their own GC cost.
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

export const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

/** One run: wall time around `run` (awaited when it returns a Promise), or the time the framework measured itself. */
export async function timeOnce(r: Runner, now: () => number = () => performance.now()): Promise<number> {
  const t0 = now();
  const out = r.run();
  const own = out instanceof Promise ? await out : out;
  const wall = now() - t0;
  return typeof own === 'number' ? own : wall;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

/** Why a framework is left out after a warm-up run of `ms` over the case's budget. */
export function overBudget(who: string, ms: number, budgetMs: number): string {
  return `${who} warm-up run took ${seconds(ms)}, over the budget of ${seconds(budgetMs)} per run; --budget raises it`;
}

interface Live {
  peer: Peer;
  runner: Runner;
  reps: number;
  warmup: number;
  note?: string;
  samples: number[];
  /** Why this peer left the case (its run threw, or its warm-up exceeded the budget). */
  out?: string;
}

/** Runs one case for mapnn and `peers`; a peer that fails or exceeds the budget is reported as skipped. */
export async function runCase(c: BenchCase, peers: readonly Peer[], opts: HarnessOptions = {}): Promise<CaseResult> {
  const now = opts.now ?? (() => performance.now());
  const gflop = c.flops / 1e9;
  const budget = c.budgetMs;
  const base = { name: c.name, gflop, ...(budget === undefined ? {} : { budgetMs: budget }) };
  if (c.skip) return { ...base, peers: [], skipped: c.skip };
  const m = await c.mapnn(); // first: the training cases' peers start from mapnn's initial weights
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
      if (l.out) return;
      try {
        const t = await timeOnce(l.runner, now);
        if (timed) l.samples.push(t);
        else if (budget !== undefined && t > budget) l.out = overBudget(l.peer.column, t, budget);
      } catch (e) {
        l.out = `failed: ${message(e)}`;
      }
    };
    gc();
    for (let i = 0; i < Math.max(c.warmup, ...live.map((l) => l.warmup)); i++) {
      if (i < c.warmup) {
        const t = await timeOnce(m, now);
        if (budget !== undefined && t > budget) return { ...base, peers: [], skipped: overBudget('mapnn', t, budget) };
      }
      for (const l of live) if (i < l.warmup) await guarded(l, false);
    }
    const ms: number[] = [];
    const burst = Math.max(1, Math.floor(opts.burst ?? c.burst ?? 1));
    const most = Math.max(c.reps, ...live.map((l) => l.reps));
    for (let round = 0; round * burst < most; round++) {
      // mapnn first on even rounds, last on odd ones (the peers in reverse)
      const order: (Live | null)[] = [null, ...live];
      if (round % 2) order.reverse();
      for (const l of order) {
        for (let i = round * burst; i < (round + 1) * burst; i++) {
          if (l === null) {
            if (i < c.reps) ms.push(await timeOnce(m, now));
          } else if (i < l.reps) await guarded(l, true);
        }
        if (l === null && opts.settle) await opts.settle();
      }
    }
    const mapnn = timing(ms, c.flops);
    const mine = await m.result();
    for (const l of live) {
      if (l.out) {
        results.set(l.peer.id, { peer: l.peer.id, skipped: l.out, note: l.note });
        continue;
      }
      const t = timing(l.samples, c.flops);
      let maxRelDiff: number | undefined;
      let result: number[] | undefined;
      try {
        const theirs = await l.runner.result();
        maxRelDiff = relDiff(mine, theirs);
        result = smallResult(theirs);
      } catch {
        // no agreement figure
      }
      const note = [l.note, l.runner.note?.()].filter(Boolean).join('; ') || undefined;
      results.set(l.peer.id, { peer: l.peer.id, timing: t, speedup: t.medianMs / mapnn.medianMs, maxRelDiff, ...(result ? { result } : {}), note });
    }
    const mapnnResult = smallResult(mine);
    return { ...base, mapnn, ...(mapnnResult ? { mapnnResult } : {}), peers: peers.map((p) => results.get(p.id)!) };
  } finally {
    await m.dispose();
    for (const l of live) {
      try {
        await l.runner.dispose();
      } catch {
        // a failed peer may not dispose cleanly; the process ends soon
      }
    }
  }
}
