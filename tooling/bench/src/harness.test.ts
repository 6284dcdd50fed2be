import { describe, expect, it } from 'vitest';
import { runCase, timeOnce } from './harness.js';
import type { BenchCase, Peer, Runner } from './report.js';

/** A fake clock the runners advance: run times are exact, whatever the machine's load. */
function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

const TFJS: Peer = { id: 'tfjs', column: 'tfjs-webgpu', label: 'tfjs-backend-webgpu' };

/** A runner whose runs take `ms` on the fake clock, asynchronously (resolved a macrotask later) or not. */
function fake(c: ReturnType<typeof clock>, ms: number, value: number, isAsync: boolean, log: string[], name: string): Runner {
  let runs = 0;
  return {
    run: isAsync
      ? async () => {
          await new Promise((r) => setTimeout(r, 1));
          c.advance(ms);
          runs++;
          log.push(`${name} done`);
        }
      : () => {
          c.advance(ms);
          runs++;
          log.push(`${name} done`);
        },
    result: async () => Float32Array.of(runs ? value : NaN),
    dispose: () => void log.push(`${name} disposed`),
  };
}

function makeCase(c: ReturnType<typeof clock>, log: string[], opts: { mapnnMs: number; peerMs: number; isAsync: boolean; budgetMs?: number }): BenchCase {
  return {
    name: 'fake',
    flops: 2e6,
    reps: 3,
    warmup: 1,
    budgetMs: opts.budgetMs,
    // asynchronous, like the training cases (initial weights are read back)
    mapnn: async () => fake(c, opts.mapnnMs, 2, opts.isAsync, log, 'mapnn'),
    peers: { tfjs: { make: () => fake(c, opts.peerMs, 2.5, opts.isAsync, log, 'tfjs') } },
  };
}

describe('bench harness', () => {
  it('timeOnce awaits an asynchronous run before stopping the clock', async () => {
    const c = clock();
    const log: string[] = [];
    expect(await timeOnce(fake(c, 7, 1, true, log, 'r'), c.now)).toBe(7);
    expect(await timeOnce(fake(c, 3, 1, false, log, 'r'), c.now)).toBe(3);
    expect(await timeOnce({ run: () => 42, result: () => new Float32Array(0), dispose: () => {} }, c.now)).toBe(42); // self-timed
  });

  it('alternates turns of `burst` consecutive runs (mapnn first, then last), and --burst overrides the case', async () => {
    for (const [caseBurst, override, want] of [
      [2, undefined, 'm m t t | t t m m | m'],
      [undefined, undefined, 'm t | t m | m t | t m | m'],
      [undefined, 3, 'm m m t t t | t m m'],
    ] as const) {
      const c = clock();
      const log: string[] = [];
      const bench = { ...makeCase(c, log, { mapnnMs: 1, peerMs: 1, isAsync: false }), reps: 5, warmup: 0, burst: caseBurst };
      bench.peers = { tfjs: { reps: 4, make: () => fake(c, 1, 2, false, log, 'tfjs') } };
      const r = await runCase(bench, [TFJS], { now: c.now, burst: override });
      expect(r.mapnn!.samples).toHaveLength(5);
      expect(r.peers[0]!.timing!.samples).toHaveLength(4);
      const runs = log.filter((l) => l.endsWith('done')).map((l) => l[0]).join(' ');
      expect(runs, `burst ${caseBurst}/${override}`).toBe(want.replace(/ \| /g, ' '));
    }
  });

  it('awaits settle after each of mapnn\'s turns, before the next framework runs', async () => {
    const c = clock();
    const log: string[] = [];
    const bench = { ...makeCase(c, log, { mapnnMs: 1, peerMs: 1, isAsync: false }), reps: 4, warmup: 0, burst: 2 };
    await runCase(bench, [TFJS], { now: c.now, settle: async () => void log.push('settled') });
    const order = log.filter((l) => l !== 'mapnn disposed' && l !== 'tfjs disposed').map((l) => (l === 'settled' ? 's' : l[0])).join(' ');
    expect(order).toBe('m m s t t t t m m s');
  });

  for (const isAsync of [true, false]) {
    it(`runs ${isAsync ? 'asynchronous' : 'synchronous'} runners one at a time: warm-ups, timed runs, agreement`, async () => {
      const c = clock();
      const log: string[] = [];
      const r = await runCase(makeCase(c, log, { mapnnMs: 10, peerMs: 20, isAsync }), [TFJS], { now: c.now });
      expect(r.skipped).toBeUndefined();
      expect(r.mapnn!.samples).toEqual([10, 10, 10]);
      expect(r.mapnn!.gflops).toBeCloseTo(0.2);
      const p = r.peers[0]!;
      expect(p.timing!.samples).toEqual([20, 20, 20]);
      expect(p.speedup).toBe(2);
      expect(p.maxRelDiff).toBeCloseTo(0.2); // |2 − 2.5| / 2.5
      expect(r.mapnnResult).toEqual([2]); // small results (first-step losses) go into the report
      expect(p.result).toEqual([2.5]);
      // each run finished before the next began; 1 warm-up + 3 timed runs each, then disposal
      expect(log.filter((l) => l === 'mapnn done')).toHaveLength(4);
      expect(log.filter((l) => l === 'tfjs done')).toHaveLength(4);
      expect(log.slice(-2)).toEqual(['mapnn disposed', 'tfjs disposed']);
      expect(r.budgetMs).toBeUndefined();
    });
  }

  it("skips the case when mapnn's warm-up run exceeds the budget, before the peers run", async () => {
    const c = clock();
    const log: string[] = [];
    const r = await runCase(makeCase(c, log, { mapnnMs: 12_000, peerMs: 1, isAsync: true, budgetMs: 10_000 }), [TFJS], { now: c.now });
    expect(r.skipped).toBe('mapnn warm-up run took 12.0 s, over the budget of 10.0 s per run; --budget raises it');
    expect(r.budgetMs).toBe(10_000);
    expect(r.mapnn).toBeUndefined();
    expect(log).toEqual(['mapnn done', 'mapnn disposed', 'tfjs disposed']);
  });

  it("skips a peer whose warm-up run exceeds the budget; mapnn's timings stay", async () => {
    const c = clock();
    const log: string[] = [];
    const r = await runCase(makeCase(c, log, { mapnnMs: 5_000, peerMs: 95_000, isAsync: true, budgetMs: 90_000 }), [TFJS], { now: c.now });
    expect(r.skipped).toBeUndefined();
    expect(r.mapnn!.samples).toEqual([5000, 5000, 5000]);
    expect(r.peers[0]).toEqual({ peer: 'tfjs', skipped: 'tfjs-webgpu warm-up run took 95.0 s, over the budget of 90.0 s per run; --budget raises it', note: undefined });
    expect(log.filter((l) => l === 'tfjs done')).toHaveLength(1); // no timed runs after the warm-up
  });

  it('a peer whose asynchronous run rejects is reported as failed', async () => {
    const c = clock();
    const log: string[] = [];
    const bench = makeCase(c, log, { mapnnMs: 1, peerMs: 1, isAsync: true });
    bench.peers.tfjs = { make: () => ({ run: async () => Promise.reject(new Error('device lost\nmore')), result: () => new Float32Array(0), dispose: () => {} }) };
    const r = await runCase(bench, [TFJS], { now: c.now });
    expect(r.peers[0]!.skipped).toBe('failed: device lost');
    expect(r.mapnn!.samples).toHaveLength(3);
  });
});
