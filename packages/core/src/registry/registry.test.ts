import { describe, expect, it } from 'vitest';
import {
  add,
  coverageMarkdown,
  getBackend,
  getPlugin,
  listPlugins,
  missingPrimitives,
  registerBackend,
  registerKernel,
  registerPlugin,
  runKernel,
  runKernelMulti,
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

  it('multi-output kernels run with runKernelMulti; runKernel refuses them, and both name what is missing', () => {
    const name = 'bare-multi';
    registerBackend(name, () => emptyBackend(name));
    try {
      setBackend(name);
      const be = getBackend();
      registerKernel({
        op: 'splitHalves',
        backend: name,
        dtypes: ['float32'],
        fn: ([x]) => {
          const v = be.readSync(x!.dataId) as Float32Array;
          const h = v.length / 2;
          return [v.subarray(0, h), v.subarray(h)].map((p) => ({ dataId: be.write(p, 'float32'), shape: [h], dtype: 'float32' as const }));
        },
      });
      const x = tensor([1, 2, 3, 4]);
      const [a, b] = runKernelMulti('splitHalves', [x]);
      expect(Array.from(a!.dataSync())).toEqual([1, 2]);
      expect(Array.from(b!.dataSync())).toEqual([3, 4]);
      expect(() => runKernel('splitHalves', [x])).toThrow("Kernel 'splitHalves' on backend 'bare-multi' returned 2 outputs; run it with runKernelMulti");
      expect(() => runKernelMulti('splitHalves', [tensor([1, 2], [2], 'int32')])).toThrow(
        "Kernel 'splitHalves' on backend 'bare-multi' does not support dtype int32 (supports float32",
      );
      expect(() => runKernelMulti('nothingHere', [x])).toThrow("Kernel 'nothingHere' is not registered for backend 'bare-multi' (dtype float32");
    } finally {
      removeBackend(name);
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
