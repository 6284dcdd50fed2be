import { describe, expect, it } from 'vitest';
import {
  add,
  coverageMarkdown,
  getBackend,
  getPlugin,
  listPlugins,
  missingPrimitives,
  registerBackend,
  registerPlugin,
  removeBackend,
  setBackend,
  setBackendPreference,
  tensor,
  type Backend,
} from '../index.js';

function emptyBackend(name: string): Backend {
  const store = new WeakMap<object, Float32Array>();
  return {
    name,
    write: (v) => {
      const id = {};
      store.set(id, Float32Array.from(v as Float32Array));
      return id;
    },
    read: async (id) => store.get(id)!,
    readSync: (id) => store.get(id)!,
    disposeData: (id) => void store.delete(id),
    memory: () => ({ numBuffers: 0, numBytes: 0 }),
  };
}

describe('registry', () => {
  it('a missing kernel is an error naming op, dtype and backend', () => {
    registerBackend('bare', () => emptyBackend('bare'));
    try {
      setBackend('bare');
      const a = tensor([1, 2]);
      expect(() => add(a, a)).toThrow("Kernel 'add' is not registered for backend 'bare' (dtype float32");
      expect(missingPrimitives('bare')).toContain('add');
    } finally {
      removeBackend('bare');
      setBackend('cpu');
    }
  });

  it('setBackend on an unknown name lists the registered backends', () => {
    expect(() => setBackend('nope')).toThrow(/Backend 'nope' is not registered \(registered: .*cpu/);
  });

  it('a preference list activates the first that initialises and reports all failures', async () => {
    registerBackend('broken', () => {
      throw new Error('no adapter');
    });
    try {
      expect(await setBackendPreference(['broken', 'cpu'])).toBe('cpu');
      await expect(setBackendPreference(['broken', 'missing'])).rejects.toThrow(/broken: no adapter[\s\S]*missing: Backend 'missing' is not registered/);
    } finally {
      removeBackend('broken');
      setBackend('cpu');
    }
    expect(getBackend().name).toBe('cpu');
  });

  it('holds plugins of other kinds', () => {
    registerPlugin('optimizer', 'sgd', { lr: 0.1 });
    expect(getPlugin<{ lr: number }>('optimizer', 'sgd')?.lr).toBe(0.1);
    expect(listPlugins('optimizer')).toContain('sgd');
  });

  it('the coverage table lists kernels with dtypes and composed fast paths', () => {
    const md = coverageMarkdown(['cpu']);
    expect(md).toMatch(/\| `add` \| primitive \| f32 f64 i32 i64 i8 u8 b \|/);
    expect(md).toMatch(/\| `matmul` \| fast path \| f32 f64 \|/);
  });
});
