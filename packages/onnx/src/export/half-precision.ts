import { float32ToFloat16Bits } from '@mapnn/core';
import { hostToTensorProto } from '../proto/encode.js';
import { AttributeType, DataType, type IModelProto, type INodeProto, type ITensorProto } from '../proto/onnx.js';
import { decodeTensor } from '../proto/tensor.js';

/** The largest finite float16. */
export const FLOAT16_MAX = 65504;

/** Initializers with fewer elements stay float32 (scalars, epsilons: no bytes to win, precision to lose). */
export const HALF_MIN_ELEMENTS = 16;

/** The float16 bits of `v`, finite values clamped to ±65504 (as onnxconverter-common's convert_float_to_float16). */
function halfBits(v: number): number {
  const c = Number.isFinite(v) ? Math.min(FLOAT16_MAX, Math.max(-FLOAT16_MAX, v)) : v;
  return float32ToFloat16Bits(c);
}

const elements = (t: ITensorProto) => (t.dims ?? []).reduce<number>((a, d) => a * Number(d), 1);

/**
 * Stores the float32 initializers of `model` (with at least `HALF_MIN_ELEMENTS` elements) as
 * float16 — round to nearest even, finite values clamped to ±65504 — and inserts a
 * `Cast(to = FLOAT)` after each, so the graph computes in float32 with inputs and outputs
 * unchanged (onnxconverter-common's `keep_io_types`): the file holds about half the bytes and
 * runs on every ONNX runtime, ORT's CPU provider included, which lacks float16 kernels for most
 * ops. An initializer keeps its name (its state-dict key); the Cast writes `<name>_float32`.
 * Returns a new ModelProto; `model` is not changed.
 */
export function withHalfInitializers(model: IModelProto): IModelProto {
  const graph = model.graph ?? {};
  const casts: INodeProto[] = [];
  const renamed = new Map<string, string>();
  const taken = new Set<string>([
    ...(graph.node ?? []).flatMap((n) => [...(n.input ?? []), ...(n.output ?? [])]),
    ...(graph.initializer ?? []).map((t) => t.name ?? ''),
    ...(graph.input ?? []).map((v) => v.name ?? ''),
  ]);
  const outputs = new Set((graph.output ?? []).map((v) => v.name ?? ''));
  const initializer = (graph.initializer ?? []).map((t) => {
    const name = t.name ?? '';
    if (t.dataType !== DataType.FLOAT || elements(t) < HALF_MIN_ELEMENTS || outputs.has(name)) return t;
    const values = decodeTensor(t).data;
    const half = hostToTensorProto(name, 'float16', (t.dims ?? []).map(Number), Uint16Array.from(values, halfBits));
    let castName = `${name}_float32`;
    for (let k = 1; taken.has(castName); k++) castName = `${name}_float32_${k}`;
    taken.add(castName);
    renamed.set(name, castName);
    casts.push({ name: `Cast_${castName}`, opType: 'Cast', input: [name], output: [castName], attribute: [{ name: 'to', type: AttributeType.INT, i: DataType.FLOAT }] });
    return half;
  });
  const node = [
    ...casts,
    ...(graph.node ?? []).map((n) => ({ ...n, input: (n.input ?? []).map((v) => renamed.get(v) ?? v) })),
  ];
  return { ...model, graph: { ...graph, node, initializer } };
}
