/**
 * Just enough of numpy 2's scalar promotion (NEP 50) to replay Gymnasium code that mixes Python
 * floats, `np.float64` and `np.float32` scalars with the same rounding: a Python float is "weak"
 * (it takes the other operand's type), float32 with float32 or a Python float stays float32,
 * anything with float64 is float64. Internal to the environments.
 */
export type ScalarKind = 'py' | 'f64' | 'f32';

/** A number with the numpy / Python type it has in Gymnasium's code. */
export interface Scalar {
  x: number;
  kind: ScalarKind;
}

/**
 * A Python float.
 *
 * @example arith('+', { x: Math.fround(0.1), kind: 'f32' }, py(0.2)).kind // 'f32'
 */
export const py = (x: number): Scalar => ({ x, kind: 'py' });

function resultKind(a: Scalar, b: Scalar): ScalarKind {
  if (a.kind === 'f64' || b.kind === 'f64') return 'f64';
  if (a.kind === 'f32' || b.kind === 'f32') return 'f32';
  return 'py';
}

function round(x: number, kind: ScalarKind): number {
  return kind === 'f32' ? Math.fround(x) : x;
}

/**
 * `a + b`, `a − b`, `a · b` with numpy's result type and rounding.
 *
 * @example arith('*', py(3), { x: 0.5, kind: 'f64' }) // { x: 1.5, kind: 'f64' }
 */
export function arith(op: '+' | '-' | '*', a: Scalar, b: Scalar): Scalar {
  const kind = resultKind(a, b);
  const u = round(a.x, kind);
  const v = round(b.x, kind);
  const r = op === '+' ? u + v : op === '-' ? u - v : u * v;
  return { x: round(r, kind), kind };
}

/**
 * `a > b` etc. as numpy compares (a Python float is cast to float32 against a float32).
 *
 * @example compare('>', { x: Math.fround(0.07), kind: 'f32' }, py(0.07)) // false, as numpy
 */
export function compare(op: '>' | '<' | '>=' | '==', a: Scalar, b: Scalar): boolean {
  const kind = resultKind(a, b);
  const u = round(a.x, kind);
  const v = round(b.x, kind);
  return op === '>' ? u > v : op === '<' ? u < v : op === '>=' ? u >= v : u === v;
}
