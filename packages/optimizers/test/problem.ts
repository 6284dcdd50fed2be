/* Helpers shared by the tests (not exported from the package). */
import { add, matmul, mean, mul, sub, tensor, tidy, type Tensor } from '@mapnn/core';
import fixture from '../fixtures/optimizers.json';

export interface Spec {
  shape: number[];
  data: number[];
}

/** A float64 tensor from fixture data. */
export function f64(s: Spec): Tensor {
  return tensor(s.data, s.shape, 'float64');
}

export const problem = fixture.problem;

/** The golden problem: a linear model with mean-squared error on fixed float64 data. */
export function makeProblem(): { W: Tensor; b: Tensor; X: Tensor; y: Tensor; loss: () => Tensor; dispose: () => void } {
  const X = f64(problem.X);
  const y = f64(problem.y);
  const W = f64(problem.W).requiresGrad_();
  const b = f64(problem.b).requiresGrad_();
  const loss = () => mseLoss(W, b, X, y);
  return { W, b, X, y, loss, dispose: () => [X, y, W, b].forEach((t) => t.dispose()) };
}

/** mean((X·W + b − y)²). */
export function mseLoss(W: Tensor, b: Tensor, X: Tensor, y: Tensor): Tensor {
  const r = sub(add(matmul(X, W), b), y);
  return mean(mul(r, r));
}

/** One training step's backward pass: fresh gradients of the loss, temporaries freed. */
export function backward(loss: () => Tensor): void {
  tidy(() => loss().backward());
}

/**
 * Differences of `actual` from `expected` beyond `rtol·|expected| + atol`, as messages
 * (empty when all match).
 */
export function mismatches(actual: ArrayLike<number>, expected: readonly number[], label: string, rtol = 1e-6, atol = 1e-12): string[] {
  const out: string[] = [];
  if (actual.length !== expected.length) return [`${label}: length ${actual.length}, expected ${expected.length}`];
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= rtol * Math.abs(e) + atol)) out.push(`${label}[${i}]: got ${a}, expected ${e}`);
  }
  return out;
}
