// Gathers and scatters: Gather GatherElements GatherND ScatterElements (and its old name
// Scatter) ScatterND, with Compress and ReverseSequence (index-driven picks too).
import { add, broadcastTo, gather, indexSelect, lt, reshape, scatter, scatterAdd, where, type Tensor } from '@mapnn/core';
import type { OnnxKernel, OnnxNode } from '../converter.js';
import { castIf, fail, fromValues, intTensor, need, normAxis, readInts, sizeOf, stridesOf } from './util.js';

/** Indices with negatives counted from the end of a dim of size `n`. */
function wrapIndices(idx: Tensor, n: number): Tensor {
  return where(lt(idx, 0), add(idx, n), idx);
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

/** Gather: picks along `axis` by indices of any shape (negative ones count from the end). */
export function convertGather(node: OnnxNode): OnnxKernel {
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
}

/** GatherElements: picks along `axis` one element per index. */
export function convertGatherElements(node: OnnxNode): OnnxKernel {
  const axis = node.attrs.int('axis', 0);
  return (ins) => {
    const x = need(ins, 0, node);
    const idx = need(ins, 1, node);
    const ax = normAxis(node, axis, x.rank);
    return gather(x, ax, wrapIndices(idx, x.shape[ax]!));
  };
}

/** GatherND: picks slices by index tuples, after `batch_dims` leading batch dims. */
export function convertGatherND(node: OnnxNode): OnnxKernel {
  const b = node.attrs.int('batch_dims', 0);
  return (ins) => gatherNd(node, need(ins, 0, node), need(ins, 1, node), b);
}

/** ScatterElements (and Scatter, its name before opset 11): writes (or reduces) updates along `axis`. */
export function convertScatterElements(node: OnnxNode): OnnxKernel {
  const axis = node.attrs.int('axis', 0);
  const reduction = node.attrs.string('reduction', 'none');
  return (ins) => {
    const x = need(ins, 0, node);
    const idx0 = need(ins, 1, node);
    const upd = need(ins, 2, node);
    const ax = normAxis(node, axis, x.rank);
    const idx = wrapIndices(idx0, x.shape[ax]!);
    if (reduction === 'none') return scatter(x, ax, idx, castIf(upd, x.dtype));
    if (reduction === 'add') return scatterAdd(x, ax, idx, castIf(upd, x.dtype));
    // mul / max / min: on the host
    return hostScatterReduce(node, x, scatterElementPositions(x, idx, ax), Array.from(upd.dataSync() as ArrayLike<number>), reduction);
  };
}

/** Flat offsets into `x` that ScatterElements writes: each index's position with its value on `ax`. */
function scatterElementPositions(x: Tensor, idx: Tensor, ax: number): number[] {
  const iv = readInts(idx);
  const xs = stridesOf(x.shape);
  const is = stridesOf(idx.shape);
  return iv.map((v, i) => {
    let off = 0;
    let r = i;
    for (let d = 0; d < idx.rank; d++) {
      const c = Math.floor(r / is[d]!);
      r -= c * is[d]!;
      off += (d === ax ? v : c) * xs[d]!;
    }
    return off;
  });
}

/** ScatterND: writes (or reduces) update slices at index tuples. */
export function convertScatterND(node: OnnxNode): OnnxKernel {
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
}

/** Compress: keeps the slices along `axis` (of the flattened input without one) where the condition is true. */
export function convertCompress(node: OnnxNode): OnnxKernel {
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
}

/** ReverseSequence: reverses the first `lens[b]` steps along `time_axis` of each batch entry. */
export function convertReverseSequence(node: OnnxNode): OnnxKernel {
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
}
