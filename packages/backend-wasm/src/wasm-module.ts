/**
 * Compiling the embedded kernel module (once per process and memory kind), creating the linear
 * memory and instantiating the module on it.
 */
import { kernelExports, type KernelExports } from './kernel-exports.js';
import { kernelBytes, withUnsharedMemory } from './wasm-binary.js';

const PAGE = 65536;
const compiled = new Map<string, Promise<WebAssembly.Module>>();

/** The kernel module for a shared (threads) or private memory, in its SIMD128 or relaxed-SIMD build. */
export function kernelModule(shared: boolean, relaxedSimd = false): Promise<WebAssembly.Module> {
  const key = `${shared}/${relaxedSimd}`;
  let m = compiled.get(key);
  if (!m) {
    const bytes = kernelBytes(relaxedSimd);
    m = WebAssembly.compile(shared ? bytes : withUnsharedMemory(bytes));
    compiled.set(key, m);
  }
  return m;
}

/**
 * A linear memory of `initialBytes`, growable to `maximumBytes` (4 GiB by default; shared
 * memories reserve their maximum, so a smaller one is tried if the reservation fails).
 */
export function createMemory(shared: boolean, initialBytes: number, maximumBytes: number): WebAssembly.Memory {
  const initial = Math.max(1, Math.ceil(initialBytes / PAGE));
  let maximum = Math.min(65536, Math.max(initial, Math.ceil(maximumBytes / PAGE)));
  for (;;) {
    try {
      return new WebAssembly.Memory({ initial, maximum, shared });
    } catch (e) {
      if (maximum <= initial * 2 || maximum <= 4096) throw e;
      maximum = Math.floor(maximum / 2);
    }
  }
}

export async function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<KernelExports> {
  const instance = await WebAssembly.instantiate(module, {
    env: {
      memory,
      abort: () => {
        throw new Error('wasm kernel abort');
      },
    },
  });
  return kernelExports(instance.exports);
}
