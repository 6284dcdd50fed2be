import { noGrad } from '../autograd/node.js';
import { tidy } from '../memory/scope.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add } from './add.js';
import { div } from './div.js';
import { hasKernel, runKernelMulti } from './kernel.js';
import { maximum } from './maximum.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { sqrt } from './sqrt.js';
import { sub } from './sub.js';

/** Hyper-parameters of one `adamStep` (PyTorch 1.13's single-tensor Adam / AdamW / AMSGrad). */
export interface AdamStepOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** 1-based step count (for the bias corrections). */
  step: number;
  /** L2 penalty added to the gradient, or with `decoupled` the AdamW decay (default 0). */
  weightDecay?: number;
  /** AdamW: decay the weights by `1 − lr·weightDecay` instead of adding to the gradient. */
  decoupled?: boolean;
  /** Negate the gradient (maximize the objective). */
  maximize?: boolean;
  /**
   * AMSGrad: the running maximum of past second moments, which takes `v`'s place in the
   * denominator; the result's `maxExpAvgSq` is its update (composed; no kernel has AMSGrad).
   */
  maxExpAvgSq?: Tensor;
}

/**
 * One Adam update of a parameter, as PyTorch's `torch.optim.Adam` (1.13) computes it:
 *
 * ```
 * g ← ±grad (+ weightDecay·θ unless decoupled);   θ ← θ·(1 − lr·weightDecay) if decoupled
 * m ← β₁m + (1 − β₁)g;   v ← β₂v + (1 − β₂)g²
 * θ ← θ − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + eps)      (AMSGrad: v̂ ← max(v̂, v) in v's place)
 * ```
 *
 * This op is the one owner of the Adam rule: `@mapnn/optimizers` (Adam, AdamW, AMSGrad) call
 * it, the backends' `adamStep` kernels implement it (the conformance suite compares each with
 * this composition, and the composition with the scalar `referenceAdamStep` of
 * tooling/backend-tests).
 *
 * Returns new tensors for θ, m and v (the inputs are not changed; optimizers `assign` them).
 * Backends with an `adamStep` kernel (a fused fast path with three outputs) do it in one pass
 * over memory; elsewhere it is composed from elementwise ops in the same order, so both give
 * the same float32 results. Not differentiable (an optimizer step runs under `noGrad`).
 *
 * @example
 * const { param, expAvg, expAvgSq } = adamStep(w, w.grad!, m, v, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 1 });
 */
export function adamStep(
  param: Tensor,
  grad: Tensor,
  expAvg: Tensor,
  expAvgSq: Tensor,
  o: AdamStepOptions,
): { param: Tensor; expAvg: Tensor; expAvgSq: Tensor; maxExpAvgSq?: Tensor } {
  const operands = [param, grad, expAvg, expAvgSq, ...(o.maxExpAvgSq ? [o.maxExpAvgSq] : [])];
  if (operands.some((t) => t.dtype !== param.dtype || t.shape.length !== param.shape.length || t.shape.some((d, i) => d !== param.shape[i]))) {
    throw new Error(
      `adamStep: param, grad, expAvg, expAvgSq (and maxExpAvgSq) must have one shape and dtype, got ${operands.map((t) => `${fmtShape(t.shape)} ${t.dtype}`).join(', ')}`,
    );
  }
  if (!(Number.isInteger(o.step) && o.step >= 1)) throw new Error(`adamStep: step must be an integer ≥ 1, got ${o.step}`);
  const weightDecay = o.weightDecay ?? 0;
  const decoupled = o.decoupled ?? false;
  const maximize = o.maximize ?? false;
  const biasCorrection1 = 1 - o.beta1 ** o.step;
  const biasCorrection2 = 1 - o.beta2 ** o.step;
  const stepSize = o.lr / biasCorrection1;
  const bc2Sqrt = Math.sqrt(biasCorrection2);
  return tidy('adamStep', () =>
    noGrad(() => {
      if (!o.maxExpAvgSq && param.dtype !== 'float16' && hasKernel('adamStep', param.dtype)) {
        const [p, m, v] = runKernelMulti('adamStep', operands, {
          beta1: o.beta1,
          beta2: o.beta2,
          eps: o.eps,
          stepSize,
          bc2Sqrt,
          weightDecay,
          decoupledScale: decoupled ? 1 - o.lr * weightDecay : 1,
          decoupled,
          maximize,
        });
        return { param: p!, expAvg: m!, expAvgSq: v! };
      }
      let g = maximize ? neg(grad) : grad;
      let p = param;
      if (decoupled) {
        if (weightDecay !== 0) p = mul(p, 1 - o.lr * weightDecay);
      } else if (weightDecay !== 0) {
        g = add(g, mul(param, weightDecay));
      }
      const m = add(mul(expAvg, o.beta1), mul(g, 1 - o.beta1));
      const v = add(mul(expAvgSq, o.beta2), mul(mul(g, g), 1 - o.beta2));
      const maxV = o.maxExpAvgSq ? maximum(o.maxExpAvgSq, v) : undefined;
      const denom = add(div(sqrt(maxV ?? v), bc2Sqrt), o.eps);
      const next = sub(p, mul(div(m, denom), stepSize));
      return maxV ? { param: next, expAvg: m, expAvgSq: v, maxExpAvgSq: maxV } : { param: next, expAvg: m, expAvgSq: v };
    }),
  );
}
