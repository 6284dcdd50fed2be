import { DTYPES, type DType } from '../dtypes.js';
import { floatOnlyKernels, isFastKernel, isPrimitiveKernel, KERNEL_NAMES, KERNELS, type FastKernel, type KernelName, type PrimitiveKernel } from './kernel-spec.js';
import { getKernel, registeredBackends } from './registry.js';

/** Kernels every backend must provide (see docs/kernels-and-ops.md), from the spec table. */
export const PRIMITIVE_KERNELS: readonly PrimitiveKernel[] = KERNEL_NAMES.filter(isPrimitiveKernel);

/** Fast paths a backend may provide; core composes them from primitives otherwise. */
export const OPTIONAL_KERNELS: readonly FastKernel[] = KERNEL_NAMES.filter(isFastKernel);

/** Kernels computed for float dtypes only (core promotes int and bool inputs first). */
export const FLOAT_ONLY_KERNELS: readonly KernelName[] = floatOnlyKernels();

/** Primitive kernels a backend lacks (empty when it satisfies the contract). */
export function missingPrimitives(backend: string): string[] {
  return PRIMITIVE_KERNELS.filter((k) => !getKernel(k, backend));
}

const SHORT: Record<DType, string> = {
  float32: 'f32', float64: 'f64', float16: 'f16', int32: 'i32', int64: 'i64', int8: 'i8', uint8: 'u8', bool: 'b',
};

/**
 * The kernel × dtype × backend coverage table in Markdown: one row per kernel of the spec table
 * (primitives, then fast paths, in table order), one column per backend with the dtypes it
 * registered (so the docs cannot drift from the code). Float16 compute runs in float32 unless a
 * float16 kernel is listed.
 */
export function coverageMarkdown(backends: readonly string[] = registeredBackends()): string {
  const head = `| kernel | kind | ${backends.join(' | ')} |\n|---|---|${backends.map(() => '---|').join('')}\n`;
  const row = (k: string, kind: string) => {
    const cells = backends.map((b) => {
      const e = getKernel(k, b);
      if (!e) return kind === 'primitive' ? '**missing**' : 'composed';
      return DTYPES.filter((d) => e.dtypes.includes(d)).map((d) => SHORT[d]).join(' ');
    });
    return `| \`${k}\` | ${kind} | ${cells.join(' | ')} |\n`;
  };
  const label = (k: KernelName) => (KERNELS[k].kind === 'primitive' ? 'primitive' : 'fast path');
  return head + [...PRIMITIVE_KERNELS, ...OPTIONAL_KERNELS].map((k) => row(k, label(k))).join('');
}
