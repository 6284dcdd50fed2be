import { describe, expect, it } from 'vitest';
import { gradients, grad, matmul, tanh, tensor, tidy, type Tensor } from '../index.js';

const values = (t: Tensor) => Array.from(t.dataSync());

describe('higher-order gradients', () => {
  it('d²/dx² of x³ is 6x', () => {
    const xs = [-2, -0.5, 0, 1.5, 3];
    const d2 = grad((x) => grad((y) => y.mul(y).mul(y).sum())(x).sum())(tensor(xs, [5], 'float64'));
    values(d2).forEach((v, i) => expect(v).toBeCloseTo(6 * xs[i]!, 10));
  });

  it('d²/dx² of tanh is -2·tanh·(1 - tanh²)', () => {
    const xs = [-1.3, -0.2, 0, 0.7, 2.1];
    const d2 = grad((x) => grad((y) => tanh(y).sum())(x).sum())(tensor(xs, [5], 'float64'));
    values(d2).forEach((v, i) => {
      const t = Math.tanh(xs[i]!);
      expect(v).toBeCloseTo(-2 * t * (1 - t * t), 10);
    });
  });

  it('third derivative of x³ is 6 (grad of grad of grad)', () => {
    const g3 = grad((a) => grad((b) => grad((c) => c.mul(c).mul(c).sum())(b).sum())(a).sum())(tensor([0.3, -4], [2], 'float64'));
    expect(values(g3)).toEqual([6, 6]);
  });

  it('a MAML-style inner step gives the analytic meta-gradient', () => {
    // Model y = x·w (w is [d,1]); loss L(w; X, Y) = sum((Xw - Y)²).
    // Inner step: w' = w - α ∇L(w; Xs, Ys) (kept in the graph); outer loss L(w'; Xq, Yq).
    // Analytic: ∇L(w) = 2Xᵀ(Xw - Y); dw'/dw = I - 2α XsᵀXs;
    // meta-gradient = (I - 2α XsᵀXs) · 2Xqᵀ(Xq w' - Yq).
    const alpha = 0.05;
    const Xs = [[1, 2], [0.5, -1], [2, 0]];
    const Ys = [[1], [0], [2]];
    const Xq = [[0, 1], [1, 1]];
    const Yq = [[1], [3]];
    const w0 = [[0.3], [-0.2]];
    const meta = tidy(() => {
      const w = tensor(w0, undefined, 'float64').requiresGrad_();
      const loss = (p: Tensor, X: number[][], Y: number[][]) => {
        const r = matmul(tensor(X, undefined, 'float64'), p).sub(tensor(Y, undefined, 'float64'));
        return r.mul(r).sum();
      };
      const [gw] = gradients(loss(w, Xs, Ys), [w], { createGraph: true });
      const wPrime = w.sub(gw!.mul(alpha));
      const [mg] = gradients(loss(wPrime, Xq, Yq), [w]);
      return values(mg!);
    });
    // analytic in plain JS
    const mm = (A: number[][], B: number[][]) => A.map((r) => B[0]!.map((_, j) => r.reduce((s, v, k) => s + v * B[k]![j]!, 0)));
    const tr = (A: number[][]) => A[0]!.map((_, j) => A.map((r) => r[j]!));
    const sub = (A: number[][], B: number[][]) => A.map((r, i) => r.map((v, j) => v - B[i]![j]!));
    const scale = (A: number[][], s: number) => A.map((r) => r.map((v) => v * s));
    const gradL = (w: number[][], X: number[][], Y: number[][]) => scale(mm(tr(X), sub(mm(X, w), Y)), 2);
    const wp = sub(w0, scale(gradL(w0, Xs, Ys), alpha));
    const J = sub([[1, 0], [0, 1]], scale(mm(tr(Xs), Xs), 2 * alpha));
    const expected = mm(tr(J), gradL(wp, Xq, Yq)).map((r) => r[0]!);
    meta.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 10));
    // and differs from the first-order approximation (the second-order term matters)
    const firstOrder = gradL(wp, Xq, Yq).map((r) => r[0]!);
    expect(Math.abs(meta[0]! - firstOrder[0]!)).toBeGreaterThan(1e-3);
  });
});
