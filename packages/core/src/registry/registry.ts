import type { Backend, KernelFn } from '../backend.js';
import { DTYPES, type DType } from '../dtypes.js';

/**
 * The one plugin registry of mapnn. Backends and their kernels register here, and so do later
 * packages' plugins (ONNX converters, optimizers by name, datasets, losses), each under a kind.
 * Registration is explicit: importing a package's entry (e.g. `@mapnn/backend-cpu`) registers it.
 */
export interface KernelEntry {
  op: string;
  backend: string;
  dtypes: readonly DType[];
  fn: KernelFn;
}

export interface BackendEntry {
  name: string;
  factory: () => Backend | Promise<Backend>;
  priority: number;
}

// Kept on globalThis so that two copies of core (ESM and CJS builds) share one registry.
interface RegistryState {
  backends: Map<string, BackendEntry>;
  kernels: Map<string, Map<string, KernelEntry>>; // backend → op → entry
  plugins: Map<string, Map<string, unknown>>; // kind → name → value
}
const KEY = Symbol.for('mapnn.registry');
const g = globalThis as unknown as Record<symbol, RegistryState>;
const state: RegistryState = (g[KEY] ??= { backends: new Map(), kernels: new Map(), plugins: new Map() });
const { backends, kernels, plugins } = state;

export function registerBackend(
  name: string,
  factory: () => Backend | Promise<Backend>,
  options: { priority?: number } = {},
): void {
  backends.set(name, { name, factory, priority: options.priority ?? 0 });
}

export function getBackendEntry(name: string): BackendEntry | undefined {
  return backends.get(name);
}

/** Registered backend names, highest priority first. */
export function registeredBackends(): string[] {
  return [...backends.values()].sort((a, b) => b.priority - a.priority).map((b) => b.name);
}

export function unregisterBackendEntry(name: string): void {
  backends.delete(name);
  kernels.delete(name);
}

/**
 * Registers a kernel for op `op` on backend `backend`, for the listed dtypes (default: all
 * dtypes except float16, which core computes in float32 unless a float16 kernel is registered).
 */
export function registerKernel<B extends Backend = Backend>(entry: {
  op: string;
  backend: string;
  dtypes?: readonly DType[];
  fn: KernelFn<B>;
}): void {
  let m = kernels.get(entry.backend);
  if (!m) kernels.set(entry.backend, (m = new Map()));
  m.set(entry.op, {
    op: entry.op,
    backend: entry.backend,
    dtypes: entry.dtypes ?? DTYPES.filter((d) => d !== 'float16'),
    fn: entry.fn as KernelFn,
  });
}

export function getKernel(op: string, backend: string): KernelEntry | undefined {
  return kernels.get(backend)?.get(op);
}

export function kernelsOf(backend: string): KernelEntry[] {
  return [...(kernels.get(backend)?.values() ?? [])];
}

/** Registers a plugin of some kind (e.g. `'onnx-op'`, `'optimizer'`, `'dataset'`). */
export function registerPlugin<T>(kind: string, name: string, value: T): void {
  let m = plugins.get(kind);
  if (!m) plugins.set(kind, (m = new Map()));
  m.set(name, value);
}

export function getPlugin<T>(kind: string, name: string): T | undefined {
  return plugins.get(kind)?.get(name) as T | undefined;
}

export function listPlugins(kind: string): string[] {
  return [...(plugins.get(kind)?.keys() ?? [])];
}
