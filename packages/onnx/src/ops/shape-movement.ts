// Shape and movement: Reshape Transpose Concat Split Slice Gather GatherElements GatherND
// ScatterElements Scatter ScatterND Flatten Squeeze Unsqueeze Expand Pad Tile DepthToSpace
// SpaceToDepth Trilu Compress ReverseSequence.
import {
  add, broadcastTo, concat, gather, indexSelect, lt, pad, reshape, scatter, scatterAdd, slice, tile, transpose, tril, triu,
  where, type Tensor,
} from '@mapnn/core';
import { registerBuiltinOp, type OnnxNode } from '../converter.js';
import { broadcastShape, castIf, checkElements, fail, fromValues, intTensor, need, normAxis, passThrough, readInts, sizeOf, stridesOf } from './util.js';

/** Indices with negatives counted from the end of a dim of size `n`. */
function wrapIndices(idx: Tensor, n: number): Tensor {
  return where(lt(idx, 0), add(idx, n), idx);
}

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

/** ONNX pads ([b1, b2, …, e1, e2, …], negative = crop) on `axes`. */
export function onnxPad(node: OnnxNode, x: Tensor, pads: readonly number[], mode: string, value: number, axes?: readonly number[]): Tensor {
  const ax = axes ? axes.map((a) => normAxis(node, a, x.rank)) : [...Array(x.rank).keys()];
  if (pads.length !== 2 * ax.length) fail(node, `pads has ${pads.length} values, expected ${2 * ax.length}`);
  const begin = new Array<number>(x.rank).fill(0);
  const end = new Array<number>(x.rank).fill(0);
  ax.forEach((a, i) => {
    begin[a] = pads[i]!;
    end[a] = pads[i + ax.length]!;
  });
  // crop negative pads first
  let t = x;
  if (begin.some((p) => p < 0) || end.some((p) => p < 0)) {
    const starts = begin.map((p) => Math.max(0, -p));
    const ends = end.map((p, i) => x.shape[i]! - Math.max(0, -p));
    t = slice(t, starts, ends, [...Array(x.rank).keys()]);
  }
  const b = begin.map((p) => Math.max(0, p));
  const e = end.map((p) => Math.max(0, p));
  if (b.every((p) => p === 0) && e.every((p) => p === 0)) return t === x ? passThrough(x) : t;
  checkElements(node, t.shape.map((d, i) => d + b[i]! + e[i]!));
  if (mode === 'wrap') {
    let r = t;
    for (let i = 0; i < r.rank; i++) {
      if (!b[i] && !e[i]) continue;
      const n = r.shape[i]!;
      const idx: number[] = [];
      for (let k = -b[i]!; k < n + e[i]!; k++) idx.push(((k % n) + n) % n);
      r = indexSelect(r, i, intTensor(idx));
    }
    return r;
  }
  const torchPads: number[] = [];
  for (let i = t.rank - 1; i >= 0; i--) torchPads.push(b[i]!, e[i]!);
  const m = mode === 'constant' ? 'constant' : mode === 'reflect' ? 'reflect' : mode === 'edge' ? 'edge' : fail(node, `unsupported pad mode '${mode}'`);
  return pad(t, torchPads, m, value);
}

function gatherNd(node: OnnxNode, data: Tensor, indices: Tensor, batchDims: number): Tensor {
  const idx = readInts(indices);
  const k = indices.shape[indices.rank - 1]!;
  if (indices.rank < 1 || k > data.rank - batchDims) fail(node, `indices last dim ${k} is too large for data rank ${data.rank}`);
  const batchShape = data.shape.slice(0, batchDims);
  const B = sizeOf(batchShape);
  const idxDims = data.shape.slice(batchDims, batchDims + k);
  const rest = data.shape.slice(batchDims + k);
  const rows = B * sizeOf(idxDims);
  const flat = reshape(data, [rows, sizeOf(rest)]);
  const m = idx.length / Math.max(k, 1);
  const perBatch = m / B;
  const st = stridesOf(idxDims);
  const lin: number[] = [];
  for (let i = 0; i < (k === 0 ? sizeOf(indices.shape.slice(0, -1)) : m); i++) {
    const b = Math.floor(i / (perBatch || 1));
    let off = b * sizeOf(idxDims);
    for (let j = 0; j < k; j++) {
      let v = idx[i * k + j]!;
      if (v < 0) v += idxDims[j]!;
      if (v < 0 || v >= idxDims[j]!) fail(node, `index ${idx[i * k + j]} is out of range for dim of size ${idxDims[j]}`);
      off += v * st[j]!;
    }
    lin.push(off);
  }
  const picked = indexSelect(flat, 0, intTensor(lin));
  return reshape(picked, [...indices.shape.slice(0, -1), ...rest]);
}

/** Linear row offsets of ScatterND indices into data viewed as [rows, rest]. */
function scatterNdRows(node: OnnxNode, data: Tensor, indices: Tensor): { rows: number[]; k: number } {
  const idx = readInts(indices);
  const k = indices.shape[indices.rank - 1]!;
  if (k > data.rank) fail(node, `indices last dim ${k} exceeds data rank ${data.rank}`);
  const dims = data.shape.slice(0, k);
  const st = stridesOf(dims);
  const rows: number[] = [];
  for (let i = 0; i < idx.length / k; i++) {
    let off = 0;
    for (let j = 0; j < k; j++) {
      let v = idx[i * k + j]!;
      if (v < 0) v += dims[j]!;
      if (v < 0 || v >= dims[j]!) fail(node, `index ${idx[i * k + j]} is out of range for dim of size ${dims[j]}`);
      off += v * st[j]!;
    }
    rows.push(off);
  }
  return { rows, k };
}

function hostScatterReduce(node: OnnxNode, data: Tensor, positions: number[], updates: number[], reduction: string): Tensor {
  const out = Array.from(data.dataSync() as ArrayLike<number>);
  positions.forEach((p, i) => {
    const u = updates[i]!;
    switch (reduction) {
      case 'none':
        out[p] = u;
        break;
      case 'add':
        out[p]! += u;
        break;
      case 'mul':
        out[p]! *= u;
        break;
      case 'max':
        out[p] = Math.max(out[p]!, u);
        break;
      case 'min':
        out[p] = Math.min(out[p]!, u);
        break;
      default:
        fail(node, `unsupported reduction '${reduction}'`);
    }
  });
  return fromValues(out, data.shape, data.dtype);
}

export function registerShapeMovementOps(): void {
  registerBuiltinOp('Reshape', (node, ctx) => {
    const allowZero = node.attrs.int('allowzero', 0) === 1;
    if (node.opset < 5) {
      const shape = node.attrs.ints('shape') ?? ctx.fail("missing attribute 'shape'");
      return (ins) => onnxReshape(node, need(ins, 0, node), shape, allowZero);
    }
    return (ins) => onnxReshape(node, need(ins, 0, node), readInts(need(ins, 1, node)), allowZero);
  });
  registerBuiltinOp('Transpose', (node) => {
    const perm = node.attrs.ints('perm');
    return (ins) => {
      const x = need(ins, 0, node);
      const p = perm ?? [...Array(x.rank).keys()].reverse();
      if (p.length !== x.rank) fail(node, `perm [${p.join(',')}] does not match rank ${x.rank}`);
      return transpose(x, p);
    };
  });
  registerBuiltinOp('Concat', (node) => {
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
  });
  registerBuiltinOp('Split', (node) => {
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
  });
  registerBuiltinOp('Slice', (node) => {
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
  });
  registerBuiltinOp('Gather', (node) => {
    const axis = node.attrs.int('axis', 0);
    return (ins) => {
      const x = need(ins, 0, node);
      const idx = need(ins, 1, node);
      const ax = normAxis(node, axis, x.rank);
      const n = x.shape[ax]!;
      const flat = reshape(wrapIndices(idx, n), [idx.size]);
      const picked = indexSelect(x, ax, flat);
      return reshape(picked, [...x.shape.slice(0, ax), ...idx.shape, ...x.shape.slice(ax + 1)]);
    };
  });
  registerBuiltinOp('GatherElements', (node) => {
    const axis = node.attrs.int('axis', 0);
    return (ins) => {
      const x = need(ins, 0, node);
      const idx = need(ins, 1, node);
      const ax = normAxis(node, axis, x.rank);
      return gather(x, ax, wrapIndices(idx, x.shape[ax]!));
    };
  });
  registerBuiltinOp('GatherND', (node) => {
    const b = node.attrs.int('batch_dims', 0);
    return (ins) => gatherNd(node, need(ins, 0, node), need(ins, 1, node), b);
  });
  const scatterElements = (node: OnnxNode) => {
    const axis = node.attrs.int('axis', 0);
    const reduction = node.attrs.string('reduction', 'none');
    return (ins: readonly (Tensor | undefined)[]) => {
      const x = need(ins, 0, node);
      const idx0 = need(ins, 1, node);
      const upd = need(ins, 2, node);
      const ax = normAxis(node, axis, x.rank);
      const idx = wrapIndices(idx0, x.shape[ax]!);
      if (reduction === 'none') return scatter(x, ax, idx, castIf(upd, x.dtype));
      if (reduction === 'add') return scatterAdd(x, ax, idx, castIf(upd, x.dtype));
      // mul / max / min: on the host
      const iv = readInts(idx);
      const xs = stridesOf(x.shape);
      const is = stridesOf(idx.shape);
      const pos = iv.map((v, i) => {
        let off = 0;
        let r = i;
        for (let d = 0; d < idx.rank; d++) {
          const c = Math.floor(r / is[d]!);
          r -= c * is[d]!;
          off += (d === ax ? v : c) * xs[d]!;
        }
        return off;
      });
      return hostScatterReduce(node, x, pos, Array.from(upd.dataSync() as ArrayLike<number>), reduction);
    };
  };
  registerBuiltinOp('ScatterElements', scatterElements);
  registerBuiltinOp('Scatter', scatterElements);
  registerBuiltinOp('ScatterND', (node) => {
    const reduction = node.attrs.string('reduction', 'none');
    return (ins) => {
      const x = need(ins, 0, node);
      const indices = need(ins, 1, node);
      const upd = castIf(need(ins, 2, node), x.dtype);
      const { rows, k } = scatterNdRows(node, x, indices);
      const rest = sizeOf(x.shape.slice(k));
      if (reduction === 'none' || reduction === 'add') {
        const flat = reshape(x, [sizeOf(x.shape.slice(0, k)), rest]);
        const u = reshape(upd, [rows.length, rest]);
        const index = broadcastTo(reshape(intTensor(rows), [rows.length, 1]), [rows.length, rest]);
        const out = reduction === 'none' ? scatter(flat, 0, index, u) : scatterAdd(flat, 0, index, u);
        return reshape(out, x.shape);
      }
      const pos: number[] = [];
      for (const r of rows) for (let j = 0; j < rest; j++) pos.push(r * rest + j);
      return hostScatterReduce(node, x, pos, Array.from(upd.dataSync() as ArrayLike<number>), reduction);
    };
  });
  registerBuiltinOp('Flatten', (node) => {
    const axis = node.attrs.int('axis', 1);
    return (ins) => {
      const x = need(ins, 0, node);
      const a = axis < 0 ? axis + x.rank : axis;
      if (a < 0 || a > x.rank) fail(node, `axis ${axis} is out of range for rank ${x.rank}`);
      return reshape(x, [sizeOf(x.shape.slice(0, a)), sizeOf(x.shape.slice(a))]);
    };
  });
  registerBuiltinOp('Squeeze', (node) => {
    const attr = node.attrs.ints('axes');
    return (ins) => onnxSqueeze(node, need(ins, 0, node), node.opset >= 13 ? (ins[1] ? readInts(ins[1]) : undefined) : attr);
  });
  registerBuiltinOp('Unsqueeze', (node, ctx) => {
    const attr = node.attrs.ints('axes');
    if (node.opset < 13 && !attr) ctx.fail("missing attribute 'axes'");
    return (ins) => unsqueezeAxes(node, need(ins, 0, node), node.opset >= 13 ? readInts(need(ins, 1, node)) : attr!);
  });
  registerBuiltinOp('Expand', (node) => (ins) => {
    const x = need(ins, 0, node);
    const shape = readInts(need(ins, 1, node));
    const out = broadcastShape(x.shape, shape);
    if (!out) fail(node, `cannot expand [${x.shape.join(',')}] to [${shape.join(',')}]`);
    checkElements(node, out);
    return broadcastTo(x, out);
  });
  registerBuiltinOp('Pad', (node) => {
    const mode = node.attrs.string('mode', 'constant');
    if (!['constant', 'reflect', 'edge', 'wrap'].includes(mode)) throw new Error(`unsupported mode '${mode}'`);
    if (node.opset < 11) {
      const pads = node.attrs.ints(node.opset < 2 ? 'paddings' : 'pads') ?? [];
      const value = node.attrs.float('value', 0);
      return (ins) => onnxPad(node, need(ins, 0, node), pads, mode, value);
    }
    return (ins) => {
      const x = need(ins, 0, node);
      const pads = readInts(need(ins, 1, node));
      const value = ins[2] && ins[2].size > 0 ? Number(ins[2].dataSync()[0]) : 0;
      const axes = ins[3] ? readInts(ins[3]) : undefined;
      return onnxPad(node, x, pads, mode, value, axes);
    };
  });
  registerBuiltinOp('Tile', (node) => (ins) => {
    const x = need(ins, 0, node);
    const reps = readInts(need(ins, 1, node));
    if (reps.length !== x.rank) fail(node, `repeats has ${reps.length} values for rank ${x.rank}`);
    checkElements(node, x.shape.map((d, i) => d * reps[i]!));
    return tile(x, reps);
  });
  registerBuiltinOp('DepthToSpace', (node) => {
    const b = node.attrs.int('blocksize', 0);
    const mode = node.attrs.string('mode', 'DCR');
    if (b < 1) throw new Error(`blocksize must be ≥ 1, got ${b}`);
    return (ins) => {
      const x = need(ins, 0, node);
      if (x.rank !== 4) fail(node, `input must be 4-D, got [${x.shape.join(',')}]`);
      const [N, C, H, W] = x.shape as [number, number, number, number];
      if (C % (b * b)) fail(node, `channels ${C} not divisible by blocksize² ${b * b}`);
      const c = C / (b * b);
      const t =
        mode === 'DCR'
          ? transpose(reshape(x, [N, b, b, c, H, W]), [0, 3, 4, 1, 5, 2])
          : transpose(reshape(x, [N, c, b, b, H, W]), [0, 1, 4, 2, 5, 3]);
      return reshape(t, [N, c, H * b, W * b]);
    };
  });
  registerBuiltinOp('SpaceToDepth', (node) => {
    const b = node.attrs.int('blocksize', 0);
    if (b < 1) throw new Error(`blocksize must be ≥ 1, got ${b}`);
    return (ins) => {
      const x = need(ins, 0, node);
      if (x.rank !== 4) fail(node, `input must be 4-D, got [${x.shape.join(',')}]`);
      const [N, C, H, W] = x.shape as [number, number, number, number];
      if (H % b || W % b) fail(node, `spatial dims ${H}×${W} not divisible by blocksize ${b}`);
      const t = transpose(reshape(x, [N, C, H / b, b, W / b, b]), [0, 3, 5, 1, 2, 4]);
      return reshape(t, [N, C * b * b, H / b, W / b]);
    };
  });
  registerBuiltinOp('Trilu', (node) => {
    const upper = node.attrs.int('upper', 1) === 1;
    return (ins) => {
      const x = need(ins, 0, node);
      const k = ins[1] ? readInts(ins[1])[0]! : 0;
      if (x.size === 0) return passThrough(x);
      return upper ? triu(x, k) : tril(x, k);
    };
  });
  registerBuiltinOp('Compress', (node) => {
    const axis = node.attrs.int('axis');
    return (ins) => {
      let x = need(ins, 0, node);
      const cond = readInts(need(ins, 1, node));
      let ax = 0;
      if (axis === undefined) x = reshape(x, [x.size]);
      else ax = normAxis(node, axis, x.rank);
      const keep: number[] = [];
      cond.forEach((c, i) => c && i < x.shape[ax]! && keep.push(i));
      return indexSelect(x, ax, intTensor(keep));
    };
  });
  registerBuiltinOp('ReverseSequence', (node) => {
    const batchAxis = node.attrs.int('batch_axis', 1);
    const timeAxis = node.attrs.int('time_axis', 0);
    return (ins) => {
      const x = need(ins, 0, node);
      const lens = readInts(need(ins, 1, node));
      const T = x.shape[timeAxis]!;
      const B = x.shape[batchAxis]!;
      const shape = x.shape.map((_, i) => (i === timeAxis ? T : i === batchAxis ? B : 1));
      const vals: number[] = [];
      const tFirst = timeAxis < batchAxis;
      for (let a = 0; a < (tFirst ? T : B); a++) {
        for (let c = 0; c < (tFirst ? B : T); c++) {
          const t = tFirst ? a : c;
          const b = tFirst ? c : a;
          const L = lens[b]!;
          vals.push(t < L ? L - 1 - t : t);
        }
      }
      const idx = broadcastTo(intTensor(vals, shape), x.shape);
      return gather(x, timeAxis, idx);
    };
  });
}
