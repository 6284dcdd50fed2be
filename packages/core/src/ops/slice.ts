import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { fmtShape, normAxis, sizeOf, stridesOf, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { zeros } from './creation.js';
import { runKernel } from './kernel.js';
import { asList, indexTensor } from './movement-utils.js';
import { padDims } from './pad.js';
import { reshape } from './reshape.js';
import { scatterAdd } from './scatter-add.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/** Attrs of the `slice` kernel: per dim, first index, length and step. */
export interface SliceSpec {
  begin: number[];
  size: number[];
  step: number[];
}

/**
 * Resolves ONNX Slice arguments against `shape`: negative starts/ends count from the end, both
 * are clamped to the dim (`[0, d]` for positive steps, `[-1, d-1]` for negative ones), and a
 * missing end runs to the end of the dim in the step's direction.
 */
export function sliceSpec(
  shape: Shape,
  starts: number | readonly number[],
  ends?: number | readonly number[],
  axes?: number | readonly number[],
  steps?: number | readonly number[],
  op = 'slice',
): SliceSpec {
  const st = asList(starts);
  const en = ends === undefined ? undefined : asList(ends);
  const ax = axes === undefined ? st.map((_, i) => i) : asList(axes).map((a) => normAxis(a, shape.length, op));
  const sp = steps === undefined ? undefined : asList(steps);
  const lens = [st.length, en?.length ?? st.length, ax.length, sp?.length ?? st.length];
  if (lens.some((n) => n !== st.length)) {
    throw new Error(
      `${op}: starts [${st}], ends [${en ?? ''}], axes [${ax}] and steps [${sp ?? ''}] must have equal lengths`,
    );
  }
  if (st.length > shape.length) {
    throw new Error(`${op}: ${st.length} starts given for a tensor of shape ${fmtShape(shape)}`);
  }
  if (new Set(ax).size !== ax.length) throw new Error(`${op}: axes [${ax}] repeat a dim`);
  const spec: SliceSpec = { begin: shape.map(() => 0), size: [...shape], step: shape.map(() => 1) };
  ax.forEach((a, i) => {
    const d = shape[a]!;
    const s = sp?.[i] ?? 1;
    if (!Number.isInteger(s) || s === 0) throw new Error(`${op}: step ${s} of axis ${a} must be a non-zero integer`);
    let b = st[i]!;
    let e = en?.[i] ?? (s > 0 ? Infinity : -Infinity);
    if (Number.isNaN(b) || Number.isNaN(e) || (Number.isFinite(b) && !Number.isInteger(b)) || (Number.isFinite(e) && !Number.isInteger(e))) {
      throw new Error(`${op}: start ${b} and end ${e} of axis ${a} must be integers`);
    }
    if (b < 0) b += d;
    if (e < 0) e += d;
    let size: number;
    if (s > 0) {
      b = Math.min(Math.max(b, 0), d);
      e = Math.min(Math.max(e, 0), d);
      size = Math.max(0, Math.ceil((e - b) / s));
    } else {
      b = Math.min(Math.max(b, 0), d - 1);
      e = Math.min(Math.max(e, -1), d - 1);
      size = d === 0 ? 0 : Math.max(0, Math.ceil((b - e) / -s));
    }
    spec.begin[a] = size === 0 ? 0 : b;
    spec.size[a] = size;
    spec.step[a] = s;
  });
  return spec;
}

/** Flat input offsets read by a slice, in output order. */
function sliceOffsets(shape: Shape, spec: SliceSpec): number[] {
  const str = stridesOf(shape);
  let offs = [0];
  for (let d = 0; d < shape.length; d++) {
    const next = new Array<number>(offs.length * spec.size[d]!);
    let k = 0;
    for (const o of offs) {
      for (let i = 0; i < spec.size[d]!; i++) next[k++] = o + (spec.begin[d]! + i * spec.step[d]!) * str[d]!;
    }
    offs = next;
  }
  return offs;
}

/**
 * Slices `x` with ONNX Slice semantics: for each of `axes` (default `0..starts.length-1`) take
 * `starts[i]` up to (not including) `ends[i]` every `steps[i]`. Negative starts/ends count from
 * the end; out-of-range values are clamped; negative steps walk backwards (a missing end then
 * runs to the start). Copies.
 * Gradient: `dy` zero-padded back into place for unit steps; otherwise scattered (scatterAdd)
 * into zeros of the input's shape.
 *
 * @example slice(tensor([0, 1, 2, 3, 4]), [1], [4])                     // [1, 2, 3]
 * @example slice(tensor([0, 1, 2, 3, 4]), [-1], undefined, [0], [-2])   // [4, 2, 0]
 * @example slice(x, [0, 1], [99, -1], [0, 1])                           // x[:, 1:-1]
 */
export function slice(
  x: TensorLike,
  starts: number | readonly number[],
  ends?: number | readonly number[],
  axes?: number | readonly number[],
  steps?: number | readonly number[],
): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    const spec = sliceSpec(t.shape, starts, ends, axes, steps);
    return sliceBySpec(t, spec);
  });
}

/** @internal Runs the `slice` kernel with resolved attrs, recording slice's gradient. */
export function sliceBySpec(t: Tensor, spec: SliceSpec): Tensor {
  return opScope(() => {
    const out = runKernel('slice', [t], { begin: spec.begin, size: spec.size, step: spec.step });
    return withGrad('slice', [t], out, (dy) => [sliceGrad(dy, t.shape, spec)]);
  });
}

function sliceGrad(dy: Tensor, shape: Shape, spec: SliceSpec): Tensor {
  if (spec.step.every((s) => s === 1)) {
    const pads: number[] = [];
    shape.forEach((d, i) => pads.push(spec.begin[i]!, d - spec.begin[i]! - spec.size[i]!));
    return padDims(dy, pads, 'constant', 0);
  }
  return opScope(() => {
    const n = sizeOf(shape);
    const idx = indexTensor(sliceOffsets(shape, spec), [dy.size], n, 'slice');
    const flat = scatterAdd(zeros([n], dy.dtype), 0, idx, reshape(dy, [dy.size]));
    return reshape(flat, shape);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  slice(this: Tensor, starts: number | readonly number[], ends?: number | readonly number[], axes?: number | readonly number[], steps?: number | readonly number[]): Tensor { return slice(this, starts, ends, axes, steps); },
};
