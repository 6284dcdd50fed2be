import type { Tensor } from '@mapnn/core';

/** A tensor stored in a fixture: flat row-major values. */
export interface TensorSpec {
  shape: number[];
  dtype: 'float32' | 'int64' | 'int32' | 'bool';
  data: number[];
}

/** One golden case written by scripts/gen_golden.py. */
export interface GoldenCase {
  name: string;
  /** Key into the case table (src/cases/*.ts) — usually the mapnn op name. */
  op: string;
  /** Attributes in mapnn's vocabulary (the table translates what differs). */
  attrs: Attrs;
  inputs: TensorSpec[];
  output: TensorSpec | TensorSpec[];
  /** Fixed random weights: the loss is sum(op(x) · r). */
  r?: TensorSpec | TensorSpec[];
  /** PyTorch's gradient of the loss per input (null: not differentiated). */
  grads?: (TensorSpec | null)[];
  /** false: skip the float64 finite-difference check (inputs deliberately on a kink). */
  fd?: boolean;
}

export interface GoldenFile {
  torch: string;
  family: string;
  cases: GoldenCase[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Attrs = Record<string, any>;

/** How one fixture `op` is computed with mapnn. */
export interface OpMapping {
  /** The public mapnn ops this entry exercises (default: the key). */
  ops?: string[];
  run: (inputs: Tensor[], attrs: Attrs) => Tensor | Tensor[];
}

export type CaseTable = Record<string, OpMapping>;

/** Options of `runConformance`. */
export interface ConformanceOptions {
  /** Name of the registered backend to test. */
  backend: string;
  /**
   * Tolerance of the golden comparisons in float32: a number `t` means relative `t` plus
   * absolute `t` (default 1e-5; WebGPU may use 1e-4).
   */
  tolerance?: number | { rtol: number; atol: number };
  /**
   * Tests to skip (reported as skipped): a string matches a golden case name, an op name or
   * a suite name ('golden', 'gradcheck', 'gradcheck2', 'references', 'edge', 'dtype', 'memory', 'kernels');
   * a RegExp is tested against case names and op names.
   */
  exclude?: (string | RegExp)[];
  /**
   * Whether the backend computes in float64 (default true). Without it the finite-difference
   * checks run in float32 with loose tolerances.
   */
  float64?: boolean;
  /**
   * false: run every case with all optional kernels (fast paths) switched off, so each op is
   * checked on the backend's primitive kernels through core's compositions; the suites that
   * compare a fast path with its composition are skipped, with the reason in their name
   * (default true).
   */
  fastPaths?: boolean;
}

export interface ResolvedOptions {
  backend: string;
  rtol: number;
  atol: number;
  float64: boolean;
  fastPaths: boolean;
  isExcluded: (...names: string[]) => boolean;
}

export function resolveOptions(o: ConformanceOptions): ResolvedOptions {
  const tol = o.tolerance ?? 1e-5;
  const { rtol, atol } = typeof tol === 'number' ? { rtol: tol, atol: tol } : tol;
  const ex = o.exclude ?? [];
  return {
    backend: o.backend,
    rtol,
    atol,
    float64: o.float64 ?? true,
    fastPaths: o.fastPaths ?? true,
    isExcluded: (...names) => ex.some((e) => names.some((n) => (typeof e === 'string' ? e === n : e.test(n)))),
  };
}
