import { isFloat, promoteTypes, toFloatDType, type DType } from '../dtypes.js';
import { opScope } from '../memory/scope.js';
import { broadcastShapes, shapesEqual, type Shape } from '../shape.js';
import { isTensor, type Tensor } from '../tensor.js';
import { withGrad } from '../autograd/node.js';
import { runKernel } from './kernel.js';
import { tensor, type TensorLike } from './tensor-factory.js';

/**
 * Wraps an op body so that its temporaries are owned by (or freed with) its output; see
 * `opScope`. Every public op is defined through it.
 */
export function defineOp<A extends unknown[]>(body: (...args: A) => Tensor): (...args: A) => Tensor {
  return (...args: A) => opScope(() => body(...args));
}

/** The dtype a plain number takes when combined with a tensor of `other` (PyTorch's rule). */
function scalarDType(v: number | boolean, other: DType | undefined): DType {
  if (typeof v === 'boolean') return other ?? 'bool';
  if (!other) return 'float32';
  if (isFloat(other)) return other;
  if (Number.isInteger(v)) return other === 'bool' ? 'int32' : other;
  return 'float32';
}

/** Converts both operands of a binary op to tensors of one dtype (promoted as PyTorch does). */
export function binaryOperands(a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const ta = isTensor(a) ? a : null;
  const tb = isTensor(b) ? b : null;
  const A = ta ?? (typeof a === 'number' || typeof a === 'boolean' ? tensor(a, [], scalarDType(a, tb?.dtype)) : tensor(a));
  const B = tb ?? (typeof b === 'number' || typeof b === 'boolean' ? tensor(b, [], scalarDType(b, A.dtype)) : tensor(b));
  const dt = promoteTypes(A.dtype, B.dtype);
  return [castTo(A, dt), castTo(B, dt)];
}

/**
 * `x` in dtype `dt`, or `x` itself. Differentiable between float dtypes; a cast to or from an
 * integer or bool dtype carries no gradient (PyTorch: integer tensors never require grad).
 */
export function castTo(x: Tensor, dt: DType): Tensor {
  if (x.dtype === dt) return x;
  const out = runKernel('cast', [x], { dtype: dt });
  if (!isFloat(x.dtype) || !isFloat(dt)) return out;
  return withGrad('cast', [x], out, (dy) => [castTo(dy, x.dtype)]);
}

/** `x` as a float tensor (int/bool promote to float32), for float-only ops. */
export function asFloat(x: TensorLike): Tensor {
  const t = isTensor(x) ? x : tensor(x);
  return castTo(t, toFloatDType(t.dtype));
}

/** Output shape of a broadcasting elementwise op. */
export function broadcastOf(op: string, ...xs: Tensor[]): number[] {
  return broadcastShapes(op, ...xs.map((x) => x.shape));
}

export function sameShape(a: Shape, b: Shape): boolean {
  return shapesEqual(a, b);
}
