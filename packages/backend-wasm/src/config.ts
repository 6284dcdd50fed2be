/**
 * Process-wide settings of the wasm backend, read when it is created (and applied at once to a
 * live backend where possible).
 */
import { findBackend, type Backend } from '@mapnn/core';

export interface WasmConfig {
  /** Threads, the main thread included (default: the core count; 1 = no workers). */
  threads?: number;
  /** URL of the worker script (default: `worker.js` next to this bundle). */
  workerUrl?: URL | string;
  /** Work (≈ element operations) below which a kernel runs on one thread. */
  parallelThreshold?: number;
  /** How long (ms) idle workers spin before sleeping (default 1). */
  spinWait?: number;
}

const KEY = Symbol.for('mapnn.backend-wasm.config');

/** The settings object on globalThis (created on first use), shared by ESM and CJS copies of this package. */
function sharedConfig(): WasmConfig {
  const found: unknown = Reflect.get(globalThis, KEY);
  if (typeof found === 'object' && found !== null) return found;
  const fresh: WasmConfig = {};
  Reflect.set(globalThis, KEY, fresh);
  return fresh;
}
export const wasmConfig: WasmConfig = sharedConfig();

interface Tunable {
  setThreads(n: number): Promise<void>;
  setParallelThreshold(work: number): void;
  setSpinWait(ms: number): void;
}

/** The live wasm backend, if one was created (its settings apply at once). */
function liveBackend(): Tunable | undefined {
  const b = findBackend('wasm');
  return b && isTunable(b) ? b : undefined;
}

function isTunable(b: Backend): b is Backend & Tunable {
  return 'setThreads' in b && 'setParallelThreshold' in b && 'setSpinWait' in b;
}

/**
 * Sets the number of threads (main included) the wasm backend computes with. Applies to a live
 * backend too (new workers join once started); returns when they are ready.
 */
export async function setWasmThreads(n: number): Promise<void> {
  if (!Number.isInteger(n) || n < 1) throw new Error(`setWasmThreads: expected a positive integer, got ${n}`);
  wasmConfig.threads = n;
  const live = liveBackend();
  if (live) await live.setThreads(n);
}

/** Where the pool's worker script lives (for bundlers that move `worker.js`). Set before init. */
export function setWasmWorkerUrl(url: URL | string): void {
  wasmConfig.workerUrl = url;
}

/** Work below which kernels stay on one thread (default 131072; 0 parallelises everything). */
export function setWasmParallelThreshold(work: number): void {
  wasmConfig.parallelThreshold = work;
  const live = liveBackend();
  live?.setParallelThreshold(work);
}

/**
 * How long (ms, default 1) idle workers keep spinning before they sleep. Spinning keeps them
 * ready for the next parallel kernel (waking a sleeper costs tens of µs); 0 saves the CPU time
 * when another program needs the cores more.
 */
export function setWasmSpinWait(ms: number): void {
  if (!(ms >= 0 && ms <= 1000)) throw new Error(`setWasmSpinWait: expected 0 to 1000 ms, got ${ms}`);
  wasmConfig.spinWait = ms;
  const live = liveBackend();
  live?.setSpinWait(ms);
}

/**
 * The worker script next to this module (dist/worker.js in the published package; in an app
 * bundle, `worker.js` next to the bundle). Where a bundler emptied `import.meta` (esbuild
 * `--format=cjs`), next to the CommonJS bundle's file, else the page's. Never throws: a script
 * that is not there gives one warning naming the path and the fix when the pool starts.
 */
export function defaultWorkerUrl(): URL {
  try {
    // this exact expression lets Vite and webpack carry worker.js along
    return new URL('./worker.js', import.meta.url);
  } catch {
    return new URL('./worker.js', fallbackBase());
  }
}

function fallbackBase(): string {
  if (typeof __filename === 'string') {
    const path = __filename.replace(/\\/g, '/').replace(/^(?=[A-Za-z]:)/, '/');
    return `file://${path.replace(/[%#?]/g, (c) => encodeURIComponent(c))}`;
  }
  return globalThis.location?.href ?? 'file:///';
}
