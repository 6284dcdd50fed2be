// Quantization: QuantizeLinear DequantizeLinear DynamicQuantizeLinear MatMulInteger ConvInteger
// QLinearMatMul QLinearConv. Within core's int8 kernel contract (8-bit tensors, float32 scales,
// per-tensor or per-channel) they run core's int8 ops — quantizeLinear, dequantizeLinear,
// qlinearMatmul, qlinearConv2d — so a QDQ / QLinear model uses the backend's int8 kernels and
// computes as ONNX Runtime does; other cases are computed exactly in float, rounded half to
// even and saturated.
import {
  add, cast, clip, dequantizeLinear, div, matmul, max, maximum, min, minimum, mul, qlinearConv2d, qlinearMatmul, quantizeLinear, reshape, round, sub,
  zeros, type DType, type Tensor,
} from '@mapnn/core';
import { registerBuiltinOp, type OnnxNode } from '../converter.js';
import { convertNode } from './compose.js';
import { spatialGeometry } from './conv-pool.js';
import { need, normAxis } from './util.js';

const is8bit = (d: DType | undefined) => d === 'int8' || d === 'uint8';
/** A float32 scalar (or one-element) scale. */
const scalarScale = (s: Tensor) => s.dtype === 'float32' && s.size === 1 && s.rank <= 1;
/** A float32 scale per tensor, or 1-D of length `n`. */
const channelScale = (s: Tensor, n: number) => scalarScale(s) || (s.dtype === 'float32' && s.rank === 1 && s.shape[0] === n);
/** The zero point of `dtype` with the scale's shape: the given one, or 0 when the input is absent. */
const zeroPoint = (zp: Tensor | undefined, scale: Tensor, dtype: DType) => zp ?? zeros(scale.shape, dtype);

const RANGE: Partial<Record<DType, [number, number]>> = { uint8: [0, 255], int8: [-128, 127], int32: [-2147483648, 2147483647] };

/** A scale / zero point broadcast along `axis` (per-axis quantization) or as a scalar. */
function alongAxis(node: OnnxNode, p: Tensor, x: Tensor, axis: number): Tensor {
  if (p.rank === 0 || p.size === 1) return reshape(p, []);
  const a = normAxis(node, axis, x.rank);
  return reshape(p, x.shape.map((_, i) => (i === a ? p.size : 1)));
}

export function quantize(x: Tensor, scale: Tensor, zp: Tensor | number, dtype: DType): Tensor {
  const [lo, hi] = RANGE[dtype] ?? [-Infinity, Infinity];
  const q = add(round(div(cast(x, 'float32'), scale)), typeof zp === 'number' ? zp : cast(zp, 'float32'));
  return cast(clip(q, lo, hi), dtype);
}

function dequant(x: Tensor, zp: Tensor | undefined): Tensor {
  const xf = cast(x, 'float64');
  return zp ? sub(xf, cast(zp, 'float64')) : xf;
}

export function registerQuantizeOps(): void {
  registerBuiltinOp('QuantizeLinear', (node) => {
    const axis = node.attrs.int('axis', 1);
    return (ins) => {
      const x = need(ins, 0, node);
      const scale = need(ins, 1, node);
      const zp = ins[2];
      const dtype: DType = zp ? zp.dtype : 'uint8';
      if (x.dtype === 'float32' && scale.dtype === 'float32' && is8bit(dtype)) {
        return quantizeLinear(x, scale, zp ?? null, { axis: scale.size > 1 ? normAxis(node, axis, x.rank) : 1, dtype: dtype as 'int8' | 'uint8' });
      }
      const s = alongAxis(node, scale, x, axis);
      return quantize(x, s, zp ? alongAxis(node, zp, x, axis) : 0, dtype);
    };
  });
  registerBuiltinOp('DequantizeLinear', (node) => {
    const axis = node.attrs.int('axis', 1);
    return (ins) => {
      const x = need(ins, 0, node);
      const scale = need(ins, 1, node);
      const intX = x.dtype === 'int8' || x.dtype === 'uint8' || x.dtype === 'int32';
      if (intX && scale.dtype === 'float32' && (!ins[2] || ins[2].dtype === x.dtype)) {
        return dequantizeLinear(x, scale, ins[2] ?? null, { axis: scale.size > 1 ? normAxis(node, axis, x.rank) : 1 });
      }
      const s = alongAxis(node, scale, x, axis);
      const zp = ins[2] ? alongAxis(node, ins[2], x, axis) : undefined;
      const centered = zp ? sub(cast(x, 'float32'), cast(zp, 'float32')) : cast(x, 'float32');
      return cast(mul(centered, s), scale.dtype);
    };
  });
  registerBuiltinOp('DynamicQuantizeLinear', (node) => (ins) => {
    const x = need(ins, 0, node);
    const lo = minimum(min(x), 0);
    const hi = maximum(max(x), 0);
    const scale = div(sub(hi, lo), 255);
    const zp = cast(clip(round(sub(0, div(lo, scale))), 0, 255), 'uint8');
    const y = quantize(x, scale, zp, 'uint8');
    return [y, scale, zp];
  });
  registerBuiltinOp('MatMulInteger', (node) => (ins) => {
    const a = need(ins, 0, node);
    const b = need(ins, 1, node);
    let azp = ins[2];
    if (azp && azp.rank === 1 && azp.size > 1) azp = reshape(azp, [azp.size, 1]);
    return cast(matmul(dequant(a, azp), dequant(b, ins[3])), 'int32');
  });
  registerBuiltinOp('QLinearMatMul', (node) => (ins) => {
    const [a, aScale, b, bScale, yScale, yZp] = [need(ins, 0, node), need(ins, 1, node), need(ins, 3, node), need(ins, 4, node), need(ins, 6, node), need(ins, 7, node)];
    const N = b.shape[b.rank - 1]!;
    const int8 = is8bit(a.dtype) && is8bit(b.dtype) && is8bit(yZp.dtype) && a.rank >= 2 && b.rank >= 2 &&
      scalarScale(aScale) && channelScale(bScale, N) && scalarScale(yScale) && (!ins[2] || ins[2].dtype === a.dtype) && (!ins[5] || ins[5].dtype === b.dtype);
    if (int8) return qlinearMatmul(a, aScale, zeroPoint(ins[2], aScale, a.dtype), b, bScale, zeroPoint(ins[5], bScale, b.dtype), yScale, yZp);
    return qlinearMatmulInFloat(node, ins);
  });
  registerBuiltinOp('ConvInteger', (node, ctx) => {
    const conv = convertNode('Conv', node, ctx);
    return (ins, rt) => {
      const x = dequant(need(ins, 0, node), ins[2]);
      let wzp = ins[3];
      const w0 = need(ins, 1, node);
      if (wzp && wzp.size > 1) wzp = reshape(wzp, [wzp.size, ...new Array<number>(w0.rank - 1).fill(1)]);
      const w = dequant(w0, wzp);
      // zero points pad with their own value: pad the centered input with 0
      const y = conv([cast(x, 'float32'), cast(w, 'float32')], rt) as Tensor;
      return cast(round(y), 'int32');
    };
  });
  registerBuiltinOp('QLinearConv', (node, ctx) => {
    const conv = convertNode('Conv', node, ctx);
    const groups = node.attrs.int('group', 1);
    return (ins, rt) => {
      const [x, xScale, w, wScale, yScale, yZp] = [need(ins, 0, node), need(ins, 1, node), need(ins, 3, node), need(ins, 4, node), need(ins, 6, node), need(ins, 7, node)];
      const O = w.shape[0]!;
      const bias = ins[8];
      const int8 = is8bit(x.dtype) && is8bit(w.dtype) && is8bit(yZp.dtype) && (x.rank === 4 || x.rank === 3) && w.rank === x.rank &&
        scalarScale(xScale) && channelScale(wScale, O) && scalarScale(yScale) && (!ins[2] || ins[2].dtype === x.dtype) &&
        (!ins[5] || ins[5].dtype === w.dtype) && (!bias || (bias.dtype === 'int32' && bias.rank === 1));
      if (!int8) return qlinearConvInFloat(node, ins, rt, conv);
      const params = [xScale, zeroPoint(ins[2], xScale, x.dtype), w, wScale, zeroPoint(ins[5], wScale, w.dtype), yScale, yZp] as const;
      if (x.rank === 4) return qlinearConv2d(x, params[0], params[1], params[2], params[3], params[4], params[5], params[6], bias ?? null, conv2dOptions(node, x, w, groups));
      // 1-D: a 2-D convolution of height 1
      const x4 = reshape(x, [x.shape[0]!, x.shape[1]!, 1, x.shape[2]!]);
      const w4 = reshape(w, [O, w.shape[1]!, 1, w.shape[2]!]);
      const g = spatialGeometry(node, x.shape.slice(2), node.attrs.ints('kernel_shape') ?? w.shape.slice(2));
      const opts = { stride: [1, g.strides[0]!] as const, dilation: [1, g.dilations[0]!] as const, padding: [0, 0, g.padBegin[0]!, g.padEnd[0]!] as const, groups };
      const y = qlinearConv2d(x4, params[0], params[1], w4, params[3], params[4], params[5], params[6], bias ?? null, opts);
      return reshape(y, [y.shape[0]!, y.shape[1]!, y.shape[3]!]);
    };
  });
}

/** The geometry of a 2-D ONNX convolution node as qlinearConv2d's options. */
function conv2dOptions(node: OnnxNode, x: Tensor, w: Tensor, groups: number) {
  const g = spatialGeometry(node, x.shape.slice(2), node.attrs.ints('kernel_shape') ?? w.shape.slice(2));
  return {
    stride: [g.strides[0]!, g.strides[1]!] as const,
    dilation: [g.dilations[0]!, g.dilations[1]!] as const,
    padding: [g.padBegin[0]!, g.padEnd[0]!, g.padBegin[1]!, g.padEnd[1]!] as const,
    groups,
  };
}

/** QLinearMatMul outside the int8 contract (per-row scales, other dtypes): exact in float64. */
function qlinearMatmulInFloat(node: OnnxNode, ins: readonly (Tensor | undefined)[]): Tensor {
  const a = dequant(need(ins, 0, node), ins[2]);
  const b = dequant(need(ins, 3, node), ins[5]);
  const scale = div(mul(cast(need(ins, 1, node), 'float64'), cast(need(ins, 4, node), 'float64')), cast(need(ins, 6, node), 'float64'));
  const yzp = need(ins, 7, node);
  const real = mul(matmul(a, b), scale);
  const [lo, hi] = RANGE[yzp.dtype] ?? [0, 255];
  return cast(clip(add(round(real), cast(yzp, 'float64')), lo, hi), yzp.dtype);
}

type ConvFn = ReturnType<typeof convertNode>;

/** QLinearConv outside the int8 contract (3-D convolutions, other dtypes): exact in float64. */
function qlinearConvInFloat(node: OnnxNode, ins: readonly (Tensor | undefined)[], rt: Parameters<ConvFn>[1], conv: ConvFn): Tensor {
  const x = dequant(need(ins, 0, node), ins[2]);
  const w0 = need(ins, 3, node);
  let wzp = ins[5];
  if (wzp && wzp.size > 1) wzp = reshape(wzp, [wzp.size, ...new Array<number>(w0.rank - 1).fill(1)]);
  const w = dequant(w0, wzp);
  let acc = conv([x, w], rt) as Tensor;
  if (ins[8]) acc = add(acc, reshape(cast(ins[8], 'float64'), [1, ins[8].size, ...new Array<number>(acc.rank - 2).fill(1)]));
  let wScale = cast(need(ins, 4, node), 'float64');
  if (wScale.size > 1) wScale = reshape(wScale, [1, wScale.size, ...new Array<number>(acc.rank - 2).fill(1)]);
  const scale = div(mul(cast(need(ins, 1, node), 'float64'), wScale), cast(need(ins, 6, node), 'float64'));
  const yzp = need(ins, 7, node);
  const [lo, hi] = RANGE[yzp.dtype] ?? [0, 255];
  return cast(clip(add(round(mul(acc, scale)), cast(yzp, 'float64')), lo, hi), yzp.dtype);
}
