/**
 * `bench --backend webgpu`: setup of both WebGPU frameworks on one GPU object and one adapter.
 *
 * mapnn's WebGPU backend runs on Dawn through `@mapnn/backend-webgpu/node` (the `webgpu` npm
 * package); tfjs-backend-webgpu 4.22 gets the very same Dawn `GPU` object as `navigator.gpu`
 * (Node has no navigator), and both request a `high-performance` adapter from it — the request
 * tfjs-backend-webgpu makes — so they run on the same adapter, whose name is printed with the
 * results. Both read back asynchronously only, so the runners of this run are async
 * (`Frameworks.asyncReads`) and the case loop awaits them.
 *
 * Without a GPU, Dawn can use SwiftShader's Vulkan driver (Debian: chromium-common): when neither
 * VK_ICD_FILENAMES nor VK_DRIVER_FILES is set and SwiftShader is installed, it is added with
 * VK_ADD_DRIVER_FILES — beside the system's drivers, so a real GPU is still found (and preferred
 * for `high-performance`). SwiftShader runs shaders on the CPU at about 0.1 GFLOP/s: the webgpu
 * cases make few runs, and each case has a time budget per run (`--budget`).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { setBackendAsync, type Backend } from '@mapnn/core';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** The adapter both frameworks request (tfjs-backend-webgpu's default request). */
export const POWER_PREFERENCE = 'high-performance';

/** Printed under every webgpu table. */
export const ABSOLUTE_SPEED_NOTE =
  'Absolute speed is judged on real GPUs; on a software adapter (SwiftShader runs the shaders on the CPU, about 0.1 GFLOP/s) these figures only show that both paths work and how they compare there.';

/** The parts of WebGPU's `GPU` / `GPUAdapter` used here (the bench has no WebGPU type package). */
export interface GPULike {
  requestAdapter(options?: { powerPreference?: string }): Promise<AdapterLike | null>;
}
export interface AdapterLike {
  info?: { description?: string; vendor?: string; architecture?: string; device?: string };
}

/**
 * Makes SwiftShader findable when no Vulkan driver list is set: adds `icd` to VK_ADD_DRIVER_FILES
 * (the loader then uses it besides the system drivers). Returns the variable set, if any.
 */
export function addSwiftShader(env: NodeJS.ProcessEnv = process.env, exists: (p: string) => boolean = existsSync, icd = SWIFTSHADER_ICD): string | undefined {
  if (env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES || !exists(icd)) return undefined;
  const added = (env.VK_ADD_DRIVER_FILES ?? '').split(':').filter(Boolean);
  if (added.includes(icd)) return undefined;
  env.VK_ADD_DRIVER_FILES = [...added, icd].join(':');
  return `VK_ADD_DRIVER_FILES=${env.VK_ADD_DRIVER_FILES}`;
}

/** Human-readable adapter name, as mapnn's backend reports it ("SwiftShader driver 5.0.0", …). */
export function adapterName(adapter: AdapterLike | null | undefined): string {
  const i = adapter?.info;
  return i?.description || [i?.vendor, i?.architecture, i?.device].filter(Boolean).join(' ') || 'unknown adapter';
}

/** Whether an adapter name is a CPU implementation of WebGPU / Vulkan / D3D. */
export function isSoftwareAdapter(name: string): boolean {
  return /swiftshader|llvmpipe|lavapipe|software|basic render|\bwarp\b/i.test(name);
}

export interface MapnnWebGPU {
  gpu: GPULike;
  /** mapnn's adapter. */
  adapter: string;
  /** The Vulkan variable this process set to find SwiftShader, if any. */
  vulkan?: string;
}

/** Loads `@mapnn/backend-webgpu/node`, activates `webgpu` on the high-performance adapter and returns the Dawn GPU object. */
export async function loadMapnnWebGPU(): Promise<MapnnWebGPU> {
  const vulkan = addSwiftShader(); // before Dawn creates its Vulkan instance
  let mod: typeof import('@mapnn/backend-webgpu/node');
  try {
    mod = await import('@mapnn/backend-webgpu/node');
  } catch (e) {
    throw new Error(`cannot load @mapnn/backend-webgpu/node (is it built, and is the 'webgpu' package installed?): ${(e as Error).message}`);
  }
  mod.registerNodeWebGPUBackend({ powerPreference: POWER_PREFERENCE });
  const backend = (await setBackendAsync('webgpu')) as Backend & { adapterName?: string };
  // the process-wide Dawn GPU object (kept alive by the backend package; dropping it aborts Dawn)
  const gpu = mod.dawnGPU() as unknown as GPULike;
  return { gpu, adapter: backend.adapterName ?? 'unknown adapter', ...(vulkan ? { vulkan } : {}) };
}

/** Gives `gpu` to code that looks for `navigator.gpu` (Node 20 has no navigator; Node 21+ has one without gpu). */
export function installNavigatorGPU(gpu: GPULike): void {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator?.gpu === gpu) return;
  if (g.navigator) {
    try {
      Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, enumerable: true, writable: true });
      if (g.navigator.gpu === gpu) return;
    } catch {
      // not extensible: replace the navigator below
    }
  }
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, enumerable: true, writable: true });
}

export interface TfjsWebGPU {
  label: string;
  /** The adapter tfjs-backend-webgpu requested (the same request on the same GPU object). */
  adapter: string;
  version: string;
}

/**
 * Switches tfjs to tfjs-backend-webgpu on `gpu` (set as `navigator.gpu` before the package is
 * imported: it registers its backend at import only when navigator.gpu exists).
 */
export async function useTfjsWebGPU(gpu: GPULike): Promise<TfjsWebGPU> {
  installNavigatorGPU(gpu);
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs-backend-webgpu failed to initialise');
  const power = tf.env().getBool('WEBGPU_USE_LOW_POWER_GPU') ? 'low-power' : 'high-performance';
  const adapter = adapterName(await gpu.requestAdapter({ powerPreference: power }));
  const version = (createRequire(import.meta.url)('@tensorflow/tfjs-backend-webgpu/package.json') as { version: string }).version;
  return { label: `tfjs-backend-webgpu ${version} (tfjs-core ${tf.version_core}, adapter "${adapter}")`, adapter, version };
}
