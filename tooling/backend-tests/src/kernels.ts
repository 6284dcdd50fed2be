import { describe, expect, it } from 'vitest';
import {
  add, dispose, getBackendName, kernelsOf, PRIMITIVE_KERNELS as CORE_PRIMITIVE_KERNELS, registerBackend, registerKernel,
  removeBackend, setBackend, setBackendAsync, tensor, type Backend, type DataId, type DType, type TypedArray,
} from '@mapnn/core';
import type { ResolvedOptions } from './types.js';

/** Primitive kernels every backend must provide: core's list, derived from its kernel spec table. */
export const PRIMITIVE_KERNELS: readonly string[] = CORE_PRIMITIVE_KERNELS;

/** Kernels that need a float16 entry (float16 is a storage dtype moved without computing). */
export const FLOAT16_KERNELS: readonly string[] = ['cast', 'broadcastTo', 'transpose', 'slice', 'pad', 'concat', 'gather', 'indexSelect'];

/** A storage-only backend with no kernels, for the missing-kernel errors. */
class StorageOnlyBackend implements Backend {
  private store = new Map<DataId, TypedArray>();
  constructor(readonly name: string) {}
  write(values: TypedArray, _dtype: DType): DataId {
    const id = {};
    this.store.set(id, values.slice());
    return id;
  }
  async read(id: DataId): Promise<TypedArray> {
    return this.readSync(id);
  }
  readSync(id: DataId): TypedArray {
    const v = this.store.get(id);
    if (!v) throw new Error('storage-only backend: unknown storage');
    return v.slice();
  }
  disposeData(id: DataId): void {
    this.store.delete(id);
  }
  memory() {
    return { numBuffers: this.store.size, numBytes: 0 };
  }
}

/** Kernel registration: the primitive kernels exist, and a missing one is a clear error. */
export function kernelSuite(o: ResolvedOptions): void {
  const t = (name: string, fn: () => unknown) => it.skipIf(o.isExcluded('kernels', name))(name, fn as () => Promise<void>);
  describe('kernels', () => {
    t('every primitive kernel is registered', () => {
      const have = new Set(kernelsOf(o.backend).map((k) => k.op));
      expect(PRIMITIVE_KERNELS.filter((k) => !have.has(k)), `kernels missing on '${o.backend}'`).toEqual([]);
    });
    t('movement kernels have float16 entries', () => {
      const f16 = new Set(kernelsOf(o.backend).filter((k) => k.dtypes.includes('float16')).map((k) => k.op));
      expect(FLOAT16_KERNELS.filter((k) => !f16.has(k)), `kernels without float16 on '${o.backend}'`).toEqual([]);
    });
    t('a missing kernel is an error naming op, dtype and backend', async () => {
      const name = `conformance-no-kernels-${o.backend}`;
      registerBackend(name, () => new StorageOnlyBackend(name), { priority: -1000 });
      const prev = getBackendName();
      setBackend(name);
      const a = tensor([1, 2]);
      const b = tensor([3, 4]);
      try {
        let message = '';
        try {
          add(a, b);
        } catch (e) {
          message = (e as Error).message;
        }
        expect(message).toMatch(/add/);
        expect(message).toMatch(/float32/);
        expect(message).toContain(name);
        // a kernel registered for other dtypes only
        registerKernel({ op: 'add', backend: name, dtypes: ['int32'], fn: (inputs) => inputs[0]! });
        expect(() => add(a, b)).toThrow(/add[\s\S]*float32/);
        expect(() => add(a, b)).toThrow(name);
      } finally {
        dispose([a, b]);
        await setBackendAsync(prev);
        removeBackend(name);
      }
      expect(getBackendName()).toBe(o.backend);
    });
  });
}
