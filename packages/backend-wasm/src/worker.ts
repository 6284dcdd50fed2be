/**
 * Worker entry of the wasm thread pool (built by tsup to dist/worker.js, next to the bundle).
 * It instantiates the kernel module on the shared memory and then loops: wait for a new job
 * generation, run its share `kernel(args, tid, nt)`, decrement PENDING (waking the main thread
 * when last). Works as a Node worker_threads worker and as a module Web Worker.
 */
import {
  ARGS, ERROR, KERNEL, NT, PENDING, READY, SLEEPING, SPIN_BEFORE_WAIT, SPIN_US, STOP, TICKET, CONTROL_WORDS,
  type WorkerInit, type WorkerReply,
} from './pool-protocol.js';
import { kernelExports, type Kernel } from './kernel-exports.js';

/** The job loop; `seen` is this worker's ticket read before it announced itself ready. */
function serve(ctl: Int32Array, kernels: Kernel[], tid: number, seen: number): void {
  const mine = TICKET + tid;
  for (;;) {
    let t = Atomics.load(ctl, mine);
    // spin a while before sleeping: a training step's next parallel kernel usually follows soon
    const until = performance.now() + Atomics.load(ctl, SPIN_US) / 1000;
    for (let spin = 0; t === seen; spin++) {
      t = Atomics.load(ctl, mine);
      if ((spin & 255) === 255 && spin >= SPIN_BEFORE_WAIT && performance.now() > until) break;
    }
    if (t === seen) {
      Atomics.store(ctl, SLEEPING + tid, 1);
      Atomics.wait(ctl, mine, seen);
      Atomics.store(ctl, SLEEPING + tid, 0);
      continue;
    }
    seen = t;
    if (Atomics.load(ctl, STOP)) return;
    const nt = Atomics.load(ctl, NT);
    try {
      kernels[Atomics.load(ctl, KERNEL)]!(Atomics.load(ctl, ARGS), tid, nt);
    } catch {
      Atomics.store(ctl, ERROR, tid + 1);
    }
    if (Atomics.sub(ctl, PENDING, 1) === 1) Atomics.notify(ctl, PENDING);
  }
}

async function start(msg: WorkerInit, reply: (r: WorkerReply) => void): Promise<void> {
  try {
    const instance = await WebAssembly.instantiate(msg.module, {
      env: {
        memory: msg.memory,
        abort: () => {
          throw new Error('wasm kernel abort');
        },
      },
    });
    const ex = kernelExports(instance.exports);
    ex.init(msg.state);
    const kernels: Kernel[] = msg.kernels.map((n) => ex[n]);
    const ctl = new Int32Array(msg.memory.buffer, msg.control, CONTROL_WORDS);
    const seen = Atomics.load(ctl, TICKET + msg.tid);
    Atomics.store(ctl, READY + msg.tid, 1); // after reading the ticket: every later job is seen
    reply({ type: 'ready', tid: msg.tid });
    setTimeout(() => serve(ctl, kernels, msg.tid, seen), 0);
  } catch (e) {
    reply({ type: 'error', tid: msg.tid, message: e instanceof Error ? e.message : String(e) });
  }
}

const isNode = typeof process !== 'undefined' && !!process.versions?.node && !('WorkerGlobalScope' in globalThis);

if (isNode) {
  const wt = 'node:worker_threads';
  // a computed specifier (bundlers leave the builtin alone) types as `any`, hence the cast
  const { parentPort } = (await import(/* @vite-ignore */ /* webpackIgnore: true */ wt)) as typeof import('node:worker_threads');
  parentPort!.once('message', (m: WorkerInit) => void start(m, (r) => parentPort!.postMessage(r)));
} else {
  const scope = globalThis as unknown as { onmessage: ((e: MessageEvent<WorkerInit>) => void) | null; postMessage: (m: unknown) => void }; // a worker's global scope (no WebWorker lib here)
  scope.onmessage = (e: MessageEvent<WorkerInit>) => {
    scope.onmessage = null;
    void start(e.data, (r) => scope.postMessage(r));
  };
}
