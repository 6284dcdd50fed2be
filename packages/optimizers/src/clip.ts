import { cast, clip, isTensor, max, mul, noGrad, norm, stack, tidy, type DType, type Tensor } from '@mapnn/core';

export interface ClipGradNormOptions {
  /** Throw if the total norm is NaN or infinite (default false). */
  errorIfNonfinite?: boolean;
}

function gradsOf(params: Tensor | Iterable<Tensor>): Tensor[] {
  const list = isTensor(params) ? [params] : [...params];
  return list.flatMap((p) => (p.grad ? [p.grad] : []));
}

/**
 * Clips the gradients of `params` in place (via `assign`) so that their total norm — the
 * `normType`-norm of the per-tensor norms, as if all gradients were one vector — is at most
 * `maxNorm`, as PyTorch's `clip_grad_norm_`: when `maxNorm / (total + 1e-6) < 1` every
 * gradient is multiplied by that factor. Returns the total norm before clipping (0 when no
 * parameter has a gradient). `normType` is 2 (default), 1, `Infinity` or any p > 0.
 *
 * The norm is read back once (synchronously), so this needs a backend with `dataSync`.
 *
 * @example
 * loss.backward();
 * const norm = clipGradNorm(model.parameters(), 1.0);
 * opt.step();
 */
export function clipGradNorm(
  params: Tensor | Iterable<Tensor>,
  maxNorm: number,
  normType = 2,
  options: ClipGradNormOptions = {},
): number {
  const grads = gradsOf(params);
  if (grads.length === 0) return 0;
  const total = tidy(() =>
    noGrad(() => {
      const dtype: DType = grads.some((g) => g.dtype === 'float64') ? 'float64' : 'float32';
      const norms = grads.map((g) => {
        const n = norm(g, normType);
        return n.dtype === dtype ? n : cast(n, dtype);
      });
      const all = stack(norms);
      return (normType === Infinity ? max(all) : norm(all, normType)).item();
    }),
  );
  if (options.errorIfNonfinite && !Number.isFinite(total)) {
    throw new Error(
      `clipGradNorm: the total norm of order ${normType} of the gradients is ${total}; ` +
        `set errorIfNonfinite: false to clip anyway`,
    );
  }
  const coef = maxNorm / (total + 1e-6);
  if (coef < 1) {
    for (const g of grads) tidy(() => noGrad(() => g.assign(mul(g, coef))));
  }
  return total;
}

/**
 * Clamps every gradient element of `params` to `[-clipValue, clipValue]` in place (via
 * `assign`), as PyTorch's `clip_grad_value_`.
 *
 * @example clipGradValue(model.parameters(), 0.5);
 */
export function clipGradValue(params: Tensor | Iterable<Tensor>, clipValue: number): void {
  if (!(clipValue >= 0)) throw new Error(`clipGradValue: clipValue must be >= 0, got ${clipValue}`);
  for (const g of gradsOf(params)) tidy(() => noGrad(() => g.assign(clip(g, -clipValue, clipValue))));
}
