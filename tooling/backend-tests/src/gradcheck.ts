import { add, dispose, grads, mul, sum, tensor, tidy, type DType, type Tensor } from '@mapnn/core';
import { prng } from './util.js';

export interface GradCheckOptions {
  /** Central-difference step (default 1e-6 in float64, 1e-3 otherwise). */
  eps?: number;
  /** Relative tolerance (default 1e-5 in float64, 2e-2 otherwise). */
  rtol?: number;
  /** Absolute tolerance (default 1e-6 in float64, 2e-2 otherwise). */
  atol?: number;
  /**
   * 1: compare autograd's gradient with finite differences of the function;
   * 2: compare the gradient of a random projection of the first-order autograd gradient
   * with finite differences of that projection (checks differentiating the gradient).
   */
  order?: 1 | 2;
  /** Seed of the random projections (default 1). */
  seed?: number;
}

export interface GradCheckResult {
  ok: boolean;
  maxAbsError: number;
  /** Human-readable summary of the worst mismatches ('' when ok). */
  message: string;
  /** Autograd's and the finite-difference gradient, per input, flat. */
  analytic: number[][];
  numeric: number[][];
}

type Fn = (...xs: Tensor[]) => Tensor | Tensor[];

const list = (y: Tensor | Tensor[]) => (Array.isArray(y) ? y : [y]);

function randomLike(shape: readonly number[], dtype: DType, rnd: () => number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, () => Math.round((rnd() * 2 - 1) * 1000) / 1000);
  return tensor(v, [...shape], dtype);
}

async function scalarOf(t: Tensor): Promise<number> {
  const v = (await t.data())[0]!;
  t.dispose();
  return Number(v);
}

/**
 * Checks the gradients of `fn` at `inputs` (all floating point, all differentiated) against
 * central finite differences. The function's outputs are projected to a scalar with fixed
 * random weights `r`: `L(x) = Σ sum(fn(x)ᵢ · rᵢ)`. With `order: 2`, the scalar checked is
 * `Σ sum(∂L/∂xⱼ · vⱼ)` for random `vⱼ`, so the gradient of the gradient is compared.
 * Leaves no tensors behind. Use float64 inputs for tight tolerances.
 *
 * @example
 * const res = await gradCheck((x) => tanh(x), [randn([3], { dtype: 'float64' })]);
 * expect(res.ok, res.message).toBe(true);
 */
export async function gradCheck(fn: Fn, inputs: readonly Tensor[], opts: GradCheckOptions = {}): Promise<GradCheckResult> {
  const dtype = inputs[0]?.dtype ?? 'float64';
  const f64 = dtype === 'float64';
  const eps = opts.eps ?? (f64 ? 1e-6 : 1e-3);
  const rtol = opts.rtol ?? (f64 ? 1e-5 : 2e-2);
  const atol = opts.atol ?? (f64 ? 1e-6 : 2e-2);
  const rnd = prng(opts.seed ?? 1);

  // fixed projections: r per output, v per input (order 2)
  const shapes = tidy(() => list(fn(...inputs.map((x) => x.detach()))).map((y) => ({ shape: [...y.shape], dtype: y.dtype })));
  const rs = shapes.map((s) => randomLike(s.shape, s.dtype, rnd));
  const vs = opts.order === 2 ? inputs.map((x) => randomLike(x.shape, x.dtype, rnd)) : [];
  const project = (ys: Tensor[], ws: Tensor[]) => ys.map((y, i) => sum(mul(y, ws[i]!))).reduce((a, b) => add(a, b));
  const loss = (...xs: Tensor[]) => project(list(fn(...xs)), rs);
  const scalarFn: (...xs: Tensor[]) => Tensor = opts.order === 2 ? (...xs) => project(grads(loss)(...xs), vs) : loss;

  try {
    const gts = tidy(() => grads(scalarFn)(...inputs.map((x) => x.detach())));
    // (one gradient tensor may serve two inputs, e.g. add's: read all, then free)
    const analytic: number[][] = [];
    try {
      for (const g of gts) analytic.push(Array.from(await g.data(), Number));
    } finally {
      dispose(gts);
    }
    const base = await Promise.all(inputs.map(async (x) => Array.from(await x.data(), Number)));
    const numeric: number[][] = [];
    for (let j = 0; j < inputs.length; j++) {
      const nj: number[] = [];
      for (let k = 0; k < base[j]!.length; k++) {
        const at = async (delta: number) => {
          const v = base[j]!.slice();
          v[k] += delta;
          const xs = inputs.map((x, i) => (i === j ? tensor(v, [...x.shape], x.dtype) : x.detach()));
          const y = tidy(() => scalarFn(...xs));
          xs.forEach((x) => x.dispose());
          return scalarOf(y);
        };
        const hi = await at(eps);
        const lo = await at(-eps);
        nj.push((hi - lo) / (2 * eps));
      }
      numeric.push(nj);
    }
    let maxAbsError = 0;
    const bad: string[] = [];
    analytic.forEach((a, j) =>
      a.forEach((av, k) => {
        const nv = numeric[j]![k]!;
        const err = Math.abs(av - nv);
        if (!(err <= atol + rtol * Math.max(Math.abs(av), Math.abs(nv)))) {
          maxAbsError = Math.max(maxAbsError, Number.isNaN(err) ? Infinity : err);
          if (bad.length < 6) bad.push(`input ${j}[${k}]: autograd ${av}, finite difference ${nv}`);
        } else maxAbsError = Math.max(maxAbsError, err);
      }),
    );
    const ok = bad.length === 0;
    const message = ok ? '' : `order-${opts.order ?? 1} gradient mismatch (${bad.length >= 6 ? 'many' : bad.length}): ${bad.join('; ')}`;
    return { ok, maxAbsError, message, analytic, numeric };
  } finally {
    rs.forEach((r) => r.dispose());
    vs.forEach((v) => v.dispose());
  }
}
