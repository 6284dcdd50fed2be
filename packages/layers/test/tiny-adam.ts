// Test-only: a minimal Adam (PyTorch's defaults and update rule, no weight decay) for the
// learning tests of the sequence layers, with optional global gradient-norm clipping.
import { add, div, keep, mul, noGrad, sqrt, square, sub, sum, tidy, zerosLike, type Tensor } from '@mapnn/core';

export interface TinyAdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  /** Scale all gradients down so their global L2 norm is at most this (clip_grad_norm_). */
  clipNorm?: number;
}

export class TinyAdam {
  lr: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly eps: number;
  private readonly clipNorm: number | undefined;
  private readonly m: Tensor[];
  private readonly v: Tensor[];
  private t = 0;

  constructor(
    readonly params: Tensor[],
    opts: TinyAdamOptions = {},
  ) {
    this.lr = opts.lr ?? 1e-3;
    [this.b1, this.b2] = opts.betas ?? [0.9, 0.999];
    this.eps = opts.eps ?? 1e-8;
    this.clipNorm = opts.clipNorm;
    this.m = params.map((p) => keep(zerosLike(p)));
    this.v = params.map((p) => keep(zerosLike(p)));
  }

  /** Applies one update from the parameters' `.grad`, then clears the gradients. */
  step(): void {
    this.t++;
    const { b1, b2, eps, lr } = this;
    const bc1 = 1 - b1 ** this.t;
    const bc2 = 1 - b2 ** this.t;
    noGrad(() =>
      tidy(() => {
        let scale = 1;
        if (this.clipNorm !== undefined) {
          const sq = this.params.reduce((s, p) => s + (p.grad ? sum(square(p.grad)).item() : 0), 0);
          const norm = Math.sqrt(sq);
          if (norm > this.clipNorm) scale = this.clipNorm / (norm + 1e-6);
        }
        this.params.forEach((p, i) => {
          if (!p.grad) return;
          const g = scale === 1 ? p.grad : mul(p.grad, scale);
          const m = add(mul(this.m[i]!, b1), mul(g, 1 - b1));
          const v = add(mul(this.v[i]!, b2), mul(square(g), 1 - b2));
          this.m[i]!.assign(m);
          this.v[i]!.assign(v);
          p.assign(sub(p, div(mul(m, lr / bc1), add(sqrt(div(v, bc2)), eps))));
        });
      }),
    );
    this.zeroGrad();
  }

  zeroGrad(): void {
    for (const p of this.params) {
      p.grad?.dispose();
      p.grad = null;
    }
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}
