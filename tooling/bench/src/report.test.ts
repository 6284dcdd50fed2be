import { describe, expect, it } from 'vitest';
import { checkTargets, relDiff, resultLines, smallResult, table, timing, type CaseResult, type Peer } from './report.js';

describe('bench report', () => {
  it('timing: median, min and GFLOP/s from the median', () => {
    const t = timing([4, 1, 3, 2], 2e6); // 2 MFLOP in 2.5 ms
    expect(t.medianMs).toBe(2.5);
    expect(t.minMs).toBe(1);
    expect(t.gflops).toBeCloseTo(0.8);
    expect(t.samples).toEqual([4, 1, 3, 2]);
    expect(timing([5, 1, 9], 1e6).medianMs).toBe(5);
  });

  it('relDiff: max abs difference relative to the reference magnitude', () => {
    expect(relDiff(new Float32Array([1, 2]), new Float32Array([1, 4]))).toBe(0.5);
    expect(relDiff(new Float32Array([NaN]), new Float32Array([1]))).toBeNaN();
    expect(relDiff(new Float32Array(2), new Float32Array(3))).toBe(Infinity);
  });

  it('table: one peer (the default run) — a markdown row per case, skipped cases noted', () => {
    const results: CaseResult[] = [
      { name: 'matmul 2', gflop: 1, mapnn: timing([10], 1e9), peers: [{ peer: 'tfjs', timing: timing([30], 1e9), speedup: 3, maxRelDiff: 1e-7 }] },
      { name: 'conv', gflop: 2, peers: [], skipped: 'no op' },
    ];
    const lines = table(results, 'cpu').split('\n');
    expect(lines[0]).toContain('mapnn-cpu median ms');
    expect(lines[0]).toContain('tfjs-cpu median ms');
    expect(lines[0]).toContain('mapnn/tfjs');
    expect(lines[2]).toMatch(/^\| matmul 2 .*\| +100\.00 \| .*\| +33\.33 \| +3\.00× \|/);
    expect(lines[3]).toContain('skipped');
    expect(lines.at(-1)).toBe('conv: skipped — no op');
  });

  it('table: several peers — a row per framework, a speed-up summary, skip reasons and notes once', () => {
    const peers: Peer[] = [
      { id: 'tfjs', column: 'tfjs-wasm', label: 'tfjs-backend-wasm' },
      { id: 'ort', column: 'ORT', label: 'onnxruntime-node' },
      { id: 'torch', column: 'PyTorch CPU', label: 'PyTorch' },
    ];
    const results: CaseResult[] = [
      {
        name: 'matmul 2',
        gflop: 1,
        mapnn: timing([10], 1e9),
        peers: [
          { peer: 'tfjs', timing: timing([40], 1e9), speedup: 4, maxRelDiff: 1e-7 },
          { peer: 'ort', timing: timing([5], 1e9), speedup: 0.5, maxRelDiff: 2e-7 },
          { peer: 'torch', timing: timing([8], 1e9), speedup: 0.8 },
        ],
      },
      {
        name: 'step',
        gflop: 0.5,
        mapnn: timing([2], 5e8),
        peers: [
          { peer: 'tfjs', timing: timing([30], 5e8), speedup: 15, note: 'shimmed kernel' },
          { peer: 'ort', skipped: 'inference only' },
          { peer: 'torch', timing: timing([3], 5e8), speedup: 1.5 },
        ],
      },
    ];
    const text = table(results, 'wasm', peers);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^\| case +\| framework +\| median ms \| min ms \| GFLOP\/s \| mapnn speed-up \| max rel diff \|$/);
    expect(lines[2]).toMatch(/^\| matmul 2 \| mapnn-wasm +\| +10\.0 \| +10\.0 \| +100\.00 \|/);
    expect(lines[3]).toMatch(/^\| +\| tfjs-wasm +\| +40\.0 \| .*\| +25\.00 \| +4\.00× \| +1\.0e-7 \|$/);
    expect(lines[4]).toMatch(/\| ORT .*\| +0\.50× \|/);
    expect(lines[8]).toMatch(/\| ORT +\| +skipped \|/);
    expect(text).toMatch(/\| case +\| mapnn-wasm ms \| mapnn-wasm GFLOP\/s \| vs tfjs-wasm \| vs ORT \| vs PyTorch CPU \|/);
    expect(text).toMatch(/\| step +\| +2\.0 \| +250\.00 \| +15\.00× \| +– \| +1\.50× \|/);
    expect(text).toContain('\nstep: ORT skipped — inference only');
    expect(text.match(/tfjs-wasm: shimmed kernel/g)).toHaveLength(1);
  });

  it('checkTargets: issue 7 targets met, missed or not run', () => {
    const r = (name: string, ms: number, flops: number, peers: CaseResult['peers']): CaseResult => ({ name, gflop: flops / 1e9, mapnn: timing([ms], flops), peers });
    const results: CaseResult[] = [
      r('matmul 512×512×512', 5, 2 * 512 ** 3, [{ peer: 'tfjs', speedup: 3 }]), // 53.7 GFLOP/s
      r('matmul 1024×1024×1024', 100, 2 * 1024 ** 3, [{ peer: 'tfjs', speedup: 2 }]), // 21.5 GFLOP/s
      r('conv2d 32×32×28×28 → 64, 3×3 same', 100, 3.7e9, []),
      r('MLP train step', 2, 9e7, [{ peer: 'tfjs', speedup: 10 }, { peer: 'jax', speedup: 1.2 }]),
    ];
    const t = checkTargets(results, 2);
    expect(t.map((x) => x.met)).toEqual([true, true, false, false, true, undefined, true, false]);
    expect(t[0]).toEqual({ target: 'matmul 512 ≥ 40 GFLOP/s', measured: '53.7 GFLOP/s', met: true });
    expect(t[5]!.measured).toBe('not run');
    expect(checkTargets(results, 1)[0]!.target).toContain('set for 2 threads; 1 here');
  });

  it('smallResult / resultLines: the first-step losses of the training cases', () => {
    expect(smallResult(Float32Array.of(2.5))).toEqual([2.5]);
    expect(smallResult(new Float32Array(17))).toBeUndefined();
    expect(smallResult(new Float32Array(0))).toBeUndefined();
    const peers: Peer[] = [{ id: 'tfjs', column: 'tfjs-webgpu', label: 'tfjs-backend-webgpu' }];
    const results: CaseResult[] = [
      { name: 'matmul 2', gflop: 1, mapnn: timing([1], 1e9), peers: [{ peer: 'tfjs', speedup: 1 }] },
      { name: 'CNN step', gflop: 1, mapnn: timing([1], 1e9), mapnnResult: [2.3016517], peers: [{ peer: 'tfjs', speedup: 1, result: [2.3016515] }] },
    ];
    expect(resultLines(results, peers)).toEqual(['CNN step: first-step loss mapnn 2.301652, tfjs-webgpu 2.301652']);
  });
});
