import type { Tensor } from '@mapnn/core';

/** A tensor holding NaN or ±Infinity values. */
export interface NonFiniteWeight {
  name: string;
  /** How many of its values are NaN or infinite. */
  count: number;
}

const FLOAT_DTYPES = new Set(['float32', 'float64', 'float16']);

/**
 * The floating-point tensors of `tensors` (e.g. `model.stateDict()`) that hold NaN or ±Infinity,
 * with how many such values each has; empty when all are finite. Reads synchronously.
 *
 * @example if (nonFiniteWeights(model.stateDict()).length) console.error('diverged');
 */
export function nonFiniteWeights(tensors: Record<string, Tensor>): NonFiniteWeight[] {
  const out: NonFiniteWeight[] = [];
  for (const [name, t] of Object.entries(tensors)) {
    if (!FLOAT_DTYPES.has(t.dtype)) continue;
    const v = t.dataSync();
    let count = 0;
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) count++;
    if (count) out.push({ name, count });
  }
  return out;
}
