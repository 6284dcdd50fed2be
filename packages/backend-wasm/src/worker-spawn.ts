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
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown };
  return g.crossOriginIsolated === true && typeof g.Worker === 'function';
}

/** Logical cores: os.availableParallelism() in Node, navigator.hardwareConcurrency in browsers. */
export async function coreCount(): Promise<number> {
  if (isNodeRuntime()) {
    const name = 'node:os';
    const os = (await import(/* @vite-ignore */ /* webpackIgnore: true */ name)) as typeof import('node:os');
    return (os.availableParallelism?.() ?? os.cpus().length) || 1;
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency || 1;
}

export async function spawnWorker(url: URL | string, onReply: (r: WorkerReply) => void, onFail: (e: unknown) => void): Promise<WorkerHandle> {
  if (isNodeRuntime()) {
    const name = 'node:worker_threads';
    const wt = (await import(/* @vite-ignore */ /* webpackIgnore: true */ name)) as typeof import('node:worker_threads');
    const w = new wt.Worker(typeof url === 'string' ? new URL(url) : url);
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
  const W = (globalThis as unknown as { Worker: new (u: URL | string, o: { type: 'module' }) => Worker }).Worker;
  const w = new W(url, { type: 'module' });
  w.onmessage = (e: MessageEvent) => onReply(e.data as WorkerReply);
  w.onerror = (e) => onFail(e);
  return { post: (m) => w.postMessage(m), terminate: () => w.terminate() };
}
