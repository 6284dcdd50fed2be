import type { Tensor } from '@mapnn/core';
import {
  AdaptiveAvgPool2d,
  AvgPool1d,
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv1d,
  Conv2d,
  ConvTranspose2d,
  Dropout,
  ELU,
  Embedding,
  Flatten,
  GELU,
  GlobalAvgPool2d,
  LayerNorm,
  LeakyReLU,
  Linear,
  LogSoftmax,
  MaxPool1d,
  MaxPool2d,
  PReLU,
  ReLU,
  SELU,
  Sigmoid,
  SiLU,
  Softmax,
  Softplus,
  Tanh,
  type BatchNormBase,
  type Module,
} from '@mapnn/layers';
import { float } from './builder.js';
import type { ModuleExportContext, ModuleExporter } from './context.js';
import { registerAttentionExporters } from './attention.js';
import { registerOnnxModuleExporters } from './onnx-module.js';
import { registerRecurrentExporters } from './recurrent.js';

type Ctor<M> = abstract new (...args: any[]) => M;

const registry = new Map<Function, ModuleExporter<any>>();
let builtinsRegistered = false;

/**
 * Registers how a module class is exported whole (instead of being traced op by op). Matches
 * the exact class (a subclass may change `forward`). Later registrations replace earlier ones.
 *
 * @example
 * registerOnnxModuleExporter(Swish, { export: (ctx, m, [x], y) => ctx.bind(y as Tensor, ctx.op('Mul', [ctx.input(x as Tensor), ctx.op('Sigmoid', [ctx.input(x as Tensor)])])) });
 */
export function registerOnnxModuleExporter<M extends Module<any, any>>(ctor: Ctor<M>, exporter: ModuleExporter<M>): void {
  registry.set(ctor, exporter);
}

/** The exporter registered for this module's class, if any. */
export function moduleExporterFor(m: Module<any, any>): ModuleExporter | undefined {
  registerBuiltinModuleExporters();
  return registry.get(m.constructor);
}

/** Module classes exported whole by default. */
export function builtinExportedModules(): string[] {
  registerBuiltinModuleExporters();
  return [...registry.keys()].map((c) => c.name);
}

// ---- small helpers

export const pair = (v: unknown, def: number): [number, number] =>
  v === undefined || v === null ? [def, def] : typeof v === 'number' ? [v, v] : [(v as number[])[0]!, ((v as number[])[1] ?? (v as number[])[0])!];
export const single = (v: unknown, def: number): number => (v === undefined || v === null ? def : typeof v === 'number' ? v : (v as number[])[0]!);

export function unsqueeze(ctx: ModuleExportContext, x: string, axes: number[]): string {
  return ctx.op('Unsqueeze', [x, ctx.ints(axes)]);
}
export function squeeze(ctx: ModuleExportContext, x: string, axes: number[]): string {
  return ctx.op('Squeeze', [x, ctx.ints(axes)]);
}
export function transpose(ctx: ModuleExportContext, x: string, perm: number[]): string {
  return ctx.op('Transpose', [x], { perm });
}

/** `x·Wᵀ (+ b)` for W [out, in]: Gemm for 2-D x, else MatMul with Wᵀ (+ Add). */
export function linear(ctx: ModuleExportContext, x: string, rank: number, w: string, b: string | null): string {
  if (rank === 2) return ctx.op('Gemm', b ? [x, w, b] : [x, w], { transB: 1 });
  const y = ctx.op('MatMul', [x, transpose(ctx, w, [1, 0])]);
  return b ? ctx.op('Add', [y, b]) : y;
}

/** Runs `body` on the input with a leading batch dim added when the input is unbatched. */
function batched(ctx: ModuleExportContext, x: Tensor, rank: number, body: (xi: string) => string): string {
  const xi = ctx.input(x);
  if (x.rank === rank) return body(xi);
  return squeeze(ctx, body(unsqueeze(ctx, xi, [0])), [0]);
}

/** One pooling dim: PyTorch's output length and ONNX's (ceil_mode without PyTorch's last-window rule). */
function poolAgrees(n: number, k: number, s: number, p: number, d: number, ceil: boolean): boolean {
  const span = n + 2 * p - d * (k - 1) - 1;
  if (!ceil) return true;
  let torch = Math.ceil(span / s) + 1;
  if ((torch - 1) * s >= n + p) torch--;
  return torch === Math.ceil(span / s) + 1;
}

function conv2dPads(padding: unknown, k: [number, number], d: [number, number]): [number, number, number, number] {
  if (padding === undefined || padding === 'valid') return [0, 0, 0, 0];
  if (padding === 'same') {
    const th = d[0] * (k[0] - 1);
    const tw = d[1] * (k[1] - 1);
    return [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
  }
  if (typeof padding === 'number') return [padding, padding, padding, padding];
  const p = padding as number[];
  return p.length === 2 ? [p[0]!, p[0]!, p[1]!, p[1]!] : [p[0]!, p[1]!, p[2]!, p[3]!];
}

function conv1dPads(padding: unknown, k: number, d: number): [number, number] {
  if (padding === undefined || padding === 'valid') return [0, 0];
  if (padding === 'same') {
    const t = d * (k - 1);
    return [Math.floor(t / 2), t - Math.floor(t / 2)];
  }
  if (typeof padding === 'number') return [padding, padding];
  const p = padding as number[];
  return p.length === 1 ? [p[0]!, p[0]!] : [p[0]!, p[1]!];
}

const unary = (opType: string): ModuleExporter => ({
  export: (ctx, _m, [x], y) => ctx.bind(y as Tensor, ctx.op(opType, [ctx.input(x as Tensor)])),
});

function batchNorm(): ModuleExporter<BatchNormBase> {
  return {
    canExport: (m) => m.trackRunningStats && !!m.running_mean && !!m.running_var,
    export: (ctx, m, [x], y) => {
      const C = m.numFeatures;
      const dt = m.running_mean!.dtype;
      const scale = m.weight ? ctx.input(m.weight) : ctx.constant(dt, [C], new Float32Array(C).fill(1), 'ones');
      const bias = m.bias ? ctx.input(m.bias) : ctx.constant(dt, [C], new Float32Array(C), 'zeros');
      const out = ctx.op('BatchNormalization', [ctx.input(x as Tensor), scale, bias, ctx.input(m.running_mean!), ctx.input(m.running_var!)], {
        epsilon: float(m.eps),
      });
      ctx.bind(y as Tensor, out);
    },
  };
}

export function registerBuiltinModuleExporters(): void {
  if (builtinsRegistered) return;
  builtinsRegistered = true;
  const reg = <M extends Module<any, any>>(c: Ctor<M>, e: ModuleExporter<M>) => {
    if (!registry.has(c)) registry.set(c, e);
  };

  reg(Linear, {
    export: (ctx, m, [x], y) => {
      const xt = x as Tensor;
      const out = linear(ctx, ctx.input(xt), xt.rank, ctx.input(m.weight), m.bias ? ctx.input(m.bias) : null);
      ctx.bind(y as Tensor, m.activation === 'relu' ? ctx.op('Relu', [out]) : out);
    },
  });

  reg(Conv2d, {
    canExport: (_m, [x]) => (x as Tensor).rank === 4 || (x as Tensor).rank === 3,
    export: (ctx, m, [x], y) => {
      const k = m.kernelSize;
      const d = pair(m.dilation, 1);
      const [t, b, l, r] = conv2dPads(m.padding, k, d);
      const out = batched(ctx, x as Tensor, 4, (xi) =>
        ctx.op('Conv', m.bias ? [xi, ctx.input(m.weight), ctx.input(m.bias)] : [xi, ctx.input(m.weight)], {
          kernel_shape: k,
          strides: pair(m.stride, 1),
          pads: [t, l, b, r],
          dilations: d,
          group: m.groups,
        }),
      );
      ctx.bind(y as Tensor, m.activation === 'relu' ? ctx.op('Relu', [out]) : out);
    },
  });

  reg(Conv1d, {
    canExport: (_m, [x]) => (x as Tensor).rank === 3 || (x as Tensor).rank === 2,
    export: (ctx, m, [x], y) => {
      const out = batched(ctx, x as Tensor, 3, (xi) =>
        ctx.op('Conv', m.bias ? [xi, ctx.input(m.weight), ctx.input(m.bias)] : [xi, ctx.input(m.weight)], {
          kernel_shape: [m.kernelSize],
          strides: [m.stride],
          pads: conv1dPads(m.padding, m.kernelSize, m.dilation),
          dilations: [m.dilation],
          group: m.groups,
        }),
      );
      ctx.bind(y as Tensor, out);
    },
  });

  reg(ConvTranspose2d, {
    canExport: (_m, [x]) => (x as Tensor).rank === 4 || (x as Tensor).rank === 3,
    export: (ctx, m, [x], y) => {
      const [ph, pw] = pair(m.padding, 0);
      const out = batched(ctx, x as Tensor, 4, (xi) =>
        ctx.op('ConvTranspose', m.bias ? [xi, ctx.input(m.weight), ctx.input(m.bias)] : [xi, ctx.input(m.weight)], {
          kernel_shape: m.kernelSize,
          strides: pair(m.stride, 1),
          pads: [ph, pw, ph, pw],
          output_padding: pair(m.outputPadding, 0),
          dilations: pair(m.dilation, 1),
          group: m.groups,
        }),
      );
      ctx.bind(y as Tensor, out);
    },
  });

  const pool2d = (kind: 'max' | 'avg'): ModuleExporter<MaxPool2d | AvgPool2d> => ({
    canExport: (m, [x]) => {
      const t = x as Tensor;
      if (t.rank !== 4 && t.rank !== 3) return false;
      const o = m.options as MaxPool2d['options'] & AvgPool2d['options'];
      if (kind === 'avg' && (o.ceilMode || o.divisorOverride !== undefined)) return false;
      const k = pair(o.kernelSize, 1);
      const s = o.stride === undefined || o.stride === null ? k : pair(o.stride, 1);
      const p = pair(o.padding, 0);
      const d = pair(o.dilation, 1);
      const [H, W] = t.shape.slice(-2) as [number, number];
      return poolAgrees(H, k[0], s[0], p[0], d[0], !!o.ceilMode) && poolAgrees(W, k[1], s[1], p[1], d[1], !!o.ceilMode);
    },
    export: (ctx, m, [x], y) => {
      const o = m.options as MaxPool2d['options'] & AvgPool2d['options'];
      const k = pair(o.kernelSize, 1);
      const s = o.stride === undefined || o.stride === null ? k : pair(o.stride, 1);
      const [ph, pw] = pair(o.padding, 0);
      const out = batched(ctx, x as Tensor, 4, (xi) =>
        kind === 'max'
          ? ctx.op('MaxPool', [xi], { kernel_shape: k, strides: s, pads: [ph, pw, ph, pw], dilations: pair(o.dilation, 1), ceil_mode: o.ceilMode ? 1 : 0 })
          : ctx.op('AveragePool', [xi], { kernel_shape: k, strides: s, pads: [ph, pw, ph, pw], count_include_pad: o.countIncludePad === false ? 0 : 1 }),
      );
      ctx.bind(y as Tensor, out);
    },
  });
  reg(MaxPool2d, pool2d('max'));
  reg(AvgPool2d, pool2d('avg'));

  const pool1d = (kind: 'max' | 'avg'): ModuleExporter<MaxPool1d | AvgPool1d> => ({
    canExport: (m, [x]) => {
      const t = x as Tensor;
      if (t.rank !== 3 && t.rank !== 2) return false;
      const o = m.options as MaxPool1d['options'] & AvgPool1d['options'];
      if (kind === 'avg' && o.ceilMode) return false;
      const k = single(o.kernelSize, 1);
      const s = o.stride === undefined || o.stride === null ? k : single(o.stride, 1);
      return poolAgrees(t.shape[t.rank - 1]!, k, s, single(o.padding, 0), single(o.dilation, 1), !!o.ceilMode);
    },
    export: (ctx, m, [x], y) => {
      const o = m.options as MaxPool1d['options'] & AvgPool1d['options'];
      const k = single(o.kernelSize, 1);
      const s = o.stride === undefined || o.stride === null ? k : single(o.stride, 1);
      const p = single(o.padding, 0);
      const out = batched(ctx, x as Tensor, 3, (xi) =>
        kind === 'max'
          ? ctx.op('MaxPool', [xi], { kernel_shape: [k], strides: [s], pads: [p, p], dilations: [single(o.dilation, 1)], ceil_mode: o.ceilMode ? 1 : 0 })
          : ctx.op('AveragePool', [xi], { kernel_shape: [k], strides: [s], pads: [p, p], count_include_pad: o.countIncludePad === false ? 0 : 1 }),
      );
      ctx.bind(y as Tensor, out);
    },
  });
  reg(MaxPool1d, pool1d('max'));
  reg(AvgPool1d, pool1d('avg'));

  reg(AdaptiveAvgPool2d, {
    canExport: (m, [x]) => {
      const t = x as Tensor;
      if (t.rank !== 4) return false;
      const [H, W] = t.shape.slice(2) as [number, number];
      const os = m.outputSize;
      const [oh, ow] = typeof os === 'number' ? [os, os] : [os[0] ?? H, os[1] ?? W];
      return (oh === 1 && ow === 1) || (H % oh === 0 && W % ow === 0);
    },
    export: (ctx, m, [x], y) => {
      const t = x as Tensor;
      const [H, W] = t.shape.slice(2) as [number, number];
      const os = m.outputSize;
      const [oh, ow] = typeof os === 'number' ? [os, os] : [os[0] ?? H, os[1] ?? W];
      const xi = ctx.input(t);
      let out: string;
      if (oh === 1 && ow === 1) out = ctx.op('GlobalAveragePool', [xi]);
      else if (oh === H && ow === W) out = ctx.op('Identity', [xi]);
      else out = ctx.op('AveragePool', [xi], { kernel_shape: [H / oh, W / ow], strides: [H / oh, W / ow] });
      ctx.bind(y as Tensor, out);
    },
  });

  reg(GlobalAvgPool2d, {
    canExport: (_m, [x]) => (x as Tensor).rank === 4,
    export: (ctx, m, [x], y) => {
      const g = ctx.op('GlobalAveragePool', [ctx.input(x as Tensor)]);
      ctx.bind(y as Tensor, m.keepDims ? g : ctx.op('Flatten', [g], { axis: 1 }));
    },
  });

  reg(BatchNorm1d, batchNorm());
  reg(BatchNorm2d, batchNorm());

  reg(LayerNorm, {
    export: (ctx, m, [x], y) => {
      const k = m.normalizedShape.length;
      const dt = (x as Tensor).dtype;
      const xi = ctx.input(x as Tensor);
      const w = m.weight ? ctx.input(m.weight) : null;
      const b = m.bias ? ctx.input(m.bias) : null;
      let out: string;
      if (ctx.opset >= 17) {
        const n = m.normalizedShape.reduce((p, q) => p * q, 1);
        const scale = w ?? ctx.constant(dt, m.normalizedShape, new Float32Array(n).fill(1), 'ones');
        out = ctx.op('LayerNormalization', b ? [xi, scale, b] : [xi, scale], { axis: -k, epsilon: float(m.eps) });
      } else {
        const axes = Array.from({ length: k }, (_, i) => i - k);
        const mu = ctx.op('ReduceMean', [xi], { axes, keepdims: 1 });
        const d = ctx.op('Sub', [xi, mu]);
        const v = ctx.op('ReduceMean', [ctx.op('Mul', [d, d])], { axes, keepdims: 1 });
        out = ctx.op('Div', [d, ctx.op('Sqrt', [ctx.op('Add', [v, ctx.scalar(m.eps, dt)])])]);
        if (w) out = ctx.op('Mul', [out, w]);
        if (b) out = ctx.op('Add', [out, b]);
      }
      ctx.bind(y as Tensor, out);
    },
  });

  reg(Embedding, {
    export: (ctx, m, [x], y) => ctx.bind(y as Tensor, ctx.op('Gather', [ctx.input(m.weight), ctx.input(x as Tensor)], { axis: 0 })),
  });

  // eval mode: dropout is the identity
  reg(Dropout, { export: (ctx, _m, [x], y) => ctx.bind(y as Tensor, ctx.input(x as Tensor)) });

  reg(ReLU, unary('Relu'));
  reg(Sigmoid, unary('Sigmoid'));
  reg(Tanh, unary('Tanh'));
  reg(LeakyReLU, { export: (ctx, m, [x], y) => ctx.bind(y as Tensor, ctx.op('LeakyRelu', [ctx.input(x as Tensor)], { alpha: float(m.negativeSlope) })) });
  reg(ELU, { export: (ctx, m, [x], y) => ctx.bind(y as Tensor, ctx.op('Elu', [ctx.input(x as Tensor)], { alpha: float(m.alpha) })) });
  reg(SELU, {
    export: (ctx, _m, [x], y) =>
      ctx.bind(y as Tensor, ctx.op('Selu', [ctx.input(x as Tensor)], { alpha: float(1.6732632423543772), gamma: float(1.0507009873554805) })),
  });
  reg(Softmax, { export: (ctx, m, [x], y) => ctx.bind(y as Tensor, ctx.op('Softmax', [ctx.input(x as Tensor)], { axis: m.dim })) });
  reg(LogSoftmax, { export: (ctx, m, [x], y) => ctx.bind(y as Tensor, ctx.op('LogSoftmax', [ctx.input(x as Tensor)], { axis: m.dim })) });
  reg(GELU, {
    export: (ctx, m, [x], y) => {
      const xi = ctx.input(x as Tensor);
      const dt = (x as Tensor).dtype;
      const half = ctx.op('Mul', [xi, ctx.scalar(0.5, dt)]);
      let inner: string;
      if (m.approximate === 'tanh') {
        const cube = ctx.op('Mul', [ctx.op('Mul', [xi, xi]), xi]);
        const arg = ctx.op('Mul', [ctx.op('Add', [xi, ctx.op('Mul', [cube, ctx.scalar(0.044715, dt)])]), ctx.scalar(Math.sqrt(2 / Math.PI), dt)]);
        inner = ctx.op('Tanh', [arg]);
      } else {
        inner = ctx.op('Erf', [ctx.op('Mul', [xi, ctx.scalar(Math.SQRT1_2, dt)])]);
      }
      ctx.bind(y as Tensor, ctx.op('Mul', [half, ctx.op('Add', [inner, ctx.scalar(1, dt)])]));
    },
  });
  reg(Softplus, {
    export: (ctx, m, [x], y) => {
      const xi = ctx.input(x as Tensor);
      const dt = (x as Tensor).dtype;
      const bx = m.beta === 1 ? xi : ctx.op('Mul', [xi, ctx.scalar(m.beta, dt)]);
      let sp = ctx.op('Softplus', [bx]);
      if (m.beta !== 1) sp = ctx.op('Div', [sp, ctx.scalar(m.beta, dt)]);
      // linear above the threshold, as PyTorch
      ctx.bind(y as Tensor, ctx.op('Where', [ctx.op('Greater', [bx, ctx.scalar(m.threshold, dt)]), xi, sp]));
    },
  });
  reg(SiLU, {
    export: (ctx, _m, [x], y) => {
      const xi = ctx.input(x as Tensor);
      ctx.bind(y as Tensor, ctx.op('Mul', [xi, ctx.op('Sigmoid', [xi])]));
    },
  });
  reg(PReLU, {
    canExport: (m, [x]) => m.numWeights === 1 || (x as Tensor).rank >= 2,
    export: (ctx, m, [x], y) => {
      const t = x as Tensor;
      let slope = ctx.input(m.weight);
      if (m.numWeights > 1) slope = ctx.op('Reshape', [slope, ctx.ints([m.numWeights, ...Array.from({ length: t.rank - 2 }, () => 1)])]);
      ctx.bind(y as Tensor, ctx.op('PRelu', [ctx.input(t), slope]));
    },
  });

  reg(Flatten, {
    export: (ctx, m, [x], y) => {
      const t = x as Tensor;
      const r = t.rank;
      const xi = ctx.input(t);
      if (r === 0) return ctx.bind(y as Tensor, ctx.op('Reshape', [xi, ctx.ints([1])]));
      const s = m.startDim < 0 ? m.startDim + r : m.startDim;
      const e = m.endDim < 0 ? m.endDim + r : m.endDim;
      let out: string;
      if (s === e) out = xi;
      else if (e === r - 1 && s === 1) out = ctx.op('Flatten', [xi], { axis: 1 });
      else if (e === r - 1 && s === 0) out = ctx.op('Reshape', [xi, ctx.ints([-1])]);
      else out = ctx.op('Reshape', [xi, ctx.ints([...Array.from({ length: s }, () => 0), -1, ...t.shape.slice(e + 1)])]);
      ctx.bind(y as Tensor, out);
    },
  });

  registerRecurrentExporters(reg);
  registerAttentionExporters(reg);
  registerOnnxModuleExporters(reg);
}
