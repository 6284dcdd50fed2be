// Quantization: QuantizeLinear DequantizeLinear DynamicQuantizeLinear MatMulInteger ConvInteger
// QLinearMatMul QLinearConv (computed exactly in float, rounded half to even, saturated).
import { add, cast, clip, div, matmul, max, maximum, min, minimum, mul, reshape, round, sub, type DType, type Tensor } from '@mapnn/core';
import { registerBuiltinOp, type OnnxNode } from '../converter.js';
import { convertNode } from './compose.js';
import { need, normAxis } from './util.js';

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
      const s = alongAxis(node, need(ins, 1, node), x, axis);
      const zp = ins[2];
      const dtype: DType = zp ? zp.dtype : 'uint8';
      return quantize(x, s, zp ? alongAxis(node, zp, x, axis) : 0, dtype);
    };
  });
  registerBuiltinOp('DequantizeLinear', (node) => {
    const axis = node.attrs.int('axis', 1);
    return (ins) => {
      const x = need(ins, 0, node);
      const scale = need(ins, 1, node);
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
    const a = dequant(need(ins, 0, node), ins[2]);
    const b = dequant(need(ins, 3, node), ins[5]);
    const scale = div(mul(cast(need(ins, 1, node), 'float64'), cast(need(ins, 4, node), 'float64')), cast(need(ins, 6, node), 'float64'));
    const yzp = need(ins, 7, node);
    const real = mul(matmul(a, b), scale);
    const [lo, hi] = RANGE[yzp.dtype] ?? [0, 255];
    return cast(clip(add(round(real), cast(yzp, 'float64')), lo, hi), yzp.dtype);
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
    return (ins, rt) => {
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
    };
  });
}
