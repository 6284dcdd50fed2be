import type { Backend, DataId } from './backend.js';
import {
  getBackendEntry,
  registeredBackends,
  unregisterBackendEntry,
} from './registry/registry.js';

/**
 * Global engine state: backend instances and the active backend, storage reference counts,
 * live tensors (for `memory()` and leak reports), grad mode and debug flags.
 * Kept in one object on `globalThis` so that two copies of core (ESM + CJS) still share it.
 */
interface StorageRecord {
  backend: Backend;
  refs: number;
  bytes: number;
}

export interface LiveTensor {
  readonly id: number;
  readonly backendName: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly creationStack?: string;
  readonly opName: string;
}

interface EngineState {
  instances: Map<string, Backend>;
  active: string | null;
  storage: WeakMap<DataId, StorageRecord>;
  bytesByBackend: Map<string, number>;
  live: Set<LiveTensor>;
  gradEnabled: boolean;
  checkNumerics: boolean;
  debugLeaks: boolean;
  nextId: number;
}

const KEY = Symbol.for('mapnn.engine');
const g = globalThis as unknown as Record<symbol, EngineState>;
export const engine: EngineState = (g[KEY] ??= {
  instances: new Map(),
  active: null,
  storage: new WeakMap(),
  bytesByBackend: new Map(),
  live: new Set(),
  gradEnabled: true,
  checkNumerics: false,
  debugLeaks: false,
  nextId: 0,
});

/** Makes `name` the active backend, creating it on first use. Throws if it is unknown or async. */
export function setBackend(name: string): Backend {
  const b = instantiate(name);
  if (b instanceof Promise) {
    throw new Error(`setBackend('${name}'): this backend initialises asynchronously; use 'await setBackendAsync('${name}')'`);
  }
  engine.active = name;
  return b;
}

/** Makes `name` the active backend, awaiting asynchronous initialisation (WebGPU, wasm). */
export async function setBackendAsync(name: string): Promise<Backend> {
  const b = await instantiate(name);
  engine.active = name;
  return b;
}

/**
 * Tries backends in order and activates the first that initialises. If none does, throws one
 * error listing every candidate's failure.
 */
export async function setBackendPreference(names: readonly string[]): Promise<string> {
  const failures: string[] = [];
  for (const name of names) {
    try {
      await setBackendAsync(name);
      return name;
    } catch (e) {
      failures.push(`  ${name}: ${(e as Error).message}`);
    }
  }
  throw new Error(`No backend could be initialised:\n${failures.join('\n')}`);
}

function instantiate(name: string): Backend | Promise<Backend> {
  const existing = engine.instances.get(name);
  if (existing) return existing;
  const entry = getBackendEntry(name);
  if (!entry) {
    const known = registeredBackends();
    throw new Error(
      `Backend '${name}' is not registered (registered: ${known.length ? known.join(', ') : 'none'}). ` +
        `Import its package, e.g. "import '@mapnn/backend-${name}'".`,
    );
  }
  const made = entry.factory();
  if (made instanceof Promise) {
    return made.then((b) => {
      engine.instances.set(name, b);
      return b;
    });
  }
  engine.instances.set(name, made);
  return made;
}

/** The active backend (the highest-priority registered one if none was chosen). */
export function getBackend(): Backend {
  if (engine.active === null) {
    const names = registeredBackends();
    const sync = names.find((n) => engine.instances.has(n)) ?? names[0];
    if (sync === undefined) {
      throw new Error(`No backend is registered. Import one first, e.g. "import '@mapnn/backend-cpu'".`);
    }
    setBackend(sync);
  }
  return engine.instances.get(engine.active!)!;
}

export function getBackendName(): string {
  return getBackend().name;
}

export function findBackend(name: string): Backend | undefined {
  return engine.instances.get(name);
}

/** Disposes a backend instance and removes it with its kernels from the registry. */
export function removeBackend(name: string): void {
  engine.instances.get(name)?.dispose?.();
  engine.instances.delete(name);
  unregisterBackendEntry(name);
  if (engine.active === name) engine.active = null;
}

// ---------------------------------------------------------------- storage reference counts
export function trackStorage(backend: Backend, dataId: DataId, bytes: number): void {
  const rec = engine.storage.get(dataId);
  if (rec) {
    rec.refs++;
    return;
  }
  engine.storage.set(dataId, { backend, refs: 1, bytes });
  engine.bytesByBackend.set(backend.name, (engine.bytesByBackend.get(backend.name) ?? 0) + bytes);
}

export function releaseStorage(dataId: DataId): void {
  const rec = engine.storage.get(dataId);
  if (!rec) return;
  if (--rec.refs > 0) return;
  engine.storage.delete(dataId);
  engine.bytesByBackend.set(rec.backend.name, (engine.bytesByBackend.get(rec.backend.name) ?? 0) - rec.bytes);
  rec.backend.disposeData(dataId);
}

export function storageBackend(dataId: DataId): Backend | undefined {
  return engine.storage.get(dataId)?.backend;
}
