/**
 * Test helper: activates the `webgpu` backend (Dawn in Node) once per test file. Without an
 * adapter the WebGPU tests are skipped locally but fail under CI=true (a missing SwiftShader or
 * Vulkan loader there is a broken setup, not a reason to skip).
 */
import { it } from 'vitest';
import { getBackend, setBackendAsync } from '@mapnn/core';
import '../src/node.js';
import type { WebGPUBackend } from '../src/backend.js';

export const CI = process.env.CI === 'true';

/** Activates `webgpu`; null when it is available, else the reason it is not. */
export async function activateWebGPU(): Promise<string | null> {
  try {
    await setBackendAsync('webgpu');
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The active webgpu backend instance. */
export function webgpu(): WebGPUBackend {
  return getBackend() as WebGPUBackend;
}

/** Declares a test that fails under CI when `reason` is set (the adapter is missing). */
export function requireAdapter(reason: string | null): boolean {
  if (reason === null) return true;
  if (CI) {
    it('a WebGPU adapter is available (required when CI=true)', () => {
      throw new Error(`no WebGPU adapter: ${reason}`);
    });
  } else {
    it.skip(`no WebGPU adapter (${reason})`, () => {});
  }
  return false;
}
