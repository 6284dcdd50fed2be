/**
 * Main-thread side of the worker pool over the one shared memory. `run` is synchronous: it
 * publishes a job in the control block, runs share 0 itself, then waits for the workers —
 * Atomics.wait where the thread may block (Node's main thread, workers), spinning otherwise
 * (a browser's main thread). Workers that fail to start are simply not used.
 */
import {
  ARGS, CONTROL_WORDS, DEFAULT_SPIN_US, ERROR, GEN, KERNEL, NT, PENDING, PROBE, READY, SLEEPING, SPIN_BEFORE_WAIT, SPIN_US, STOP, TICKET,
  type WorkerReply,
} from './pool-protocol.js';
import { spawnWorker, type WorkerHandle } from './worker-spawn.js';
import { MAX_THREADS } from './memory-layout.js';
import type { WasmMemory, WasmModule } from './wasm-types.js';
import type { Kernel, KernelName } from './kernel-exports.js';

/** How long a worker may take to load the module before the pool goes on without it. */
const START_TIMEOUT_MS = 20_000;

export interface PoolConfig {
  module: WasmModule;
  memory: WasmMemory;
  /** Kernel export names; a job names its kernel by index into this list. */
  kernels: KernelName[];
  /** The main thread's instances of those kernels. */
  mainKernels: Kernel[];
  control: number;
  state: number;
  workerUrl: URL | string;
}

/** Whether the current thread may block in Atomics.wait (false on a browser's main thread). */
function canBlock(ctl: Int32Array): boolean {
  try {
    Atomics.wait(ctl, PROBE, 1, 0); // value differs: returns at once where waiting is allowed
    return true;
  } catch {
    return false;
  }
}

/** The `message` of an error-like value (an ErrorEvent, say), if it has one. */
function messageOf(e: unknown): unknown {
  return typeof e === 'object' && e !== null && 'message' in e ? e.message : undefined;
}

/**
 * The default spin wait (ms): `MAPNN_WASM_SPIN_WAIT` where the environment sets it (test runners
 * that run many processes on few cores set 0), else DEFAULT_SPIN_US.
 */
function defaultSpinWait(): number {
  const env = typeof process === 'undefined' ? undefined : process.env?.MAPNN_WASM_SPIN_WAIT;
  const ms = env === undefined || env === '' ? NaN : Number(env);
  return ms >= 0 && ms <= 1000 ? ms : DEFAULT_SPIN_US / 1000;
}

export class ThreadPool {
  private readonly ctl: Int32Array;
  private readonly workers: (WorkerHandle | null)[] = [];
  private readonly blocking: boolean;
  private failures: string[] = [];
  private disposed = false;

  constructor(private readonly cfg: PoolConfig) {
    this.ctl = new Int32Array(cfg.memory.buffer, cfg.control, CONTROL_WORDS);
    this.blocking = canBlock(this.ctl);
    this.spinWait = defaultSpinWait();
  }

  /** How many of the workers sleep in Atomics.wait now (the others run or spin). */
  get sleeping(): number {
    let n = 0;
    for (let tid = 1; tid <= this.workers.length; tid++) n += Atomics.load(this.ctl, SLEEPING + tid);
    return n;
  }

  /** How long (ms) idle workers spin before sleeping; 0: sleep at once (after a short spin). */
  get spinWait(): number {
    return Atomics.load(this.ctl, SPIN_US) / 1000;
  }
  set spinWait(ms: number) {
    if (!(ms >= 0 && ms <= 1000)) throw new Error(`wasm backend: spin wait must be between 0 and 1000 ms, got ${ms}`);
    Atomics.store(this.ctl, SPIN_US, Math.round(ms * 1000));
  }

  /** Worker start-up problems so far (for diagnostics). */
  get errors(): readonly string[] {
    return this.failures;
  }

  /** Threads usable now: the main thread plus the workers 1..k that are all ready. */
  get size(): number {
    let n = 1;
    while (n < MAX_THREADS && Atomics.load(this.ctl, READY + n) === 1) n++;
    return n;
  }

  /**
   * Grows the pool to `threads` (main included), resolving once the new workers are ready or
   * have failed. Never shrinks: fewer threads are used by passing a smaller `nt` to `run`.
   */
  async grow(threads: number): Promise<void> {
    const want = Math.min(Math.max(1, threads), MAX_THREADS);
    const starts: Promise<void>[] = [];
    for (let tid = this.workers.length + 1; tid < want; tid++) starts.push(this.startWorker(tid));
    await Promise.all(starts);
  }

  private startWorker(tid: number): Promise<void> {
    const slot = this.workers.length;
    this.workers.push(null);
    return new Promise<void>((resolve) => {
      let settled = false;
      const timer = setTimeout(() => done(`no answer within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
      const done = (err?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) this.failures.push(`worker ${tid}: ${err}`);
        resolve();
      };
      const onReply = (r: WorkerReply) => done(r.type === 'error' ? r.message : undefined);
      const onFail = (e: unknown) => done(e instanceof Error ? e.message : String(messageOf(e) ?? e));
      spawnWorker(this.cfg.workerUrl, onReply, onFail).then(
        (w) => {
          if (this.disposed) {
            w.terminate();
            return done('pool disposed');
          }
          this.workers[slot] = w;
          w.post({
            type: 'init',
            module: this.cfg.module,
            memory: this.cfg.memory,
            kernels: this.cfg.kernels,
            control: this.cfg.control,
            state: this.cfg.state,
            tid,
          });
        },
        (e) => onFail(e),
      );
    });
  }

  /**
   * Runs kernel `kernel` on `nt` threads (clamped to the ready ones): share 0 here, shares
   * 1..nt−1 on workers; returns when all are done.
   */
  run(kernel: number, args: number, nt: number): void {
    const n = Math.min(nt, this.size);
    const main = this.cfg.mainKernels[kernel]!;
    if (n <= 1) {
      main(args, 0, 1);
      return;
    }
    const c = this.ctl;
    Atomics.store(c, KERNEL, kernel);
    Atomics.store(c, ARGS, args);
    Atomics.store(c, NT, n);
    Atomics.store(c, ERROR, 0);
    Atomics.store(c, PENDING, n - 1);
    const ticket = Atomics.add(c, GEN, 1) + 1;
    for (let tid = 1; tid < n; tid++) {
      Atomics.store(c, TICKET + tid, ticket);
      Atomics.notify(c, TICKET + tid);
    }
    try {
      main(args, 0, n);
    } finally {
      this.join();
    }
    const failed = Atomics.load(c, ERROR);
    if (failed) throw new Error(`wasm backend: worker ${failed - 1} failed in kernel '${this.cfg.kernels[kernel]}'`);
  }

  /**
   * Waits for the workers of the current job. The main thread has nothing else to do, so it
   * spins for the spin-wait time before it sleeps: a sleeping thread's core may go idle, and on
   * a virtual machine waking it again can take far longer than the wait itself. (With spin
   * wait 0 it sleeps almost at once, leaving the core to other programs.)
   */
  private join(): void {
    const c = this.ctl;
    let spins = 0;
    let until = 0;
    for (;;) {
      const p = Atomics.load(c, PENDING);
      if (p === 0) return;
      if (!this.blocking || ++spins < SPIN_BEFORE_WAIT) continue;
      if (until === 0) until = performance.now() + this.spinWait;
      if ((spins & 255) === 0 && performance.now() > until) Atomics.wait(c, PENDING, p, 100);
    }
  }

  /** Stops and terminates the workers. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    Atomics.store(this.ctl, STOP, 1);
    for (let tid = 1; tid < MAX_THREADS; tid++) {
      Atomics.store(this.ctl, READY + tid, 0);
      Atomics.add(this.ctl, TICKET + tid, 1);
      Atomics.notify(this.ctl, TICKET + tid);
    }
    for (const w of this.workers) w?.terminate();
    this.workers.length = 0;
  }
}
