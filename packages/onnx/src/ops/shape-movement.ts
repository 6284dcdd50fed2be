// Shape and movement: Reshape Transpose Concat Split Slice Flatten Squeeze Unsqueeze Expand Tile
// Trilu here; the gathers and scatters (with Compress and ReverseSequence) in gather-scatter.ts,
// Pad in pad.ts, DepthToSpace and SpaceToDepth in space-depth.ts. One converter function per op.
import { broadcastTo, concat, reshape, slice, tile, transpose, tril, triu, type Tensor } from '@mapnn/core';
import { registerBuiltinOp, type ConvertContext, type OnnxKernel, type OnnxNode } from '../converter.js';
import {
  convertCompress, convertGather, convertGatherElements, convertGatherND, convertReverseSequence, convertScatterElements, convertScatterND,
} from './gather-scatter.js';
import { convertPad } from './pad.js';
import { convertDepthToSpace, convertSpaceToDepth } from './space-depth.js';
import { broadcastShape, checkElements, fail, need, normAxis, passThrough, readInts, sizeOf } from './util.js';

export { onnxPad } from './pad.js';

export function onnxReshape(node: OnnxNode, x: Tensor, shape: readonly number[], allowZero: boolean): Tensor {
  const out = shape.map((d, i) => (d === 0 && !allowZero ? (x.shape[i] ?? fail(node, `shape dim ${i} is 0 but the input has rank ${x.rank}`)) : d));
  if (out.filter((d) => d === -1).length > 1) fail(node, `shape [${shape.join(',')}] has more than one -1`);
  if (out.some((d) => d < -1 || !Number.isInteger(d))) fail(node, `invalid target shape [${shape.join(',')}]`);
  return reshape(x, out);
}

export function unsqueezeAxes(node: OnnxNode, x: Tensor, axes: readonly number[]): Tensor {
  const rank = x.rank + axes.length;
  const norm = axes.map((a) => normAxis(node, a, rank)).sort((a, b) => a - b);
  if (new Set(norm).size !== norm.length) fail(node, `repeated axes [${axes.join(',')}]`);
  const shape: number[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) shape.push(norm.includes(i) ? 1 : x.shape[k++]!);
  return reshape(x, shape);
}

export function onnxSqueeze(node: OnnxNode, x: Tensor, axes: readonly number[] | undefined): Tensor {
  if (!axes || axes.length === 0) return reshape(x, x.shape.filter((d) => d !== 1));
  const norm = axes.map((a) => normAxis(node, a, x.rank));
  for (const a of norm) if (x.shape[a] !== 1) fail(node, `cannot squeeze axis ${a} of size ${x.shape[a]}`);
  return reshape(x, x.shape.filter((_, i) => !norm.includes(i)));
}

/** Reshape: the target shape from the `shape` input (opset ≥ 5) or attribute; 0 copies a dim unless allowzero. */
export function convertReshape(node: OnnxNode, ctx: ConvertContext): OnnxKernel {
  const allowZero = node.attrs.int('allowzero', 0) === 1;
  if (node.opset < 5) {
    const shape = node.attrs.ints('shape') ?? ctx.fail("missing attribute 'shape'");
    return (ins) => onnxReshape(node, need(ins, 0, node), shape, allowZero);
  }
  return (ins) => onnxReshape(node, need(ins, 0, node), readInts(need(ins, 1, node)), allowZero);
}

/** Transpose by `perm` (default: the dims reversed). */
export function convertTranspose(node: OnnxNode): OnnxKernel {
  const perm = node.attrs.ints('perm');
  return (ins) => {
    const x = need(ins, 0, node);
    const p = perm ?? [...Array(x.rank).keys()].reverse();
    if (p.length !== x.rank) fail(node, `perm [${p.join(',')}] does not match rank ${x.rank}`);
    return transpose(x, p);
  };
}

/** Concat on `axis`; empty inputs are skipped. */
export function convertConcat(node: OnnxNode): OnnxKernel {
  const axis = node.attrs.int('axis', node.opset < 4 ? 1 : NaN);
  if (Number.isNaN(axis)) throw new Error("missing attribute 'axis'");
  return (ins) => {
    const xs = ins.filter((t): t is Tensor => !!t);
    if (!xs.length) fail(node, 'needs at least one input');
    const ax = normAxis(node, axis, xs[0]!.rank);
    const parts = xs.filter((t) => t.size > 0 || xs.every((u) => u.size === 0));
    if (parts.length === 1) return passThrough(parts[0]!);
    return concat(parts.length ? parts : xs, ax);
  };
}

/** Split on `axis` by the `split` sizes (input from opset 13, else attribute) or into equal parts. */
export function convertSplit(node: OnnxNode): OnnxKernel {
  const axis = node.attrs.int('axis', 0);
  const splitAttr = node.attrs.ints('split');
  const numOutputs = node.attrs.int('num_outputs');
  return (ins) => {
    const x = need(ins, 0, node);
    if (x.rank === 0) fail(node, 'cannot split a scalar');
    const ax = normAxis(node, axis, x.rank);
    const n = x.shape[ax]!;
    let sizes = node.opset >= 13 ? (ins[1] ? readInts(ins[1]) : undefined) : splitAttr;
    if (!sizes || sizes.length === 0) {
      const parts = numOutputs ?? node.outputs.length;
      const chunk = Math.ceil(n / parts);
      if (numOutputs === undefined && n % parts !== 0) fail(node, `dim ${n} does not split into ${parts} equal parts`);
      sizes = Array.from({ length: parts }, (_, i) => Math.max(0, Math.min(chunk, n - i * chunk)));
    }
    if (sizes.reduce((a, b) => a + b, 0) !== n) fail(node, `split sizes [${sizes.join(',')}] do not add up to ${n}`);
    let start = 0;
    return sizes.map((s) => {
      const part = slice(x, [start], [start + s], [ax]);
      start += s;
      return part;
    });
  };
}

/** Slice by starts / ends / axes / steps (inputs from opset 10, attributes before). */
export function convertSlice(node: OnnxNode): OnnxKernel {
  if (node.opset < 10) {
    const starts = node.attrs.ints('starts') ?? [];
    const ends = node.attrs.ints('ends') ?? [];
    const axes = node.attrs.ints('axes');
    return (ins) => slice(need(ins, 0, node), starts, ends, axes);
  }
  return (ins) => {
    const x = need(ins, 0, node);
    const starts = readInts(need(ins, 1, node));
    const ends = readInts(need(ins, 2, node));
    const axes = ins[3] ? readInts(ins[3]) : undefined;
    const steps = ins[4] ? readInts(ins[4]) : undefined;
    if (steps?.some((s) => s === 0)) fail(node, 'steps must not be 0');
    if (starts.length === 0) return passThrough(x);
    return slice(x, starts, ends, axes, steps);
  };
}

/** Flatten to 2-D: the dims before `axis` and those from it. */
export function convertFlatten(node: OnnxNode): OnnxKernel {
  const axis = node.attrs.int('axis', 1);
  return (ins) => {
    const x = need(ins, 0, node);
    const a = axis < 0 ? axis + x.rank : axis;
    if (a < 0 || a > x.rank) fail(node, `axis ${axis} is out of range for rank ${x.rank}`);
    return reshape(x, [sizeOf(x.shape.slice(0, a)), sizeOf(x.shape.slice(a))]);
  };
}

/** Squeeze the size-1 `axes` (input from opset 13, else attribute; none given: every size-1 dim). */
export function convertSqueeze(node: OnnxNode): OnnxKernel {
  const attr = node.attrs.ints('axes');
  return (ins) => onnxSqueeze(node, need(ins, 0, node), node.opset >= 13 ? (ins[1] ? readInts(ins[1]) : undefined) : attr);
}

/** Unsqueeze: inserts size-1 dims at `axes` (input from opset 13, else attribute). */
export function convertUnsqueeze(node: OnnxNode, ctx: ConvertContext): OnnxKernel {
  const attr = node.attrs.ints('axes');
  if (node.opset < 13 && !attr) ctx.fail("missing attribute 'axes'");
  return (ins) => unsqueezeAxes(node, need(ins, 0, node), node.opset >= 13 ? readInts(need(ins, 1, node)) : attr!);
}

/** Expand: broadcasts to a shape (the two shapes broadcast against each other). */
export function convertExpand(node: OnnxNode): OnnxKernel {
  return (ins) => {
    const x = need(ins, 0, node);
    const shape = readInts(need(ins, 1, node));
    const out = broadcastShape(x.shape, shape);
    if (!out) fail(node, `cannot expand [${x.shape.join(',')}] to [${shape.join(',')}]`);
    checkElements(node, out);
    return broadcastTo(x, out);
  };
}

/** Tile: repeats each dim `repeats[i]` times. */
export function convertTile(node: OnnxNode): OnnxKernel {
  return (ins) => {
    const x = need(ins, 0, node);
    const reps = readInts(need(ins, 1, node));
    if (reps.length !== x.rank) fail(node, `repeats has ${reps.length} values for rank ${x.rank}`);
    checkElements(node, x.shape.map((d, i) => d * reps[i]!));
    return tile(x, reps);
  };
}

/** Trilu: the upper (or lower) triangle from diagonal k of the last two dims. */
export function convertTrilu(node: OnnxNode): OnnxKernel {
  const upper = node.attrs.int('upper', 1) === 1;
  return (ins) => {
    const x = need(ins, 0, node);
    const k = ins[1] ? readInts(ins[1])[0]! : 0;
    if (x.size === 0) return passThrough(x);
    return upper ? triu(x, k) : tril(x, k);
  };
}

export function registerShapeMovementOps(): void {
  registerBuiltinOp('Reshape', convertReshape);
  registerBuiltinOp('Transpose', convertTranspose);
  registerBuiltinOp('Concat', convertConcat);
  registerBuiltinOp('Split', convertSplit);
  registerBuiltinOp('Slice', convertSlice);
  registerBuiltinOp('Gather', convertGather);
  registerBuiltinOp('GatherElements', convertGatherElements);
  registerBuiltinOp('GatherND', convertGatherND);
  registerBuiltinOp('ScatterElements', convertScatterElements);
  registerBuiltinOp('Scatter', convertScatterElements);
  registerBuiltinOp('ScatterND', convertScatterND);
  registerBuiltinOp('Flatten', convertFlatten);
  registerBuiltinOp('Squeeze', convertSqueeze);
  registerBuiltinOp('Unsqueeze', convertUnsqueeze);
  registerBuiltinOp('Expand', convertExpand);
  registerBuiltinOp('Pad', convertPad);
  registerBuiltinOp('Tile', convertTile);
  registerBuiltinOp('DepthToSpace', convertDepthToSpace);
  registerBuiltinOp('SpaceToDepth', convertSpaceToDepth);
  registerBuiltinOp('Trilu', convertTrilu);
  registerBuiltinOp('Compress', convertCompress);
  registerBuiltinOp('ReverseSequence', convertReverseSequence);
}
