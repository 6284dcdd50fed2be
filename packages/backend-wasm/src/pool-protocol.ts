/**
 * The thread pool's control block: int32 words in the shared memory at `layout.control`.
 *
 * The main thread publishes a job (KERNEL, ARGS, NT, PENDING), then bumps the TICKET word of
 * each worker 1..NT−1 that takes part and wakes it. A worker runs its share
 * `kernel(args, tid, nt)` once per change of its own ticket and decrements PENDING; the last
 * one wakes the main thread. Workers outside a job are neither woken nor able to misread it: a
 * ticket changes only for the workers of the job, and the job's words stay fixed until they
 * are all done. READY + tid is set by worker tid once it waits for jobs.
 */
/** Job counter of the main thread (the value written to tickets). */
import type { KernelName } from './kernel-exports.js';

export const GEN = 0;
export const KERNEL = 1;
export const ARGS = 2;
export const NT = 3;
export const PENDING = 4;
export const ERROR = 5;
export const STOP = 6;
/** Word used to probe whether this thread may block in Atomics.wait. */
export const PROBE = 7;
/** Microseconds an idle worker spins before it sleeps (set by the main thread; read per idle spell). */
export const SPIN_US = 8 + 64 + 64; // after the TICKET words
/** SLEEPING + tid is 1 while worker tid sleeps in Atomics.wait (diagnostics and tests). */
export const SLEEPING = SPIN_US + 1;
export const READY = 8; // READY + tid, tid < MAX_THREADS
export const TICKET = 8 + 64; // TICKET + tid, tid < MAX_THREADS
export const CONTROL_WORDS = 256; // ≥ SLEEPING + MAX_THREADS

/** Spins (Atomics.load polls) before a waiting thread sleeps in Atomics.wait (at least). */
export const SPIN_BEFORE_WAIT = 2000;

/**
 * Default idle spin of a worker (µs). Waking a sleeping worker costs a syscall and a reschedule
 * (tens of µs on a VM), which a training step's next parallel kernel, usually less than a
 * millisecond away, would pay each time; spinning a little keeps the worker at hand.
 */
export const DEFAULT_SPIN_US = 1000;

/** Message the main thread sends to start a worker. */
export interface WorkerInit {
  type: 'init';
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Export names of the kernels, indexed by the KERNEL word. */
  kernels: KernelName[];
  control: number;
  state: number;
  tid: number;
}

export type WorkerReply = { type: 'ready'; tid: number } | { type: 'error'; tid: number; message: string };
