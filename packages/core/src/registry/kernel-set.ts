import type { Backend, KernelFn, TensorInfo } from '../backend.js';
import type { DType } from '../dtypes.js';
import { KERNELS, isKernelName, type AttrsOf, type DTypeOf, type FastKernel, type KernelName, type PrimitiveKernel } from './kernel-spec.js';
import { registerKernel } from './registry.js';

/** A backend's implementation of kernel `K`: its inputs' storage, typed attrs and the backend. */
export type KernelImpl<K extends KernelName, B> = (inputs: TensorInfo[], attrs: AttrsOf<K>, backend: B) => TensorInfo | TensorInfo[];

/**
 * One entry of a `KernelSet`: the implementation alone (registered for the table's dtypes), or
 * with the dtypes this backend computes it for (the table's, narrowed, or with float16 added).
 */
export type KernelDef<K extends KernelName, B> = KernelImpl<K, B> | { readonly fn: KernelImpl<K, B>; readonly dtypes: readonly DTypeOf<K>[] };

/**
 * What a backend registers: every primitive kernel, any of the optional fast paths, each typed
 * by the spec table. Write `{ … } satisfies KernelSet<MyBackend>`; a missing primitive, a
 * misspelt kernel or attribute, a wrong attribute type or dtype is a compile error.
 */
export type KernelSet<B> = { [K in PrimitiveKernel]: KernelDef<K, B> } & { [K in FastKernel]?: KernelDef<K, B> };

/** Part of a `KernelSet` (one file's kernels); spread the parts into the whole set. */
export type PartialKernelSet<B> = { [K in KernelName]?: KernelDef<K, B> };

type AnyDef<B> = KernelImpl<KernelName, B> | { readonly fn: KernelImpl<KernelName, B>; readonly dtypes: readonly DType[] };

/** Registers every kernel of `set` for backend `backendName` (see `KernelSet`). */
export function registerKernels<B extends Backend>(backendName: string, set: KernelSet<B> | PartialKernelSet<B>): void {
  for (const [op, def] of Object.entries(set) as [string, AnyDef<B> | undefined][]) { // entries loses the per-key types the set was checked with
    if (!def) continue;
    if (!isKernelName(op)) throw new Error(`registerKernels(${backendName}): '${op}' is not a kernel of the spec table`);
    const { fn, dtypes } = typeof def === 'function' ? { fn: def, dtypes: KERNELS[op].dtypes } : def;
    // the registry stores kernels untyped; runKernel passes each the attrs its table entry declares
    const untyped = fn as unknown as (inputs: TensorInfo[], attrs: unknown, backend: B) => TensorInfo | TensorInfo[];
    const kernel: KernelFn<B> = (inputs, attrs, ctx) => untyped(inputs, attrs, ctx.backend);
    registerKernel<B>({ op, backend: backendName, dtypes, fn: kernel });
  }
}
