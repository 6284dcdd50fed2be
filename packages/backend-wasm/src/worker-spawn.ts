/**
 * Starting a pool worker from a script file: Node's worker_threads (imported lazily, so the
 * bundle stays browser-safe) or a module Web Worker. A file URL is required — Node cannot start
 * a worker from a blob: URL.
 */
import type { WorkerInit, WorkerReply } from './pool-protocol.js';

export interface WorkerHandle {
  post(msg: WorkerInit): void;
  terminate(): void;
}

/** Whether this runtime is Node (worker_threads) rather than a browser. */
export function isNodeRuntime(): boolean {
  return typeof process !== 'undefined' && !!process.versions?.node;
}

/** Whether threads are possible here: SharedArrayBuffer, and workers with shared memory. */
export function threadsSupported(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return false;
  if (isNodeRuntime()) return true;
  return globalThis.crossOriginIsolated === true && typeof globalThis.Worker === 'function';
}

/** Logical cores: os.availableParallelism() in Node, navigator.hardwareConcurrency in browsers. */
export async function coreCount(): Promise<number> {
  if (isNodeRuntime()) {
    const name = 'node:os';
    // a computed specifier, so that bundlers leave the builtin alone; it types as `any`, hence the cast
    const os = (await import(/* @vite-ignore */ /* webpackIgnore: true */ name)) as typeof import('node:os');
    return (os.availableParallelism?.() ?? os.cpus().length) || 1;
  }
  const nav: { hardwareConcurrency?: number } | undefined = globalThis.navigator;
  return nav?.hardwareConcurrency || 1;
}

/** V8's wasm flags: `--experimental-wasm-relaxed-simd`, `--no-liftoff`, `--wasm-…` (either spelling, negated or not). */
const V8_WASM_FLAG = /^--(no-)?((experimental[-_])?wasm[-_]|liftoff\b)/;

/**
 * The parent's Node flags without those a worker must not inherit: `--input-type` (set for
 * `node --input-type=module` with a script on stdin or in `--eval`) makes every worker fail
 * with "--input-type can only be used with string input", and V8's wasm flags
 * (`--experimental-wasm-relaxed-simd`, `--no-liftoff`: process-wide, the workers have them anyway) with
 * "Initiated Worker with invalid execArgv flags" — either way the pool would run on one thread.
 */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i]!;
    if (a === '--input-type') i++; // `--input-type module`: drop the value too
    else if (!a.startsWith('--input-type=') && !V8_WASM_FLAG.test(a)) out.push(a);
  }
  return out;
}

/** How to fix a pool whose worker script is missing (a bundler left `worker.js` behind). */
export const WORKER_FIX =
  'a bundler (esbuild, webpack, …) left out the pool\'s worker script. Fix: copy ' +
  '@mapnn/backend-wasm/dist/worker.js next to your bundle, or call setWasmWorkerUrl(url) ' +
  "(or pass { workerUrl }) before the backend starts; see the @mapnn/backend-wasm README, 'Bundlers'";

/** The error for a worker script that is not where the pool looks for it. */
export function workerMissingError(where: string): Error {
  return new Error(`worker script not found: ${where} — ${WORKER_FIX}`);
}

/** Throws `workerMissingError` when `url` is a file: URL of a file that does not exist. */
async function checkWorkerFile(url: URL): Promise<void> {
  if (url.protocol !== 'file:') return;
  const [fsName, urlName] = ['node:fs', 'node:url'];
  // computed specifiers (bundlers leave the builtins alone) type as `any`, hence the casts
  const fs = (await import(/* @vite-ignore */ /* webpackIgnore: true */ fsName)) as typeof import('node:fs');
  const nodeUrl = (await import(/* @vite-ignore */ /* webpackIgnore: true */ urlName)) as typeof import('node:url');
  const path = nodeUrl.fileURLToPath(url);
  if (!fs.existsSync(path)) throw workerMissingError(path);
}

export async function spawnWorker(url: URL | string, onReply: (r: WorkerReply) => void, onFail: (e: unknown) => void): Promise<WorkerHandle> {
  if (isNodeRuntime()) {
    const name = 'node:worker_threads';
    // a computed specifier (bundlers leave the builtin alone) types as `any`, hence the cast
    const wt = (await import(/* @vite-ignore */ /* webpackIgnore: true */ name)) as typeof import('node:worker_threads');
    const href = typeof url === 'string' ? new URL(url) : url;
    await checkWorkerFile(href);
    const w = new wt.Worker(href, { execArgv: workerExecArgv(process.execArgv) });
    w.on('message', (r: WorkerReply) => {
      w.unref(); // started (or failed): an idle pool must not keep the process alive
      onReply(r);
    });
    w.on('error', onFail);
    return {
      post: (m) => w.postMessage(m),
      terminate: () => void w.terminate(),
    };
  }
  const W = globalThis.Worker;
  const w = new W(url, { type: 'module' });
  w.onmessage = (e: MessageEvent<WorkerReply>) => onReply(e.data);
  // a script that fails to load (404, wrong MIME type) reports an ErrorEvent without a message
  w.onerror = (e) => onFail(new Error(`worker script ${String(url)} failed to load or start (${e.message || 'no details'}); if ${WORKER_FIX}`));
  return { post: (m) => w.postMessage(m), terminate: () => w.terminate() };
}
