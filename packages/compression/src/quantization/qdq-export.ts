import type { Tensor } from '@mapnn/core';
import { exportOnnx, floatAttr, registerOnnxModuleExporter, type ExportOnnxOptions, type ModuleExportContext } from '@mapnn/onnx';
import { FusedReLU } from './fused-relu.js';
import type { QParams } from './qparams.js';
import { QuantizedConv2d } from './quantized-conv2d.js';
import { QuantizedLinear } from './quantized-linear.js';
import type { QuantizedWeights } from './quantized-weights.js';

/** QuantizeLinear → DequantizeLinear of an activation (per tensor). */
function qdq(ctx: ModuleExportContext, x: string, q: QParams): string {
  const s = ctx.scalar(q.scale, 'float32');
  const zp = ctx.constant(q.dtype, [], [q.zeroPoint], 'zero_point');
  return ctx.op('DequantizeLinear', [ctx.op('QuantizeLinear', [x, s, zp]), s, zp]);
}

/** The int8 weight and int32 bias as initializers, each behind a per-channel DequantizeLinear (axis 0). */
function dequantizedParams(ctx: ModuleExportContext, q: QuantizedWeights): [string, string | null] {
  const name = (what: string) => (ctx.path ? `${ctx.path}.${what}` : what);
  const c = q.weight.scales.length;
  const w = ctx.builder.initializer(name('weight_quantized'), 'int8', q.weight.shape, q.weight.values);
  const ws = ctx.builder.initializer(name('weight_scale'), 'float32', [c], q.weight.scales);
  const wzp = ctx.builder.initializer(name('weight_zero_point'), 'int8', [c], new Int8Array(c));
  const wdq = ctx.op('DequantizeLinear', [w, ws, wzp], { axis: 0 });
  if (!q.bias) return [wdq, null];
  const b = ctx.builder.initializer(name('bias_quantized'), 'int32', [c], q.bias.values);
  const bs = ctx.builder.initializer(name('bias_scale'), 'float32', [c], q.bias.scales);
  const bzp = ctx.builder.initializer(name('bias_zero_point'), 'int32', [c], new Int32Array(c));
  return [wdq, ctx.op('DequantizeLinear', [b, bs, bzp], { axis: 0 })];
}

/** [top, left, bottom, right] → ONNX pads [t, l, b, r] of a Conv2d padding option. */
function convPads(m: QuantizedConv2d): number[] {
  const [kh, kw] = m.kernelSize;
  const [dh, dw] = typeof m.dilation === 'number' ? [m.dilation, m.dilation] : m.dilation;
  const p = m.padding;
  if (p === 'valid') return [0, 0, 0, 0];
  if (p === 'same') {
    const th = dh * (kh - 1);
    const tw = dw * (kw - 1);
    return [Math.floor(th / 2), Math.floor(tw / 2), th - Math.floor(th / 2), tw - Math.floor(tw / 2)];
  }
  if (typeof p === 'number') return [p, p, p, p];
  return p.length === 2 ? [p[0], p[1], p[0], p[1]] : [p[0], p[2], p[1], p[3]];
}

const pairOf = (v: number | readonly number[]): number[] => (typeof v === 'number' ? [v, v] : [...v]);

function exportConv(ctx: ModuleExportContext, m: QuantizedConv2d, x: Tensor, y: Tensor): void {
  const [w, b] = dequantizedParams(ctx, m.q);
  const conv = ctx.op('Conv', b ? [qdq(ctx, ctx.input(x), m.input), w, b] : [qdq(ctx, ctx.input(x), m.input), w], {
    kernel_shape: m.kernelSize, strides: pairOf(m.stride), pads: convPads(m), dilations: pairOf(m.dilation), group: m.groups,
  });
  ctx.bind(y, qdq(ctx, m.activation === 'relu' ? ctx.op('Relu', [conv]) : conv, m.output));
}

function exportLinear(ctx: ModuleExportContext, m: QuantizedLinear, x: Tensor, y: Tensor): void {
  const [w, b] = dequantizedParams(ctx, m.q);
  const gemm = ctx.op('Gemm', b ? [qdq(ctx, ctx.input(x), m.input), w, b] : [qdq(ctx, ctx.input(x), m.input), w], {
    transB: 1, alpha: floatAttr(1), beta: floatAttr(1),
  });
  ctx.bind(y, qdq(ctx, m.activation === 'relu' ? ctx.op('Relu', [gemm]) : gemm, m.output));
}

let registered = false;

/**
 * Registers the ONNX exporters of the quantized modules with `@mapnn/onnx` (once): a
 * `QuantizedConv2d` becomes QuantizeLinear → DequantizeLinear on its input, int8 weight →
 * DequantizeLinear (per channel, axis 0), int32 bias → DequantizeLinear, Conv, Relu (fused)
 * and QuantizeLinear → DequantizeLinear on its output; a `QuantizedLinear` the same around a
 * Gemm (transB = 1) — the QDQ format ONNX Runtime turns into QLinearConv / QGemm.
 */
export function registerQdqExporters(): void {
  if (registered) return;
  registered = true;
  registerOnnxModuleExporter(QuantizedConv2d, {
    canExport: (_m, [x]) => (x as Tensor).rank === 4,
    export: (ctx, m, [x], y) => exportConv(ctx, m, x as Tensor, y as Tensor),
  });
  registerOnnxModuleExporter(QuantizedLinear, {
    canExport: (_m, [x]) => (x as Tensor).rank === 2,
    export: (ctx, m, [x], y) => exportLinear(ctx, m, x as Tensor, y as Tensor),
  });
  registerOnnxModuleExporter(FusedReLU, { export: (ctx, _m, [x], y) => ctx.bind(y as Tensor, ctx.input(x as Tensor)) });
}

/**
 * Writes a quantized model (`quantizeModel`) as an ONNX QDQ file, S8S8 as ONNX Runtime's
 * quantizer writes by default (int8 activations, per-channel int8 weights, int32 biases).
 * Opset 13 or newer (per-axis DequantizeLinear); the options are `exportOnnx`'s. The model is
 * traced with its layers in `compute: 'simulate'` (float tensors between them; int8 max pooling
 * becomes MaxPool between DequantizeLinear and QuantizeLinear of one scale, which ONNX Runtime
 * runs on int8).
 */
export function exportQdqOnnx(model: Parameters<typeof exportOnnx>[0], sample: Tensor, options: ExportOnnxOptions = {}): Uint8Array {
  registerQdqExporters();
  // traced in float: the simulation is the QDQ graph (the int8 path computes the same values)
  const layers = model.modules().filter((m): m is QuantizedConv2d | QuantizedLinear => m instanceof QuantizedConv2d || m instanceof QuantizedLinear);
  const modes = layers.map((m) => m.compute);
  layers.forEach((m) => (m.compute = 'simulate'));
  try {
    return exportOnnx(model, sample, options);
  } finally {
    layers.forEach((m, i) => (m.compute = modes[i]!));
  }
}
