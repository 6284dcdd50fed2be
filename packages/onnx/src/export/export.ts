import { concat, isTensor, noGrad, slice, tidy, keep, type Tensor } from '@mapnn/core';
import { GRU, LSTM, Module, MultiHeadAttention, RNN, TransformerEncoder, TransformerEncoderLayer } from '@mapnn/layers';
import { encodeModelProto } from '../proto/encode.js';
import type { IModelProto, INodeProto, ITypeProto, IValueInfoProto } from '../proto/onnx.js';
import { onnxFromDtype } from '../proto/tensor.js';
import { GraphBuilder } from './builder.js';
import { ExportState, type BatchInfo } from './context.js';
import { OnnxExportError } from './errors.js';
import { emitKernel } from './kernels.js';
import { moduleExporterFor } from './modules.js';
import { withHalfInitializers } from './half-precision.js';
import { flattenTensors, traceForward, type Rec, type Trace, type TraceHooks } from './trace.js';

/** Options of `exportOnnx`. */
export interface ExportOnnxOptions {
  /** Default-domain opset to write: 13 (default) to 17. LayerNorm is one LayerNormalization node from 17 on. */
  opset?: number;
  /** Graph input names (default 'input', or 'input_0', 'input_1', … for several). */
  inputNames?: readonly string[];
  /** Graph output names (default 'output', or 'output_0', … for several). */
  outputNames?: readonly string[];
  /**
   * Make the batch dim symbolic (dim_param 'batch') so the model runs with any batch size
   * (default true). The forward is traced twice (at the sample's batch size and one more) to
   * find which shapes follow the batch.
   */
  dynamicBatch?: boolean;
  /**
   * Axis of the batch dim of each input (null: the input has none). Default 0, or 1 for the
   * first input of a time-major (batchFirst false) RNN/LSTM/GRU/MultiHeadAttention/Transformer
   * encoder exported as the root.
   */
  batchAxes?: readonly (number | null)[];
  /** Model doc string. */
  docString?: string;
  /** Graph name (default: the model's class name). */
  graphName?: string;
  producerName?: string;
  producerVersion?: string;
  /**
   * Storage precision of the weights: 'float32' (default) or 'float16' — float32 initializers
   * of 16 or more elements are written as float16, each followed by a Cast to float32, so the
   * graph still computes in float32 with float32 inputs and outputs (about half the bytes;
   * see `withHalfInitializers`).
   */
  precision?: 'float32' | 'float16';
}

export const EXPORT_IR_VERSION = 8;
export const DEFAULT_EXPORT_OPSET = 13;
export const MAX_EXPORT_OPSET = 17;

const TIME_MAJOR_ROOTS = [RNN, LSTM, GRU, MultiHeadAttention, TransformerEncoderLayer];

function defaultBatchAxis(model: Module<any, any>, x: Tensor, index: number): number | null {
  if (x.rank === 0) return null;
  const root = model instanceof TransformerEncoder ? (model.layers.at(0) as Module<any, any>) : model;
  if (TIME_MAJOR_ROOTS.some((c) => root instanceof c)) {
    const batchFirst = (root as unknown as { batchFirst: boolean }).batchFirst;
    const rnn = root instanceof RNN || root instanceof LSTM || root instanceof GRU;
    if (rnn && index > 0) return 1; // initial states [layers·dirs, N, H]
    if (x.rank !== 3) return null; // unbatched
    return batchFirst ? 0 : 1;
  }
  return 0;
}

/** The sample with one more batch entry (its first one repeated), for the second trace. */
function growBatch(x: Tensor, axis: number): Tensor {
  const first = slice(x, [0], [1], [axis]);
  return keep(concat([x, first], axis));
}

function alignTraces(a: Trace, b: Trace, na: number, nb: number): Map<Tensor, Tensor> {
  const differs = (i: number, what: string) =>
    new OnnxExportError(
      `the forward runs differently at batch sizes ${na} and ${nb} (${what} at step ${i}); it cannot be exported with a dynamic batch — ` +
        'pass dynamicBatch: false to export it for the sample batch size only',
    );
  if (a.recs.length !== b.recs.length) throw differs(Math.min(a.recs.length, b.recs.length), `${a.recs.length} vs ${b.recs.length} recorded steps`);
  const pair = new Map<Tensor, Tensor>();
  const link = (xs: readonly Tensor[], ys: readonly Tensor[], i: number) => {
    if (xs.length !== ys.length) throw differs(i, 'different tensor counts');
    xs.forEach((t, k) => pair.set(t, ys[k]!));
  };
  a.recs.forEach((ra: Rec, i) => {
    const rb = b.recs[i]!;
    if (ra.kind === 'kernel' && rb.kind === 'kernel') {
      if (ra.op !== rb.op) throw differs(i, `kernel '${ra.op}' vs '${rb.op}'`);
      link(ra.inputs, rb.inputs, i);
      link([ra.output], [rb.output], i);
    } else if (ra.kind === 'module' && rb.kind === 'module') {
      if (ra.module !== rb.module) throw differs(i, `module '${ra.path}' vs '${rb.path}'`);
      link(flattenTensors(ra.args), flattenTensors(rb.args), i);
      link(flattenTensors(ra.output), flattenTensors(rb.output), i);
    } else {
      throw differs(i, 'a kernel and a module call');
    }
  });
  link(a.inputs, b.inputs, -1);
  link(a.outputs, b.outputs, a.recs.length);
  for (const [t, o] of a.aliases) {
    const other = pair.get(t);
    if (other && b.aliases.has(other)) pair.set(o, b.aliases.get(other)!);
  }
  return pair;
}

function tensorType(t: Tensor, dims: (number | string | null)[]): ITypeProto {
  return {
    tensorType: {
      elemType: onnxFromDtype(t.dtype),
      shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {})) },
    },
  };
}

/** Drops nodes nothing downstream of the outputs uses, and initializers no node reads. */
function prune(nodes: INodeProto[], outputs: string[]): INodeProto[] {
  const needed = new Set(outputs);
  const keepNodes: INodeProto[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    if (!(n.output ?? []).some((o) => needed.has(o))) continue;
    keepNodes.push(n);
    for (const v of n.input ?? []) if (v) needed.add(v);
  }
  return keepNodes.reverse();
}

/**
 * Traces `model` on `sample` and returns the ONNX ModelProto (see `exportOnnx`, which
 * serializes it).
 */
export function exportOnnxModel(model: Module<any, any>, sample: Tensor | readonly Tensor[], options: ExportOnnxOptions = {}): IModelProto {
  if (!(model instanceof Module)) throw new OnnxExportError('exportOnnx: the model must be a mapnn Module (from @mapnn/layers)');
  const precision = options.precision ?? 'float32';
  if (precision !== 'float32' && precision !== 'float16') {
    throw new OnnxExportError(`exportOnnx: precision must be 'float32' or 'float16', got '${String(precision)}'`);
  }
  const opset = options.opset ?? DEFAULT_EXPORT_OPSET;
  if (!Number.isInteger(opset) || opset < 13 || opset > MAX_EXPORT_OPSET) {
    throw new OnnxExportError(`exportOnnx: opset must be an integer from 13 to ${MAX_EXPORT_OPSET}, got ${opset}`);
  }
  const inputs = isTensor(sample) ? [sample] : [...sample];
  if (!inputs.length || !inputs.every(isTensor)) throw new OnnxExportError('exportOnnx: the sample input must be a tensor or an array of tensors');
  const inputNames = options.inputNames ?? (inputs.length === 1 ? ['input'] : inputs.map((_, i) => `input_${i}`));
  if (inputNames.length !== inputs.length) {
    throw new OnnxExportError(`exportOnnx: ${inputNames.length} input names for ${inputs.length} inputs`);
  }
  if (new Set(inputNames).size !== inputNames.length || inputNames.some((n) => !n)) throw new OnnxExportError('exportOnnx: input names must be distinct and non-empty');

  const paths = new Map<Module<any, any>, string>(model.namedModules().map(([n, m]) => [m, n]));
  const paramNames = new Map<Tensor, string>();
  for (const [k, t] of Object.entries(model.stateDict())) if (!paramNames.has(t)) paramNames.set(t, k);
  const hooks: TraceHooks = {
    paths,
    params: new Set(paramNames.keys()),
    exportWhole: (m, args) => {
      const e = moduleExporterFor(m);
      if (!e) return false;
      try {
        return e.canExport ? e.canExport(m, args, { opset }) : true;
      } catch {
        return false;
      }
    },
  };

  const dynamic = options.dynamicBatch ?? true;
  const axes = inputs.map((x, i) => {
    const a = options.batchAxes?.[i];
    const axis = a === undefined ? defaultBatchAxis(model, x, i) : a;
    if (axis !== null && (!Number.isInteger(axis) || axis < 0 || axis >= x.rank)) {
      throw new OnnxExportError(`exportOnnx: batch axis ${axis} of input ${i} is outside its shape [${x.shape.join(', ')}]`);
    }
    return axis;
  });
  const first = axes.findIndex((a) => a !== null);
  const useBatch = dynamic && first >= 0;

  const traceA = traceForward(model, inputs, hooks);
  let traceB: Trace | null = null;
  let batch: BatchInfo | null = null;
  if (useBatch) {
    const grown = noGrad(() => tidy(() => inputs.map((x, i) => (axes[i] === null ? x : growBatch(x, axes[i]!)))));
    try {
      traceB = traceForward(model, grown, hooks);
    } catch (e) {
      throw new OnnxExportError(
        `exportOnnx: the forward fails with one more sample in the batch (${e instanceof Error ? e.message : String(e)}); ` +
          'the batch size cannot be dynamic — pass dynamicBatch: false, or batchAxes if the batch is not dim 0',
        [],
        { cause: e },
      );
    } finally {
      grown.forEach((g, i) => g !== inputs[i] && g.dispose());
    }
    const na = inputs[first]!.shape[axes[first]!]!;
    batch = { a: na, b: na + 1, input: inputNames[first]!, axis: axes[first]! };
  }
  const pair = traceB ? alignTraces(traceA, traceB, batch!.a, batch!.b) : new Map<Tensor, Tensor>();

  const builder = new GraphBuilder(opset);
  for (const n of inputNames) builder.claim(n);
  const outputNames =
    options.outputNames ?? (traceA.outputs.length === 1 ? ['output'] : traceA.outputs.map((_, i) => `output_${i}`));
  if (outputNames.length !== traceA.outputs.length) {
    throw new OnnxExportError(`exportOnnx: ${outputNames.length} output names for ${traceA.outputs.length} outputs`);
  }
  if (!traceA.outputs.length) throw new OnnxExportError('exportOnnx: the forward returned no tensors');
  for (const n of outputNames) {
    if (!n || !builder.claim(n)) throw new OnnxExportError(`exportOnnx: output name '${n}' is empty or used twice (or is an input name)`);
  }

  const st = new ExportState(builder, traceA, traceB, pair, paramNames, batch);
  inputs.forEach((t, i) => st.names.set(t, inputNames[i]!));

  traceA.recs.forEach((rec, i) => {
    if (rec.kind === 'kernel') {
      const recB = traceB ? traceB.recs[i]! : null;
      if (!rec.folded) emitKernel(st, rec, recB && recB.kind === 'kernel' ? recB : null);
      return;
    }
    const recB = traceB?.recs[i];
    if (recB && recB.kind === 'module') {
      const [oa, ob] = [flattenTensors(rec.output), flattenTensors(recB.output)];
      if (oa.some((t, k) => t.shape.length !== ob[k]!.shape.length)) {
        st.problem(`${rec.module.constructor.name} '${rec.path || '(root)'}': an output's rank changes with the batch size; export with dynamicBatch: false`);
      }
    }
    const exporter = moduleExporterFor(rec.module)!;
    try {
      exporter.export(st.moduleContext(rec), rec.module, rec.args, rec.output);
    } catch (e) {
      st.problem(`${rec.module.constructor.name} '${rec.path || '(root)'}' could not be exported: ${e instanceof Error ? e.message : String(e)}`);
    }
    for (const t of flattenTensors(rec.output)) {
      if (!st.names.has(t)) st.problem(`the exporter of ${rec.module.constructor.name} '${rec.path || '(root)'}' left an output of shape [${t.shape.join(', ')}] unnamed`);
    }
  });

  // graph outputs: rename the producing node's value, or copy with Identity
  const producedBy = new Map<string, INodeProto>();
  for (const n of builder.nodes) for (const o of n.output ?? []) producedBy.set(o, n);
  const renamed = new Set<string>();
  const renames = new Map<string, string>();
  traceA.outputs.forEach((t, i) => {
    const v = st.value(t, '(output)');
    const want = outputNames[i]!;
    if (producedBy.has(v) && !renamed.has(v)) {
      renamed.add(v);
      renames.set(v, want);
    } else {
      builder.node('Identity', [v], {}, { outputs: [want] });
    }
  });
  if (renames.size) {
    for (const n of builder.nodes) {
      n.input = (n.input ?? []).map((v) => renames.get(v) ?? v);
      n.output = (n.output ?? []).map((v) => renames.get(v) ?? v);
    }
  }

  if (st.problems.size) {
    const list = [...st.problems].map(([m, k]) => (k > 1 ? `${m} (×${k})` : m));
    throw new OnnxExportError(
      `exportOnnx: cannot export ${model.constructor.name}: ${list.length} problem${list.length > 1 ? 's' : ''}:\n  - ${list.join('\n  - ')}`,
      list,
    );
  }

  const nodes = prune(builder.nodes, [...outputNames]);
  const used = new Set(nodes.flatMap((n) => n.input ?? []));
  const initializer = builder.initializers.filter((t) => used.has(t.name ?? ''));

  const na = batch?.a;
  const dimsOf = (t: Tensor): (number | string | null)[] => {
    const other = pair.get(t);
    return t.shape.map((d, k) => {
      if (!batch || !other || other.shape[k] === d) return d;
      return d === na && other.shape[k] === batch.b ? 'batch' : null;
    });
  };
  const input: IValueInfoProto[] = inputs.map((t, i) => ({
    name: inputNames[i],
    type: tensorType(
      t,
      t.shape.map((d, k) => (useBatch && axes[i] === k ? 'batch' : d)),
    ),
  }));
  const output: IValueInfoProto[] = traceA.outputs.map((t, i) => ({ name: outputNames[i], type: tensorType(t, dimsOf(t)) }));

  const proto: IModelProto = {
    irVersion: EXPORT_IR_VERSION,
    opsetImport: [{ domain: '', version: opset }],
    producerName: options.producerName ?? 'mapnn',
    producerVersion: options.producerVersion ?? '0.1.0',
    docString: options.docString ?? '',
    graph: {
      name: options.graphName ?? model.constructor.name,
      node: nodes,
      initializer,
      input,
      output,
      docString: model.describe(),
    },
  };
  return precision === 'float16' ? withHalfInitializers(proto) : proto;
}

/**
 * Exports a mapnn model (a Sequential, a subclassed Module, or an imported OnnxModule) to ONNX
 * bytes. The forward runs once (twice with `dynamicBatch`) on `sample` in eval mode without
 * gradients: known layers (Linear, Conv, pooling, BatchNorm, LayerNorm, activations,
 * Embedding, RNN/LSTM/GRU, MultiHeadAttention, …) become their ONNX ops, and every other
 * computation (residual adds, reshapes, concatenations, imported graphs …) is recorded kernel
 * by kernel. Parameters and buffers become initializers named by their state-dict keys.
 * Problems (unsupported kernels …) are reported together in one `OnnxExportError`.
 *
 * @example
 * const bytes = exportOnnx(model, randn([1, 3, 32, 32]), { inputNames: ['image'], outputNames: ['logits'] });
 */
export function exportOnnx(model: Module<any, any>, sample: Tensor | readonly Tensor[], options: ExportOnnxOptions = {}): Uint8Array {
  const bytes = encodeModelProto(exportOnnxModel(model, sample, options));
  // a plain Uint8Array over exactly the model bytes
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
