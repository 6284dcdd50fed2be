import { Command } from 'commander';
import { Generator, conv2d, getBackendName, matmul, randn, tensor, tidy, type Tensor } from '@mapnn/core';
import { optimizerByName } from '@mapnn/optimizers';
import { batchLoss, resolveLoss } from '@mapnn/train';
import { BACKENDS, backendFailures, tryBackend } from '../backend.js';
import { UsageError } from '../errors.js';
import { cnn } from '../models/architectures.js';
import { Printer } from '../output/print.js';
import { table } from '../output/table.js';
import { examples, withCommon, type CommonOptions } from './common.js';

interface BenchOptions extends CommonOptions {
  backend: string;
  budget: number;
}

interface BenchRow {
  backend: string;
  benchmark: string;
  ms: number;
  gflops: number | null;
  throughput: string;
}

/** Median milliseconds of `fn` (after a warm-up), repeating until `budgetMs` is spent (3–50 runs). */
function time(fn: () => void, budgetMs: number): number {
  fn();
  const runs: number[] = [];
  const start = performance.now();
  while (runs.length < 3 || (performance.now() - start < budgetMs && runs.length < 50)) {
    const t = performance.now();
    fn();
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)]!;
}

function benchBackend(name: string, budget: number): BenchRow[] {
  const rows: BenchRow[] = [];
  const g = new Generator(0);
  const run = (out: () => Tensor) => () => tidy(() => void out().dataSync());
  for (const n of [128, 512]) {
    const a = randn([n, n], { generator: g });
    const b = randn([n, n], { generator: g });
    const ms = time(run(() => matmul(a, b)), budget);
    rows.push({ backend: name, benchmark: `matmul ${n}×${n}×${n}`, ms, gflops: (2 * n ** 3) / ms / 1e6, throughput: '' });
    a.dispose();
    b.dispose();
  }
  {
    const [N, C, H, W, K] = [16, 16, 32, 32, 32];
    const x = randn([N, C, H, W], { generator: g });
    const w = randn([K, C, 3, 3], { generator: g });
    const ms = time(run(() => conv2d(x, w, null, { padding: 1 })), budget);
    rows.push({ backend: name, benchmark: `conv2d 3×3 [${N}, ${C}, ${H}, ${W}] → ${K}`, ms, gflops: (2 * N * K * H * W * C * 9) / ms / 1e6, throughput: '' });
    x.dispose();
    w.dispose();
  }
  {
    const model = cnn([1, 8, 8], 10, { generator: g });
    const opt = optimizerByName('adam', model.parameters(), { lr: 1e-3 });
    const loss = resolveLoss('cross_entropy');
    const batch = 64;
    const x = randn([batch, 1, 8, 8], { generator: g });
    const y = tensor(Array.from({ length: batch }, (_, i) => i % 10), [batch], 'int32');
    const ms = time(() => {
      opt.zeroGrad();
      tidy(() => void batchLoss(model, loss, { x, y }, {}).loss.backward());
      opt.step();
    }, budget);
    rows.push({ backend: name, benchmark: `train step: digits CNN, batch ${batch}`, ms, gflops: null, throughput: `${Math.round((batch * 1000) / ms).toLocaleString('en-US')} samples/s` });
    opt.dispose();
    model.dispose();
    x.dispose();
    y.dispose();
  }
  return rows;
}

export function benchCommand(): Command {
  const cmd = new Command('bench')
    .summary("Matmul, conv and training-step speed of mapnn's backends here")
    .description("Measure mapnn's own backends on this machine: matmul and conv2d throughput (GFLOP/s) and a training step (ms).")
    .option('--backend <name>', `${BACKENDS.join(' | ')} | all (every backend that initialises)`, 'all')
    .option('--budget <ms>', 'time spent per benchmark (median of the runs)', (v) => {
      const n = Number(v);
      if (!(n > 0)) throw new UsageError(`--budget: expected milliseconds > 0, got '${v}'`);
      return n;
    }, 300);
  withCommon(cmd);
  examples(cmd, ['mapnn bench', 'mapnn bench --backend wasm --json']);
  cmd.action(async (o: BenchOptions) => {
    const print = new Printer(!!o.json);
    const wanted = o.backend.toLowerCase();
    if (wanted !== 'all' && !(BACKENDS as readonly string[]).includes(wanted)) throw new UsageError(`--backend: expected ${BACKENDS.join(', ')} or all, got '${o.backend}'`);
    const names = wanted === 'all' ? ['cpu', 'wasm', 'webgpu'] : [wanted];
    const rows: BenchRow[] = [];
    const skipped: Record<string, string> = {};
    for (const name of names) {
      if (!(await tryBackend(name))) {
        skipped[name] = backendFailures.get(name) ?? 'not available';
        if (wanted !== 'all') throw new UsageError(`backend '${name}' is not available: ${skipped[name]}`);
        continue;
      }
      if (!o.json) process.stdout.write(`benchmarking ${getBackendName()}…\n`);
      rows.push(...benchBackend(name, o.budget));
    }
    print.line('');
    print.line(
      table(
        ['backend', { header: 'benchmark', align: 'left' }, 'ms', 'GFLOP/s', 'throughput'],
        rows.map((r) => [r.backend, r.benchmark, r.ms.toFixed(2), r.gflops === null ? '' : r.gflops.toFixed(2), r.throughput]),
      ),
    );
    for (const [k, v] of Object.entries(skipped)) print.line(`${k}: skipped (${v})`);
    print.result({ command: 'bench', results: rows, skipped });
  });
  return cmd;
}
