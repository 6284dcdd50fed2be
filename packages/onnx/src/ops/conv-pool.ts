// Convolution and pooling: Conv ConvTranspose (1-D, 2-D, 3-D), MaxPool AveragePool LpPool
// (any rank, asymmetric pads, auto_pad, ceil_mode, dilations; MaxPool's Indices output),
// GlobalAveragePool GlobalMaxPool GlobalLpPool MaxUnpool LRN.
import {
  abs, add, cast, concat, conv2d, convTranspose2d, div, isFloat, max, maximum, mean, mul, pow, reshape, scatter, slice, sum, transpose,
  zeros, type Tensor,
} from '@mapnn/core';
import { registerBuiltinOp, type OnnxNode } from '../converter.js';
import { onnxPad } from './shape-movement.js';
import { checkElements, fail, fromValues, intTensor, need, readInts, sizeOf, stridesOf } from './util.js';

export interface SpatialGeometry {
  kernel: number[];
  strides: number[];
  dilations: number[];
  padBegin: number[];
  padEnd: number[];
  out: number[];
}

/** Pads for auto_pad SAME_UPPER / SAME_LOWER. */
function samePads(inp: number, k: number, s: number, d: number, upper: boolean): [number, number] {
  const out = Math.ceil(inp / s);
  const total = Math.max(0, (out - 1) * s + (k - 1) * d + 1 - inp);
  const small = Math.floor(total / 2);
  return upper ? [small, total - small] : [total - small, small];
}

/** Output geometry of a convolution or pooling window over the spatial dims. */
export function spatialGeometry(
  node: OnnxNode,
  spatial: readonly number[],
  kernel: readonly number[],
  opts: { ceil?: boolean; pool?: boolean } = {},
): SpatialGeometry {
  const n = spatial.length;
  const strides = node.attrs.ints('strides', new Array<number>(n).fill(1));
  const dilations = node.attrs.ints('dilations', new Array<number>(n).fill(1));
  const pads = node.attrs.ints('pads', new Array<number>(2 * n).fill(0));
  const autoPad = node.attrs.string('auto_pad', 'NOTSET');
  if (kernel.length !== n || strides.length !== n || dilations.length !== n || pads.length !== 2 * n) {
    fail(node, `kernel/strides/dilations/pads do not match ${n} spatial dims`);
  }
  for (const v of [...kernel, ...strides, ...dilations]) if (!Number.isInteger(v) || v < 1) fail(node, `invalid kernel/stride/dilation value ${v}`);
  for (const v of pads) if (!Number.isInteger(v) || v < 0) fail(node, `invalid pad ${v}`);
  const padBegin: number[] = [];
  const padEnd: number[] = [];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = kernel[i]!;
    const s = strides[i]!;
    const d = dilations[i]!;
    const inp = spatial[i]!;
    const eff = (k - 1) * d + 1;
    let pb = pads[i]!;
    let pe = pads[i + n]!;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') [pb, pe] = samePads(inp, k, s, d, autoPad === 'SAME_UPPER');
    else if (autoPad === 'VALID') [pb, pe] = [0, 0];
    else if (autoPad !== 'NOTSET') fail(node, `unknown auto_pad '${autoPad}'`);
    const span = inp + pb + pe - eff;
    if (span < 0) fail(node, `window ${eff} is larger than the padded input ${inp + pb + pe}`);
    let o = opts.ceil ? Math.ceil(span / s) + 1 : Math.floor(span / s) + 1;
    if (opts.ceil && (o - 1) * s >= inp + pb) o--;
    padBegin.push(pb);
    padEnd.push(pe);
    out.push(o);
  }
  return { kernel: [...kernel], strides, dilations, padBegin, padEnd, out };
}

/** 2-D convolution with ONNX asymmetric pads (x [N,C,H,W], w [M,C/g,kh,kw]). */
function conv2dOnnx(x: Tensor, w: Tensor, g: SpatialGeometry, groups: number, b?: Tensor): Tensor {
  return conv2d(x, w, b ?? null, {
    stride: [g.strides[0]!, g.strides[1]!],
    dilation: [g.dilations[0]!, g.dilations[1]!],
    padding: [g.padBegin[0]!, g.padEnd[0]!, g.padBegin[1]!, g.padEnd[1]!],
    groups,
  });
}

function convNd(node: OnnxNode, x: Tensor, w: Tensor, b: Tensor | undefined, groups: number, kernelAttr?: number[]): Tensor {
  const rank = x.rank;
  if (rank < 3 || rank > 5) fail(node, `only 1-D, 2-D and 3-D convolutions are supported, got input [${x.shape.join(',')}]`);
  if (w.rank !== rank) fail(node, `weight [${w.shape.join(',')}] does not match input rank ${rank}`);
  if (x.shape[1] !== w.shape[1]! * groups) fail(node, `input has ${x.shape[1]} channels, weight expects ${w.shape[1]! * groups} (group ${groups})`);
  const kernel = kernelAttr ?? w.shape.slice(2);
  const g = spatialGeometry(node, x.shape.slice(2), kernel);
  checkElements(node, [x.shape[0]!, w.shape[0]!, ...g.out]);
  checkElements(node, [x.shape[0]!, x.shape[1]!, sizeOf(kernel), ...g.out], 'unfolded input');
  const xf = isFloat(x.dtype) ? x : cast(x, 'float32');
  if (rank === 3) {
    const g2: SpatialGeometry = {
      kernel: [1, g.kernel[0]!],
      strides: [1, g.strides[0]!],
      dilations: [1, g.dilations[0]!],
      padBegin: [0, g.padBegin[0]!],
      padEnd: [0, g.padEnd[0]!],
      out: [1, g.out[0]!],
    };
    const y = conv2dOnnx(reshape(xf, [x.shape[0]!, x.shape[1]!, 1, x.shape[2]!]), reshape(w, [w.shape[0]!, w.shape[1]!, 1, w.shape[2]!]), g2, groups, b);
    return reshape(y, [y.shape[0]!, y.shape[1]!, y.shape[3]!]);
  }
  if (rank === 4) return conv2dOnnx(xf, w, g, groups, b);
  // 3-D: a sum over the kernel's depth taps of 2-D convolutions of strided depth slices
  const [N, C] = x.shape as [number, number];
  const M = w.shape[0]!;
  const xp = g.padBegin[0] || g.padEnd[0] ? onnxPad(node, xf, [0, 0, g.padBegin[0]!, 0, 0, 0, 0, g.padEnd[0]!, 0, 0], 'constant', 0) : xf;
  const Do = g.out[0]!;
  const g2: SpatialGeometry = {
    kernel: g.kernel.slice(1),
    strides: g.strides.slice(1),
    dilations: g.dilations.slice(1),
    padBegin: g.padBegin.slice(1),
    padEnd: g.padEnd.slice(1),
    out: g.out.slice(1),
  };
  let acc: Tensor | null = null;
  for (let kd = 0; kd < g.kernel[0]!; kd++) {
    const start = kd * g.dilations[0]!;
    const xs = slice(xp, [start], [start + (Do - 1) * g.strides[0]! + 1], [2], [g.strides[0]!]);
    const merged = reshape(transpose(xs, [0, 2, 1, 3, 4]), [N * Do, C, xs.shape[3]!, xs.shape[4]!]);
    const wk = reshape(slice(w, [kd], [kd + 1], [2]), [M, w.shape[1]!, w.shape[3]!, w.shape[4]!]);
    const y = conv2dOnnx(merged, wk, g2, groups);
    acc = acc ? add(acc, y) : y;
  }
  const y5 = transpose(reshape(acc!, [N, Do, M, acc!.shape[2]!, acc!.shape[3]!]), [0, 2, 1, 3, 4]);
  return b ? add(y5, reshape(b, [1, M, 1, 1, 1])) : y5;
}

function convTransposeNd(node: OnnxNode, x: Tensor, w: Tensor, b: Tensor | undefined, groups: number): Tensor {
  const rank = x.rank;
  if (rank < 3 || rank > 5) fail(node, `only 1-D, 2-D and 3-D transposed convolutions are supported, got input [${x.shape.join(',')}]`);
  if (w.rank !== rank) fail(node, `weight [${w.shape.join(',')}] does not match input rank ${rank}`);
  if (x.shape[1] !== w.shape[0]) fail(node, `input has ${x.shape[1]} channels, weight expects ${w.shape[0]}`);
  const n = rank - 2;
  const spatial = x.shape.slice(2);
  const kernel = node.attrs.ints('kernel_shape') ?? w.shape.slice(2);
  const strides = node.attrs.ints('strides', new Array<number>(n).fill(1));
  const dilations = node.attrs.ints('dilations', new Array<number>(n).fill(1));
  const outPad = node.attrs.ints('output_padding', new Array<number>(n).fill(0));
  let pads = node.attrs.ints('pads', new Array<number>(2 * n).fill(0));
  const autoPad = node.attrs.string('auto_pad', 'NOTSET');
  let outShape = node.attrs.ints('output_shape');
  if (outShape && outShape.length === n + 2) outShape = outShape.slice(2);
  if (kernel.length !== n || strides.length !== n || dilations.length !== n || outPad.length !== n || pads.length !== 2 * n) {
    fail(node, `kernel/strides/dilations/pads do not match ${n} spatial dims`);
  }
  for (const v of [...kernel, ...strides, ...dilations]) if (!Number.isInteger(v) || v < 1) fail(node, `invalid kernel/stride/dilation value ${v}`);
  const full = spatial.map((d, i) => (d - 1) * strides[i]! + (kernel[i]! - 1) * dilations[i]! + 1);
  if (!outShape && (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER')) outShape = spatial.map((d, i) => d * strides[i]!);
  if (outShape) {
    if (outShape.length !== n) fail(node, `output_shape [${outShape.join(',')}] does not match ${n} spatial dims`);
    pads = new Array<number>(2 * n).fill(0);
    for (let i = 0; i < n; i++) {
      const total = full[i]! + outPad[i]! - outShape[i]!;
      if (total < 0) {
        pads[i] = 0;
        pads[i + n] = total;
      } else if (autoPad === 'SAME_UPPER') {
        pads[i] = Math.floor(total / 2);
        pads[i + n] = total - pads[i]!;
      } else {
        pads[i] = total - Math.floor(total / 2);
        pads[i + n] = Math.floor(total / 2);
      }
    }
  } else if (autoPad === 'VALID') pads = new Array<number>(2 * n).fill(0);
  const finalShape = full.map((f, i) => f + outPad[i]! - pads[i]! - pads[i + n]!);
  checkElements(node, [x.shape[0]!, w.shape[1]! * groups, ...finalShape]);
  checkElements(node, [x.shape[0]!, w.shape[1]! * groups, ...full.map((f, i) => Math.max(f, finalShape[i]!))], 'full output');
  checkElements(node, [x.shape[0]!, w.shape[0]!, sizeOf(kernel), ...spatial], 'columns');
  const xf = isFloat(x.dtype) ? x : cast(x, 'float32');
  let y: Tensor;
  if (rank === 3) {
    const y4 = convTranspose2d(reshape(xf, [x.shape[0]!, x.shape[1]!, 1, x.shape[2]!]), reshape(w, [w.shape[0]!, w.shape[1]!, 1, w.shape[2]!]), null, {
      stride: [1, strides[0]!],
      dilation: [1, dilations[0]!],
      groups,
    });
    y = reshape(y4, [y4.shape[0]!, y4.shape[1]!, y4.shape[3]!]);
  } else if (rank === 4) {
    y = convTranspose2d(xf, w, null, { stride: [strides[0]!, strides[1]!], dilation: [dilations[0]!, dilations[1]!], groups });
  } else {
    const [N, C, D] = x.shape as [number, number, number];
    const M = w.shape[1]! * groups;
    const merged = reshape(transpose(xf, [0, 2, 1, 3, 4]), [N * D, C, x.shape[3]!, x.shape[4]!]);
    let acc: Tensor | null = null;
    const sd = strides[0]!;
    for (let kd = 0; kd < kernel[0]!; kd++) {
      const wk = reshape(slice(w, [kd], [kd + 1], [2]), [w.shape[0]!, w.shape[1]!, w.shape[3]!, w.shape[4]!]);
      const yk = convTranspose2d(merged, wk, null, { stride: [strides[1]!, strides[2]!], dilation: [dilations[1]!, dilations[2]!], groups });
      const [, , Hf, Wf] = yk.shape as [number, number, number, number];
      let t = reshape(yk, [N, D, 1, M, Hf, Wf]);
      if (sd > 1) t = concat([t, zeros([N, D, sd - 1, M, Hf, Wf], t.dtype)], 2);
      t = reshape(t, [N, D * sd, M, Hf, Wf]);
      t = slice(t, [0], [(D - 1) * sd + 1], [1]);
      const before = kd * dilations[0]!;
      const after = full[0]! - before - ((D - 1) * sd + 1);
      t = onnxPad(node, t, [0, before, 0, 0, 0, 0, after, 0, 0, 0], 'constant', 0);
      acc = acc ? add(acc, t) : t;
    }
    y = transpose(acc!, [0, 2, 1, 3, 4]);
  }
  // crop pads (or extend with zeros) to the final size
  const cut: number[] = [0, 0];
  const cutEnd: number[] = [0, 0];
  for (let i = 0; i < n; i++) {
    cut.push(-pads[i]!);
    cutEnd.push(finalShape[i]! - (full[i]! - pads[i]!));
  }
  if (cut.some((v) => v !== 0) || cutEnd.some((v) => v !== 0)) y = onnxPad(node, y, [...cut, ...cutEnd], 'constant', 0);
  if (b) y = add(y, reshape(b, [1, b.shape[0]!, ...new Array<number>(n).fill(1)]));
  return y;
}

type PoolKind = 'max' | 'avg' | 'lp';

/** Divisor of each average-pooling window, as a [1, 1, out…] tensor computed on the host. */
function poolDivisor(spatial: readonly number[], g: SpatialGeometry, includePad: boolean, dtype: Tensor['dtype']): Tensor {
  const per = spatial.map((inp, i) =>
    Array.from({ length: g.out[i]! }, (_, o) => {
      let c = 0;
      for (let j = 0; j < g.kernel[i]!; j++) {
        const p = o * g.strides[i]! - g.padBegin[i]! + j * g.dilations[i]!;
        if (includePad ? p >= -g.padBegin[i]! && p < inp + g.padEnd[i]! : p >= 0 && p < inp) c++;
      }
      return c;
    }),
  );
  const total = sizeOf(g.out);
  const vals = new Array<number>(total);
  const st = stridesOf(g.out);
  for (let k = 0; k < total; k++) {
    let v = 1;
    let r = k;
    for (let i = 0; i < g.out.length; i++) {
      const o = Math.floor(r / st[i]!);
      r -= o * st[i]!;
      v *= per[i]![o]!;
    }
    vals[k] = v;
  }
  return fromValues(vals, [1, 1, ...g.out], dtype === 'float16' ? 'float32' : dtype);
}

function poolNd(node: OnnxNode, x0: Tensor, kind: PoolKind, g: SpatialGeometry, opts: { includePad?: boolean; p?: number }): Tensor {
  const n = g.kernel.length;
  const x = isFloat(x0.dtype) ? x0 : cast(x0, 'float32');
  const spatial = x.shape.slice(2);
  // pad: explicit pads plus what ceil mode needs at the end
  const need = spatial.map((d, i) => Math.max(0, (g.out[i]! - 1) * g.strides[i]! + (g.kernel[i]! - 1) * g.dilations[i]! + 1 - (d + g.padBegin[i]!)));
  const pb = [0, 0, ...g.padBegin];
  const pe = [0, 0, ...need];
  const padded =
    pb.some((v) => v) || pe.some((v) => v) ? onnxPad(node, x, [...pb, ...pe], 'constant', kind === 'max' ? -Infinity : 0) : x;
  const src = kind === 'lp' ? pow(abs(padded), opts.p ?? 2) : padded;
  let acc: Tensor | null = null;
  const taps = sizeOf(g.kernel);
  const kst = stridesOf(g.kernel);
  for (let t = 0; t < taps; t++) {
    const starts: number[] = [];
    const ends: number[] = [];
    let r = t;
    for (let i = 0; i < n; i++) {
      const j = Math.floor(r / kst[i]!);
      r -= j * kst[i]!;
      const s = j * g.dilations[i]!;
      starts.push(s);
      ends.push(s + (g.out[i]! - 1) * g.strides[i]! + 1);
    }
    const axes = g.kernel.map((_, i) => i + 2);
    const win = slice(src, starts, ends, axes, g.strides);
    acc = acc ? (kind === 'max' ? maximum(acc, win) : add(acc, win)) : win;
  }
  let out = acc!;
  if (kind === 'avg') out = div(out, poolDivisor(spatial, g, !!opts.includePad, out.dtype));
  if (kind === 'lp') out = pow(out, 1 / (opts.p ?? 2));
  return out.dtype === x0.dtype ? out : cast(out, x0.dtype);
}

/** MaxPool's second output: flat indices (over the whole input, row-major or column-major per storage_order). */
function maxPoolIndices(x: Tensor, g: SpatialGeometry, storageOrder: number): Tensor {
  const v = x.dataSync();
  const [N, C] = x.shape as [number, number];
  const spatial = x.shape.slice(2);
  const n = spatial.length;
  const inSt = stridesOf(spatial);
  const inSize = sizeOf(spatial);
  const outSize = sizeOf(g.out);
  const outSt = stridesOf(g.out);
  const taps = sizeOf(g.kernel);
  const kst = stridesOf(g.kernel);
  const res: number[] = [];
  for (let nc = 0; nc < N * C; nc++) {
    for (let o = 0; o < outSize; o++) {
      const oc: number[] = [];
      let r = o;
      for (let i = 0; i < n; i++) {
        oc.push(Math.floor(r / outSt[i]!));
        r -= oc[i]! * outSt[i]!;
      }
      let best = -Infinity;
      let bestIdx = -1;
      for (let t = 0; t < taps; t++) {
        let rr = t;
        let off = 0;
        const pos: number[] = [];
        let ok = true;
        for (let i = 0; i < n; i++) {
          const j = Math.floor(rr / kst[i]!);
          rr -= j * kst[i]!;
          const p = oc[i]! * g.strides[i]! - g.padBegin[i]! + j * g.dilations[i]!;
          if (p < 0 || p >= spatial[i]!) ok = false;
          pos.push(p);
          off += p * inSt[i]!;
        }
        if (!ok) continue;
        const val = v[nc * inSize + off]!;
        if (val > best || bestIdx < 0) {
          best = val;
          if (storageOrder === 1) {
            // column-major over the spatial dims (and N, C after them)
            let cm = 0;
            let mul1 = 1;
            for (let i = 0; i < n; i++) {
              cm += pos[i]! * mul1;
              mul1 *= spatial[i]!;
            }
            bestIdx = cm + (nc % C) * inSize + Math.floor(nc / C) * inSize * C;
          } else bestIdx = nc * inSize + off;
        }
      }
      res.push(bestIdx);
    }
  }
  return intTensor(res, [N, C, ...g.out]);
}

export function registerConvPoolOps(): void {
  registerBuiltinOp('Conv', (node) => {
    const groups = node.attrs.int('group', 1);
    const kernel = node.attrs.ints('kernel_shape');
    return (ins) => convNd(node, need(ins, 0, node), need(ins, 1, node), ins[2], groups, kernel);
  });
  registerBuiltinOp('ConvTranspose', (node) => {
    const groups = node.attrs.int('group', 1);
    return (ins) => convTransposeNd(node, need(ins, 0, node), need(ins, 1, node), ins[2], groups);
  });
  const pool = (kind: PoolKind) => (node: OnnxNode) => {
    const kernel = node.attrs.ints('kernel_shape');
    if (!kernel) throw new Error("missing attribute 'kernel_shape'");
    const ceil = node.attrs.int('ceil_mode', 0) === 1;
    const includePad = node.attrs.int('count_include_pad', 0) === 1;
    const p = node.attrs.int('p', 2);
    const storageOrder = node.attrs.int('storage_order', 0);
    return (ins: readonly (Tensor | undefined)[]) => {
      const x = need(ins, 0, node);
      if (x.rank !== kernel.length + 2) fail(node, `input [${x.shape.join(',')}] does not match kernel_shape [${kernel.join(',')}]`);
      const g = spatialGeometry(node, x.shape.slice(2), kernel, { ceil, pool: true });
      checkElements(node, [x.shape[0]!, x.shape[1]!, ...g.out.map((o, i) => Math.max(o, x.shape[i + 2]! + g.padBegin[i]! + g.padEnd[i]!))]);
      const y = poolNd(node, x, kind, g, { includePad, p });
      if (kind === 'max' && node.outputs[1]) return [y, maxPoolIndices(x, g, storageOrder)];
      return y;
    };
  };
  registerBuiltinOp('MaxPool', pool('max'));
  registerBuiltinOp('AveragePool', pool('avg'));
  registerBuiltinOp('LpPool', pool('lp'));
  const spatialAxes = (x: Tensor) => [...Array(x.rank).keys()].slice(2);
  registerBuiltinOp('GlobalAveragePool', (node) => (ins) => {
    const x = need(ins, 0, node);
    return mean(x, spatialAxes(x), true);
  });
  registerBuiltinOp('GlobalMaxPool', (node) => (ins) => {
    const x = need(ins, 0, node);
    return max(x, spatialAxes(x), true);
  });
  registerBuiltinOp('GlobalLpPool', (node) => {
    const p = node.attrs.int('p', 2);
    return (ins) => {
      const x = need(ins, 0, node);
      return pow(sum(pow(abs(x), p), spatialAxes(x), true), 1 / p);
    };
  });
  registerBuiltinOp('MaxUnpool', (node) => {
    const kernel = node.attrs.ints('kernel_shape');
    if (!kernel) throw new Error("missing attribute 'kernel_shape'");
    return (ins) => {
      const x = need(ins, 0, node);
      const idx = need(ins, 1, node);
      const n = kernel.length;
      const strides = node.attrs.ints('strides', new Array<number>(n).fill(1));
      const pads = node.attrs.ints('pads', new Array<number>(2 * n).fill(0));
      const shape = [x.shape[0]!, x.shape[1]!, ...x.shape.slice(2).map((d, i) => (d - 1) * strides[i]! + kernel[i]! - pads[i]! - pads[i + n]!)];
      checkElements(node, shape);
      const flat = scatter(zeros([sizeOf(shape)], x.dtype), 0, reshape(idx, [idx.size]), reshape(x, [x.size]));
      const y = reshape(flat, shape);
      // an explicit output_shape pads (or crops) the default-shaped result at the end
      const want = ins[2] ? readInts(ins[2]) : undefined;
      if (!want || want.every((d, i) => d === shape[i])) return y;
      if (want.length !== shape.length) fail(node, `output_shape [${want.join(',')}] does not match rank ${shape.length}`);
      checkElements(node, want);
      return onnxPad(node, y, [...new Array<number>(shape.length).fill(0), ...want.map((d, i) => d - shape[i]!)], 'constant', 0);
    };
  });
  registerBuiltinOp('LRN', (node) => {
    const size = node.attrs.int('size', 0);
    if (size < 1) throw new Error(`size must be ≥ 1, got ${size}`);
    const alpha = node.attrs.float('alpha', 1e-4);
    const beta = node.attrs.float('beta', 0.75);
    const bias = node.attrs.float('bias', 1);
    return (ins) => {
      const x = need(ins, 0, node);
      const C = x.shape[1]!;
      const sq = mul(x, x);
      const before = Math.floor((size - 1) / 2);
      const after = Math.ceil((size - 1) / 2);
      const padsB = x.shape.map((_, i) => (i === 1 ? before : 0));
      const padsE = x.shape.map((_, i) => (i === 1 ? after : 0));
      const p = onnxPad(node, sq, [...padsB, ...padsE], 'constant', 0);
      let acc: Tensor | null = null;
      for (let k = 0; k < size; k++) {
        const s = slice(p, [k], [k + C], [1]);
        acc = acc ? add(acc, s) : s;
      }
      return div(x, pow(add(mul(acc!, alpha / size), bias), beta));
    };
  });
}
