/**
 * One classic Runge–Kutta step of `dy/dt = derivs(y)` from `y0` over `dt`, with the operation
 * order of Gymnasium's `rk4` for `t = [0, dt]` (so the float64 rounding matches):
 * `y0 + dt / 6 · (k1 + 2 k2 + 2 k3 + k4)`.
 *
 * @example rk4((y) => [y[0]!], [1], 0.1) // ≈ [e^0.1]
 */
export function rk4(derivs: (y: readonly number[]) => readonly number[], y0: readonly number[], dt: number): number[] {
  const dt2 = dt / 2.0;
  const k1 = derivs(y0);
  const k2 = derivs(y0.map((v, i) => v + dt2 * k1[i]!));
  const k3 = derivs(y0.map((v, i) => v + dt2 * k2[i]!));
  const k4 = derivs(y0.map((v, i) => v + dt * k3[i]!));
  return y0.map((v, i) => v + (dt / 6.0) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!));
}
