// A minimal Adam / SGD-momentum step for the layer tests only (the real optimizers live in
// @mapnn/optimizers). State tensors are kept out of tidy scopes and freed by dispose().
import { add, div, keep, mul, noGrad, sqrt, sub, tidy, zerosLike, type Tensor } from '@mapnn/core';

export interface TinyOptimizer {
  step(): void;
  zeroGrad(): void;
  dispose(): void;
}

function clearGrads(params: readonly Tensor[]): void {
  for (const p of params) {
    if (p.grad) {
      p.grad.dispose();
      p.grad = null;
    }
  }
}

/** Adam (Kingma & Ba), PyTorch's update with bias correction; eps added after the square root. */
export function tinyAdam(params: readonly Tensor[], lr = 1e-3, betas: [number, number] = [0.9, 0.999], eps = 1e-8): TinyOptimizer {
  const m = params.map((p) => keep(zerosLike(p)));
  const v = params.map((p) => keep(zerosLike(p)));
  let t = 0;
  const [b1, b2] = betas;
  return {
    step() {
      t++;
      const c1 = 1 - b1 ** t;
      const c2 = 1 - b2 ** t;
      noGrad(() =>
        tidy(() => {
          params.forEach((p, i) => {
            const g = p.grad;
            if (!g || !p.requiresGrad) return;
            m[i]!.assign(add(mul(m[i]!, b1), mul(g, 1 - b1)));
            v[i]!.assign(add(mul(v[i]!, b2), mul(mul(g, g), 1 - b2)));
            const denom = add(div(sqrt(v[i]!), Math.sqrt(c2)), eps);
            p.assign(sub(p, mul(div(m[i]!, denom), lr / c1)));
          });
        }),
      );
    },
    zeroGrad: () => clearGrads(params),
    dispose() {
      for (const s of [...m, ...v]) s.dispose();
    },
  };
}

/** SGD with momentum (PyTorch's: the first buffer is the raw gradient, no dampening). */
export function tinySgd(params: readonly Tensor[], lr = 0.01, momentum = 0.9): TinyOptimizer {
  const buf: (Tensor | null)[] = params.map(() => null);
  return {
    step() {
      noGrad(() =>
        tidy(() => {
          params.forEach((p, i) => {
            const g = p.grad;
            if (!g || !p.requiresGrad) return;
            let d = g;
            if (momentum) {
              const b = buf[i];
              if (b) b.assign(add(mul(b, momentum), g));
              else buf[i] = keep(add(g, 0));
              d = buf[i]!;
            }
            p.assign(sub(p, mul(d, lr)));
          });
        }),
      );
    },
    zeroGrad: () => clearGrads(params),
    dispose() {
      for (const b of buf) b?.dispose();
    },
  };
}
