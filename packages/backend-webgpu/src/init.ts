/**
 * Creating and registering the `webgpu` backend. Registration is synchronous; the adapter and
 * device are requested when the backend is first activated (`await setBackendAsync('webgpu')`).
 */
import { registerBackend } from '@mapnn/core/backend';
import { WebGPUBackend, type WebGPUBackendOptions } from './backend.js';
import { GpuRuntime } from './runtime.js';

export interface WebGPUInitOptions extends WebGPUBackendOptions {
  /**
   * The WebGPU entry point, or a function returning it (called when the backend initialises);
   * default `navigator.gpu` (browsers). In Node, `create([])` of the `webgpu` package.
   */
  gpu?: GPU | (() => GPU);
  /** Spelled out (not `GPUPowerPreference`): the public types need no WebGPU declarations (gpu-types.ts). */
  powerPreference?: 'low-power' | 'high-performance';
}

const LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupsPerDimension',
] as const;

/** Human-readable adapter name ("SwiftShader driver 5.0.0", "nvidia ampere", …). */
export function adapterName(adapter: GPUAdapter): string {
  const i = adapter.info;
  return i?.description || [i?.vendor, i?.architecture, i?.device].filter(Boolean).join(' ') || 'unknown adapter';
}

/** Requests an adapter and a device (with the adapter's compute limits) and wraps them as a backend. */
export async function createWebGPUBackend(opts: WebGPUInitOptions = {}): Promise<WebGPUBackend> {
  // navigator (and its gpu) are typed as always there, but are absent in Node and in browsers without WebGPU
  const nav: { gpu?: GPU } | undefined = globalThis.navigator;
  const gpu = (typeof opts.gpu === 'function' ? opts.gpu() : opts.gpu) ?? nav?.gpu;
  if (!gpu) {
    throw new Error(
      "WebGPU is not available (navigator.gpu is undefined). In Node, import '@mapnn/backend-webgpu/node' " +
        '(needs the `webgpu` package) or call registerWebGPUBackend({ gpu }); in a browser, use one with WebGPU ' +
        'enabled, on https or localhost.',
    );
  }
  const adapter = await gpu.requestAdapter(opts.powerPreference ? { powerPreference: opts.powerPreference } : undefined);
  if (!adapter) {
    throw new Error(
      'WebGPU: no adapter available (requestAdapter() returned null). On Linux without a GPU, install a Vulkan ' +
        'driver such as SwiftShader and set VK_ICD_FILENAMES (e.g. /usr/lib/chromium/vk_swiftshader_icd.json).',
    );
  }
  const requiredLimits: Record<string, number> = {};
  for (const k of LIMITS) requiredLimits[k] = adapter.limits[k];
  const device = await adapter.requestDevice({ requiredLimits });
  return new WebGPUBackend(new GpuRuntime(device, adapterName(adapter), opts), opts);
}

/**
 * Registers the `webgpu` backend (replacing an earlier registration). Activate it with
 * `await setBackendAsync('webgpu')`.
 *
 * @example
 * import { registerWebGPUBackend } from '@mapnn/backend-webgpu';
 * registerWebGPUBackend({ gpu: navigator.gpu });
 * await setBackendAsync('webgpu');
 */
export function registerWebGPUBackend(opts: WebGPUInitOptions = {}): void {
  registerBackend('webgpu', () => createWebGPUBackend(opts), { priority: 0 });
}
