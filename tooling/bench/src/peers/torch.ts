/**
 * The PyTorch CPU peer: a long-lived Python process (python/torch_bench.py) driven by JSON lines.
 * Inputs and results travel as raw float32 / int32 files in a temporary folder; each run is timed
 * inside Python (`time.perf_counter`), so the pipe round trip is not part of PyTorch's time.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Runner } from '../report.js';

/** The interpreter: $BENCH_PYTHON, else /usr/bin/python3 where it exists, else python3 on PATH. */
export function pythonPath(): string {
  return process.env.BENCH_PYTHON || (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
}

/** tooling/bench/python/torch_bench.py, from src/peers/ (tests) or dist/ (the built bench). */
export function scriptPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const rel of ['../python/torch_bench.py', '../../python/torch_bench.py']) {
    const p = join(here, rel);
    if (existsSync(p)) return p;
  }
  throw new Error(`python/torch_bench.py not found next to ${here}`);
}

/** Whether `python -c 'import torch'` works (a few seconds: it imports torch). */
export function hasTorch(python = pythonPath()): boolean {
  const r = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 });
  return r.status === 0;
}

type Reply = { error?: string; ms?: number; ok?: boolean; [k: string]: unknown };

export class TorchProcess {
  private readonly pending: ((r: Reply) => void)[] = [];
  private stderr = '';
  private exited: string | undefined;
  private files = 0;
  readonly dir = mkdtempSync(join(tmpdir(), 'mapnn-bench-torch-'));

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const resolve = this.pending.shift();
      if (resolve) resolve(JSON.parse(line) as Reply);
    });
    child.stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    child.on('exit', (code) => {
      this.exited = `python exited (code ${code}): ${this.stderr.trim().split('\n').slice(-3).join(' / ')}`;
      for (const resolve of this.pending.splice(0)) resolve({ error: this.exited });
    });
  }

  /**
   * Starts the worker with `torch.set_num_threads(threads)`. Its OpenMP threads wait passively
   * (OMP_WAIT_POLICY=PASSIVE unless set): libgomp's default busy-wait after each parallel region
   * takes CPU from the framework that runs next in a side-by-side run and, on a loaded machine,
   * from PyTorch's own main thread (an MLP step measured 15 ms median with spinning vs 2.9 ms).
   * Debian's default BLAS alternative is OpenBLAS's pthread build, whose pool busy-waits about a
   * core for ~0.1 s after each call whatever OMP_WAIT_POLICY says (measured: 1.0 s of CPU per
   * second of idling between 512² matmuls; mapnn's 512² matmul run right after PyTorch's took
   * 8–9 ms instead of 4): OPENBLAS_THREAD_TIMEOUT=4 (unless set) makes it sleep at once, as the
   * OpenMP build does under PASSIVE. PyTorch's own 512² matmul then takes ≈ 1.8 ms instead of 1.1.
   */
  static async start(threads: number, python = pythonPath()): Promise<{ proc: TorchProcess; info: Reply }> {
    const env = {
      ...process.env,
      OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'PASSIVE',
      OPENBLAS_THREAD_TIMEOUT: process.env.OPENBLAS_THREAD_TIMEOUT ?? '4',
    };
    const child = spawn(python, [scriptPath(), '--threads', String(threads)], { stdio: ['pipe', 'pipe', 'pipe'], env });
    const proc = new TorchProcess(child);
    const info = await proc.request({ op: 'info' });
    return { proc, info };
  }

  /** Sends one request and waits for its reply; an `error` reply throws. */
  async request(msg: Record<string, unknown>): Promise<Reply> {
    if (this.exited) throw new Error(this.exited);
    const reply = new Promise<Reply>((resolve) => this.pending.push(resolve));
    this.child.stdin.write(`${JSON.stringify(msg)}\n`);
    const r = await reply;
    if (r.error) throw new Error(`PyTorch: ${r.error}`);
    return r;
  }

  /** Writes a typed array to a fresh file in the temporary folder and returns its path. */
  file(data: Float32Array | Int32Array, hint = 'in'): string {
    const path = join(this.dir, `${hint}-${this.files++}.bin`);
    writeFileSync(path, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return path;
  }

  /**
   * A Runner for one case: `setup` (case name and parameters; file paths from `file()`) is sent
   * at creation; `run` returns the time measured in Python; `result` is the last run's result, or
   * with `firstResult` the first run's (training cases: the first step's loss).
   */
  async runner(setup: Record<string, unknown>, firstResult = false): Promise<Runner> {
    await this.request({ op: 'setup', ...setup });
    return {
      run: async () => (await this.request({ op: 'run' })).ms!,
      result: async () => {
        const path = join(this.dir, `out-${this.files++}.f32`);
        await this.request({ op: 'result', path, first: firstResult });
        const bytes = readFileSync(path);
        rmSync(path);
        return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      },
      dispose: async () => {
        await this.request({ op: 'dispose' });
      },
    };
  }

  async close(): Promise<void> {
    if (!this.exited) {
      const done = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.stdin.end(`${JSON.stringify({ op: 'exit' })}\n`);
      await done;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
