/**
 * @mapnn/backend-webgpu/node — the `webgpu` backend in Node through Dawn (the `webgpu` npm
 * package, which you install next to this one). Importing it registers `webgpu` on a Dawn
 * instance created on first activation, which then lives as long as the process (dropping
 * it would abort Dawn).
 *
 * Without a GPU, Dawn can run on SwiftShader: set
 * `VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json` (Debian: chromium-common).
 *
 * @example
 * import '@mapnn/backend-webgpu/node';
 * await setBackendAsync('webgpu');
 */
import { create, globals } from 'webgpu';
import { registerWebGPUBackend, type WebGPUInitOptions } from './index.js';

const KEY = Symbol.for('mapnn.webgpu.dawn');
// a cast because globalThis has no typed slot for a symbol key; the process's one Dawn instance
// lives there (under a Symbol.for key) so that every copy of this module finds the same one
const g = globalThis as unknown as Record<symbol, GPU | undefined>;

/** The process-wide Dawn `GPU` (created on first use; `options` are Dawn toggles for `create`). */
export function dawnGPU(options: string[] = []): GPU {
  if (!g[KEY]) {
    Object.assign(globalThis, globals);
    g[KEY] = create(options);
  }
  return g[KEY]!;
}

/** Registers `webgpu` on Dawn (done on import with defaults; call again to change options). */
export function registerNodeWebGPUBackend(opts: Omit<WebGPUInitOptions, 'gpu'> = {}): void {
  registerWebGPUBackend({ ...opts, gpu: () => dawnGPU() });
}

registerNodeWebGPUBackend();

export * from './index.js';
