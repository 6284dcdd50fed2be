// Test-only: a minimal Adam for the learning tests of the layers (the real optimizers live in
// @mapnn/optimizers, which layers may not import). The update is core's `adamStep`, the one
// owner of the Adam rule; this adds only the state, optional global gradient-norm clipping and
// `zeroGrad`. State tensors are kept out of tidy scopes and freed by dispose().
import { adamStep, keep, mul, noGrad, square, sum, tidy, zerosLike, type Tensor } from '@mapnn/core';

export interface TinyAdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  /** Scale all gradients down so their global L2 norm is at most this (clip_grad_norm_). */
  clipNorm?: number;
}

export class TinyAdam {
  lr: number;
  private readonly betas: [number, number];
  private readonly eps: number;
  private readonly clipNorm: number | undefined;
  private readonly m: Tensor[];
  private readonly v: Tensor[];
  private t = 0;

  constructor(
    readonly params: readonly Tensor[],
    opts: TinyAdamOptions = {},
  ) {
    this.lr = opts.lr ?? 1e-3;
    this.betas = opts.betas ?? [0.9, 0.999];
    this.eps = opts.eps ?? 1e-8;
    this.clipNorm = opts.clipNorm;
    this.m = params.map((p) => keep(zerosLike(p)));
    this.v = params.map((p) => keep(zerosLike(p)));
  }

  /** Applies one update from the parameters' `.grad` (PyTorch's Adam), then clears the gradients. */
  step(): void {
    this.t++;
    const [beta1, beta2] = this.betas;
    const options = { lr: this.lr, beta1, beta2, eps: this.eps, step: this.t };
    noGrad(() =>
      tidy(() => {
        const scale = this.clipScale();
        this.params.forEach((p, i) => {
          if (!p.grad || !p.requiresGrad) return;
          const g = scale === 1 ? p.grad : mul(p.grad, scale);
          const next = adamStep(p, g, this.m[i]!, this.v[i]!, options);
          this.m[i]!.assign(next.expAvg);
          this.v[i]!.assign(next.expAvgSq);
          p.assign(next.param);
        });
      }),
    );
    this.zeroGrad();
  }

  /** The factor that brings the global gradient norm down to `clipNorm` (1 without clipping). */
  private clipScale(): number {
    if (this.clipNorm === undefined) return 1;
    const sq = this.params.reduce((s, p) => s + (p.grad ? sum(square(p.grad)).item() : 0), 0);
    const norm = Math.sqrt(sq);
    return norm > this.clipNorm ? this.clipNorm / (norm + 1e-6) : 1;
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
