/**
 * `--backend webgpu`: the setup helpers, and (where Dawn finds an adapter, e.g. SwiftShader) mapnn's
 * webgpu backend next to tfjs-backend-webgpu on the same GPU object — matmul values against a
 * reference, and the CNN training step's first loss (same initial weights) on a small batch.
 * Without an adapter the GPU tests are skipped locally and fail when CI=true, like the backend's.
 * No timing is asserted.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { cnnTrainCase } from './cases/cnn-train.js';
import { randomData } from './cases/data.js';
import { matmulCase } from './cases/matmul.js';
import type { Frameworks } from './frameworks.js';
import { runCase } from './harness.js';
import { relDiff, type PeerRunner, type Runner } from './report.js';
import { addSwiftShader, adapterName, installNavigatorGPU, isSoftwareAdapter, loadMapnnWebGPU, useTfjsWebGPU, type GPULike } from './webgpu.js';

describe('webgpu setup helpers', () => {
  it('addSwiftShader adds the driver beside the system ones, unless a driver list is set', () => {
    const yes = () => true;
    const env: NodeJS.ProcessEnv = {};
    expect(addSwiftShader(env, yes, '/ss.json')).toBe('VK_ADD_DRIVER_FILES=/ss.json');
    expect(env.VK_ADD_DRIVER_FILES).toBe('/ss.json');
    expect(addSwiftShader(env, yes, '/ss.json')).toBeUndefined(); // already there
    const more: NodeJS.ProcessEnv = { VK_ADD_DRIVER_FILES: '/other.json' };
    addSwiftShader(more, yes, '/ss.json');
    expect(more.VK_ADD_DRIVER_FILES).toBe('/other.json:/ss.json');
    for (const set of [{ VK_ICD_FILENAMES: '/gpu.json' }, { VK_DRIVER_FILES: '/gpu.json' }]) {
      const e: NodeJS.ProcessEnv = { ...set };
      expect(addSwiftShader(e, yes, '/ss.json')).toBeUndefined();
      expect(e.VK_ADD_DRIVER_FILES).toBeUndefined();
    }
    const none: NodeJS.ProcessEnv = {};
    expect(addSwiftShader(none, () => false, '/ss.json')).toBeUndefined();
    expect(none).toEqual({});
  });

  it('adapter names, and which are software', () => {
    expect(adapterName({ info: { description: 'SwiftShader driver 5.0.0', vendor: 'google' } })).toBe('SwiftShader driver 5.0.0');
    expect(adapterName({ info: { vendor: 'nvidia', architecture: 'ampere' } })).toBe('nvidia ampere');
    expect(adapterName(null)).toBe('unknown adapter');
    expect(isSoftwareAdapter('SwiftShader driver 5.0.0')).toBe(true);
    expect(isSoftwareAdapter('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareAdapter('nvidia ampere')).toBe(false);
    expect(isSoftwareAdapter('NVIDIA GeForce RTX 4090')).toBe(false);
  });

  it('installNavigatorGPU exposes the GPU object as navigator.gpu', () => {
    const before = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    try {
      const gpu: GPULike = { requestAdapter: async () => null };
      installNavigatorGPU(gpu);
      expect((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu).toBe(gpu);
    } finally {
      if (before) Object.defineProperty(globalThis, 'navigator', before);
      else delete (globalThis as { navigator?: unknown }).navigator;
    }
  });
});

// Dawn's adapter: one setup for the GPU tests below (mapnn's backend first, then tfjs's on its GPU object)
const setup = await (async () => {
  try {
    const mapnn = await loadMapnnWebGPU();
    const tfjs = await useTfjsWebGPU(mapnn.gpu);
    return { mapnn, tfjs };
  } catch (e) {
    return (e as Error).message.split('\n')[0]!;
  }
})();

const FW: Frameworks = { tfjs: 'webgpu', threads: 1, asyncReads: true };

function refMatmul(a: Float32Array, b: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let p = 0; p < n; p++) for (let j = 0; j < n; j++) out[i * n + j]! += a[i * n + p]! * b[p * n + j]!;
  return out;
}

async function once(r: Runner): Promise<Float32Array> {
  const out = r.run();
  expect(out).toBeInstanceOf(Promise); // webgpu runners read back asynchronously
  await out;
  return r.result();
}

if (typeof setup === 'string') {
  if (process.env.CI === 'true') {
    it('a WebGPU adapter is available (required when CI=true)', () => {
      throw new Error(`no WebGPU adapter: ${setup}`);
    });
  } else it.skip(`webgpu: no adapter (${setup})`, () => {});
} else {
  describe('mapnn webgpu vs tfjs-backend-webgpu (same adapter)', () => {
    it('both frameworks report the same adapter', () => {
      expect(setup.mapnn.adapter).not.toBe('unknown adapter');
      expect(setup.tfjs.adapter).toBe(setup.mapnn.adapter);
      expect(setup.tfjs.version).toBe('4.22.0');
      expect(tf.getBackend()).toBe('webgpu');
    });

    it('matmul: asynchronous runners of both give the reference values', async () => {
      const n = 48;
      const c = matmulCase(n, true, FW);
      const ref = refMatmul(randomData(n * n, 1), randomData(n * n, 2), n);
      const m = await c.mapnn();
      const t = await (c.peers.tfjs as PeerRunner).make();
      try {
        expect(relDiff(await once(m), ref)).toBeLessThan(1e-5);
        expect(relDiff(await once(t), ref)).toBeLessThan(1e-5);
      } finally {
        await m.dispose();
        await t.dispose();
      }
    });

    it('CNN training step (batch 4): the same first loss from the same initial weights, through the case loop', async () => {
      const c = cnnTrainCase(true, FW, 4);
      c.reps = 1;
      c.warmup = 0; // one step each: the first loss is what is checked (timings are not)
      (c.peers.tfjs as PeerRunner).warmup = 0;
      const r = await runCase(c, [{ id: 'tfjs', column: 'tfjs-webgpu', label: setup.tfjs.label }]);
      expect(r.skipped).toBeUndefined();
      expect(r.mapnn!.samples).toHaveLength(1);
      const p = r.peers[0]!;
      expect(p.skipped).toBeUndefined();
      expect(p.timing!.samples).toHaveLength(1);
      expect(p.maxRelDiff).toBeLessThan(1e-4);
      expect(r.mapnnResult).toHaveLength(1);
      expect(p.result).toHaveLength(1);
    }, 300_000);

    it('the CNN first loss is a real cross-entropy (finite, near ln 10 at initialisation)', async () => {
      const c = cnnTrainCase(true, FW, 2);
      const m = await c.mapnn();
      try {
        const [loss] = await once(m);
        expect(Number.isFinite(loss)).toBe(true);
        expect(Math.abs(loss! - Math.log(10))).toBeLessThan(1);
      } finally {
        await m.dispose();
      }
    }, 300_000);
  });
}
