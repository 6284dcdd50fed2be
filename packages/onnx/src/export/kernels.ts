import type { DType } from '@mapnn/core';
import { onnxFromDtype } from '../proto/tensor.js';
import { INT64_END, type AttrValue } from './builder.js';
import type { ExportState } from './context.js';
import type { KernelRec } from './trace.js';

const UNARY: Record<string, string> = {
  neg: 'Neg',
  abs: 'Abs',
  sign: 'Sign',
  floor: 'Floor',
  ceil: 'Ceil',
  round: 'Round', // both half-to-even
  exp: 'Exp',
  log: 'Log',
  sqrt: 'Sqrt',
  sin: 'Sin',
  cos: 'Cos',
  tanh: 'Tanh',
  erf: 'Erf',
  reciprocal: 'Reciprocal',
  sigmoid: 'Sigmoid',
  logicalNot: 'Not',
};

const BINARY: Record<string, string> = {
  add: 'Add',
  sub: 'Sub',
  mul: 'Mul',
  div: 'Div',
  pow: 'Pow',
  minimum: 'Min',
  eq: 'Equal',
  lt: 'Less',
  le: 'LessOrEqual',
  gt: 'Greater',
  ge: 'GreaterOrEqual',
  logicalAnd: 'And',
  logicalOr: 'Or',
  logicalXor: 'Xor',
};

const REDUCE: Record<string, string> = { sum: 'ReduceSum', prod: 'ReduceProd', max: 'ReduceMax', min: 'ReduceMin' };

/** Kernels (and views) the exporter maps to ONNX; the others are reported as unsupported. */
export const EXPORTABLE_KERNELS: readonly string[] = [
  ...Object.keys(UNARY),
  ...Object.keys(BINARY),
  ...Object.keys(REDUCE),
  'maximum', 'ne', 'expm1', 'log1p', 'mod', 'where', 'cast', 'argmax', 'argmin', 'broadcastTo', 'transpose', 'slice', 'pad',
  'concat', 'gather', 'indexSelect', 'scatter', 'scatterAdd', 'matmul', 'fusedMatmul', 'maxPool2d', 'reshape', 'unfold2d', 'fold2d', 'conv2d', 'fusedConv2d',
];

/** Attributes whose values may follow the batch size (handled per op below). */
const DYNAMIC_ATTRS: Record<string, string[]> = { reshape: ['shape'], broadcastTo: ['shape'], slice: ['begin', 'size'] };

const FLOAT_MAX = 3.4028234663852886e38;

const pair2 = (v: unknown, def: number): [number, number] =>
  v === undefined || v === null ? [def, def] : typeof v === 'number' ? [v, v] : [(v as number[])[0]!, (v as number[])[1]!];

/**
 * Emits the ONNX node(s) of one traced kernel call. `recB` is the same call in the trace at
 * the second batch size (null without a dynamic batch).
 */
export function emitKernel(st: ExportState, rec: KernelRec, recB: KernelRec | null): void {
  const b = st.builder;
  const scope = rec.scope;
  const x = (i: number) => st.value(rec.inputs[i]!, scope);
  const node = (op: string, ins: readonly string[], attrs: Record<string, AttrValue | undefined> = {}) => b.node(op, ins, attrs, { scope })[0]!;
  const out = (name: string) => st.bindKernel(rec, name);
  const inShape = (i: number) => rec.inputs[i]!.shape;
  const dtype = rec.inputs[0]?.dtype ?? rec.output.dtype;
  const where = scope ? ` in '${scope}'` : '';
  /** A fused kernel's `activation` applied to its ONNX value (fusedMatmul, fusedConv2d). */
  const activated = (y: string): string => {
    const act = (rec.attrs.activation as string | undefined) ?? 'none';
    if (act === 'relu') return node('Relu', [y]);
    if (act !== 'none') {
      st.problem(`kernel '${rec.op}'${where}: activation '${act}' has no ONNX mapping`);
      return b.unique('unsupported');
    }
    return y;
  };

  if (recB && recB.output.shape.length !== rec.output.shape.length) {
    st.problem(
      `kernel '${rec.op}'${where}: its output rank changes with the batch size ([${rec.output.shape.join(', ')}] vs [${recB.output.shape.join(', ')}], ` +
        'e.g. a squeeze of a batch of 1); export with another sample batch size or dynamicBatch: false',
    );
  }
  if (recB) {
    const fixed = Object.keys(rec.attrs).filter((k) => !(DYNAMIC_ATTRS[rec.op] ?? []).includes(k));
    const changed = fixed.filter((k) => JSON.stringify(rec.attrs[k]) !== JSON.stringify(recB.attrs[k]));
    if (changed.length) {
      st.problem(`kernel '${rec.op}'${where}: attribute ${changed.join(', ')} changes with the batch size; export with dynamicBatch: false`);
    }
  }

  const unary = UNARY[rec.op];
  if (unary) return out(node(unary, [x(0)]));
  const binary = BINARY[rec.op];
  if (binary) return out(node(binary, [x(0), x(1)]));
  const reduce = REDUCE[rec.op];
  if (reduce) {
    const axes = rec.attrs.axes as number[];
    const boolIn = dtype === 'bool';
    let v = boolIn ? node('Cast', [x(0)], { to: onnxFromDtype('int32') }) : x(0);
    v = reduce === 'ReduceSum' ? node(reduce, [v, b.ints(axes)], { keepdims: 0 }) : node(reduce, [v], { axes, keepdims: 0 });
    return out(boolIn ? node('Cast', [v], { to: onnxFromDtype('bool') }) : v);
  }

  switch (rec.op) {
    case 'maximum': {
      // relu(x) = maximum(x, 0) with a constant zero
      const zeroAt = [0, 1].find((i) => {
        const s = st.a.snapshots.get(rec.inputs[i]!);
        return s && s.data.every((v) => v === 0) && rec.inputs[1 - i]!.shape.length === rec.output.shape.length &&
          rec.inputs[1 - i]!.shape.every((d, k) => d === rec.output.shape[k]);
      });
      if (zeroAt !== undefined && dtype !== 'bool') return out(node('Relu', [x(1 - zeroAt)]));
      return out(node('Max', [x(0), x(1)]));
    }
    case 'ne':
      return out(node('Not', [node('Equal', [x(0), x(1)])]));
    case 'expm1':
      return out(node('Sub', [node('Exp', [x(0)]), b.scalar(1, dtype)]));
    case 'log1p':
      return out(node('Log', [node('Add', [x(0), b.scalar(1, dtype)])]));
    case 'mod': {
      if (dtype === 'float32' || dtype === 'float64' || dtype === 'float16') {
        // floor-mod (Python): a − floor(a/b)·b
        const [a, d] = [x(0), x(1)];
        return out(node('Sub', [a, node('Mul', [node('Floor', [node('Div', [a, d])]), d])]));
      }
      return out(node('Mod', [x(0), x(1)], { fmod: 0 }));
    }
    case 'where':
      return out(node('Where', [x(0), x(1), x(2)]));
    case 'cast':
      return out(node('Cast', [x(0)], { to: onnxFromDtype(rec.attrs.dtype as DType) }));
    case 'argmax':
    case 'argmin':
      return out(node(rec.op === 'argmax' ? 'ArgMax' : 'ArgMin', [x(0)], { axis: rec.attrs.axis as number, keepdims: 0 }));
    case 'transpose':
      return out(node('Transpose', [x(0)], { perm: rec.attrs.perm as number[] }));
    case 'concat':
      return out(node('Concat', rec.inputs.map((_, i) => x(i)), { axis: rec.attrs.axis as number }));
    case 'gather':
      return out(node('GatherElements', [x(0), x(1)], { axis: rec.attrs.axis as number }));
    case 'indexSelect':
      return out(node('Gather', [x(0), x(1)], { axis: rec.attrs.axis as number }));
    case 'scatter':
      return out(node('ScatterElements', [x(0), x(1), x(2)], { axis: rec.attrs.axis as number }));
    case 'scatterAdd':
      if (st.opset < 16) {
        st.problem(`kernel 'scatterAdd'${where}: ScatterElements with reduction 'add' needs opset 16 or newer (exporting opset ${st.opset})`);
        return out(b.unique('unsupported'));
      }
      return out(node('ScatterElements', [x(0), x(1), x(2)], { axis: rec.attrs.axis as number, reduction: 'add' }));
    case 'matmul':
    case 'fusedMatmul': {
      const t = (v: string) => node('Transpose', [v], { perm: [0, 2, 1] });
      const a = rec.attrs.transA ? t(x(0)) : x(0);
      const m = rec.attrs.transB ? t(x(1)) : x(1);
      const y = node('MatMul', [a, m]);
      if (rec.op === 'matmul') return out(y);
      return out(activated(rec.inputs.length > 2 ? node('Add', [y, x(2)]) : y));
    }
    case 'reshape': {
      const name = st.reshapeTo(x(0), rec.output.shape, recB?.output.shape ?? rec.output.shape, scope, inShape(0), recB?.inputs[0]!.shape);
      return out(name);
    }
    case 'broadcastTo':
      return out(node('Expand', [x(0), expandShape(st, rec, recB)]));
    case 'slice':
      return out(emitSlice(st, rec, recB, node, x(0)));
    case 'pad': {
      const pads = rec.attrs.pads as number[];
      const rank = inShape(0).length;
      const onnxPads = [...Array.from({ length: rank }, (_, i) => pads[2 * i] ?? 0), ...Array.from({ length: rank }, (_, i) => pads[2 * i + 1] ?? 0)];
      const mode = (rec.attrs.mode as string | undefined) ?? 'constant';
      const ins = [x(0), b.ints(onnxPads)];
      if (mode === 'constant') ins.push(b.scalar((rec.attrs.value as number | undefined) ?? 0, dtype));
      return out(node('Pad', ins, { mode }));
    }
    case 'conv2d':
    case 'fusedConv2d': {
      const [t, bo, l, r] = (rec.attrs.pads as number[] | undefined) ?? [0, 0, 0, 0];
      const y = node('Conv', rec.inputs.length > 2 ? [x(0), x(1), x(2)] : [x(0), x(1)], {
        strides: pair2(rec.attrs.stride, 1),
        pads: [t, l, bo, r],
        dilations: pair2(rec.attrs.dilation, 1),
        group: (rec.attrs.groups as number | undefined) ?? 1,
      });
      return out(rec.op === 'fusedConv2d' ? activated(y) : y);
    }
    case 'maxPool2d': {
      // two records share the call: the values (MaxPool) and the window-local argmax indices,
      // which only the gradient reads (ONNX's Indices output counts over the whole input instead)
      if (rec.output.dtype === 'int32') return out(b.unique('maxpool_window_indices'));
      const [t, bo, l, r] = rec.attrs.pads as number[];
      return out(
        node('MaxPool', [x(0)], {
          kernel_shape: pair2(rec.attrs.kernel, 1),
          strides: pair2(rec.attrs.stride, 1),
          pads: [t!, l!, bo!, r!],
          dilations: pair2(rec.attrs.dilation, 1),
        }),
      );
    }
    case 'unfold2d':
      return out(emitUnfold(st, rec, node, x(0), dtype));
    case 'fold2d':
      return out(emitFold(st, rec, node, x(0), dtype));
  }
  st.problem(`kernel '${rec.op}'${where} has no ONNX mapping`);
  out(b.unique('unsupported'));
}

/** Expand's shape: 1 where the input already has the (batch-sized) dim, else a computed dim. */
function expandShape(st: ExportState, rec: KernelRec, recB: KernelRec | null): string {
  const a = rec.output.shape;
  const bb = recB?.output.shape ?? a;
  if (a.every((d, i) => d === bb[i])) return st.builder.ints(a);
  const inA = rec.inputs[0]!.shape;
  const inB = recB!.inputs[0]!.shape;
  const off = a.length - inA.length;
  const dims = a.map((d, i) => {
    if (d === bb[i]) return d;
    const j = i - off;
    return j >= 0 && inA[j] === d && inB[j] === bb[i] ? 1 : null;
  });
  if (dims.every((d) => d !== null)) return st.builder.ints(dims as number[]);
  return st.shapeValue(a, bb);
}

/** Slice of the per-dim begin/size/step kernel; batch-sized dims run to the end (or from it). */
function emitSlice(
  st: ExportState,
  rec: KernelRec,
  recB: KernelRec | null,
  node: (op: string, ins: readonly string[], attrs?: Record<string, AttrValue | undefined>) => string,
  input: string,
): string {
  const begin = rec.attrs.begin as number[];
  const size = rec.attrs.size as number[];
  const step = (rec.attrs.step as number[] | undefined) ?? size.map(() => 1);
  const dimsA = rec.inputs[0]!.shape;
  const beginB = (recB?.attrs.begin as number[] | undefined) ?? begin;
  const sizeB = (recB?.attrs.size as number[] | undefined) ?? size;
  const dimsB = recB?.inputs[0]!.shape ?? dimsA;
  const starts: number[] = [];
  const ends: number[] = [];
  const axes: number[] = [];
  const steps: number[] = [];
  for (let i = 0; i < begin.length; i++) {
    const [s0, n, st0, d] = [begin[i]!, size[i]!, step[i]!, dimsA[i]!];
    const full = (bg: number, sz: number, dm: number) => bg === 0 && st0 === 1 && sz === dm;
    if (full(s0, n, d) && full(beginB[i]!, sizeB[i]!, dimsB[i]!)) continue;
    const dynamic = d !== dimsB[i] || s0 !== beginB[i] || n !== sizeB[i];
    let start = s0;
    let end = s0 + n * st0;
    if (dynamic) {
      // start counted from the end when it moves with the dim
      if (s0 !== beginB[i]) {
        if (s0 - d === beginB[i]! - dimsB[i]!) start = s0 - d;
        else {
          st.problem(`kernel 'slice'${rec.scope ? ` in '${rec.scope}'` : ''}: its start on dim ${i} follows the batch size in a way ONNX Slice cannot express`);
        }
      }
      const reachesEnd = (bg: number, sz: number, dm: number) => (st0 > 0 ? bg + sz * st0 === dm : bg + sz * st0 === -1);
      if (reachesEnd(s0, n, d) && reachesEnd(beginB[i]!, sizeB[i]!, dimsB[i]!)) end = st0 > 0 ? INT64_END : -INT64_END;
      else if (n === sizeB[i]) {
        end = start + n * st0;
        if (start < 0 && st0 > 0 && end >= 0) end = INT64_END;
      } else {
        st.problem(`kernel 'slice'${rec.scope ? ` in '${rec.scope}'` : ''}: its length on dim ${i} follows the batch size in a way ONNX Slice cannot express`);
      }
    } else if (st0 < 0 && end < 0) {
      end = -INT64_END; // through index 0 (a literal −1 would mean the last element)
    }
    starts.push(start);
    ends.push(end);
    axes.push(i);
    steps.push(st0);
  }
  if (!axes.length) return node('Identity', [input]);
  const b = st.builder;
  const ins = [input, b.ints(starts), b.ints(ends), b.ints(axes)];
  if (steps.some((s) => s !== 1)) ins.push(b.ints(steps));
  return node('Slice', ins);
}

/** One-hot filters [C·kh·kw, 1, kh, kw] that copy each window element to its own channel. */
function identityFilters(st: ExportState, C: number, kh: number, kw: number, dtype: DType): string {
  const kk = kh * kw;
  const w = new Float64Array(C * kk * kk);
  for (let c = 0; c < C; c++) for (let j = 0; j < kk; j++) w[(c * kk + j) * kk + j] = 1;
  return st.builder.constant(dtype, [C * kk, 1, kh, kw], w, 'im2col_filters');
}

/** unfold2d (im2col) as a grouped convolution with one-hot filters, reshaped to [N, C·kh·kw, L]. */
function emitUnfold(
  st: ExportState,
  rec: KernelRec,
  node: (op: string, ins: readonly string[], attrs?: Record<string, AttrValue | undefined>) => string,
  input: string,
  dtype: DType,
): string {
  const C = rec.inputs[0]!.shape[1]!;
  const [kh, kw] = pair2(rec.attrs.kernel, 1);
  const [t, bo, l, r] = (rec.attrs.pads as number[] | undefined) ?? [0, 0, 0, 0];
  const padValue = (rec.attrs.padValue as number | undefined) ?? 0;
  let x = input;
  let pads = [t, l, bo, r];
  if (padValue !== 0 && pads.some((p) => p > 0)) {
    // the filters multiply every element, so the pad value must be finite (−∞ → −FLT_MAX)
    const v = Number.isFinite(padValue) ? padValue : padValue > 0 ? FLOAT_MAX : -FLOAT_MAX;
    x = node('Pad', [x, st.builder.ints([0, 0, t, l, 0, 0, bo, r]), st.builder.scalar(v, dtype)], { mode: 'constant' });
    pads = [0, 0, 0, 0];
  }
  const y = node('Conv', [x, identityFilters(st, C, kh, kw, dtype)], {
    kernel_shape: [kh, kw],
    strides: pair2(rec.attrs.stride, 1),
    pads,
    dilations: pair2(rec.attrs.dilation, 1),
    group: C,
  });
  const [, K, L] = rec.output.shape as [number, number, number];
  return node('Reshape', [y, st.builder.ints([0, K, L])]);
}

/** fold2d (col2im) as a grouped transposed convolution with one-hot filters. */
function emitFold(
  st: ExportState,
  rec: KernelRec,
  node: (op: string, ins: readonly string[], attrs?: Record<string, AttrValue | undefined>) => string,
  input: string,
  dtype: DType,
): string {
  const [, C, H, W] = rec.output.shape as [number, number, number, number];
  const [kh, kw] = pair2(rec.attrs.kernel, 1);
  const [sh, sw] = pair2(rec.attrs.stride, 1);
  const [dh, dw] = pair2(rec.attrs.dilation, 1);
  const [t, bo, l, r] = (rec.attrs.pads as number[] | undefined) ?? [0, 0, 0, 0];
  const oh = Math.floor((H + t + bo - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((W + l + r - dw * (kw - 1) - 1) / sw) + 1;
  const cols = node('Reshape', [input, st.builder.ints([0, C * kh * kw, oh, ow])]);
  const outPad = [H - ((oh - 1) * sh + dh * (kh - 1) + 1 - t - bo), W - ((ow - 1) * sw + dw * (kw - 1) + 1 - l - r)];
  return node('ConvTranspose', [cols, identityFilters(st, C, kh, kw, dtype)], {
    kernel_shape: [kh, kw],
    strides: [sh, sw],
    pads: [t, l, bo, r],
    dilations: [dh, dw],
    output_padding: outPad,
    group: C,
  });
}
