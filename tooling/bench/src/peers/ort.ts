/**
 * The ONNX Runtime peer (onnxruntime-node, CPU execution provider). Models are single-node ONNX
 * graphs written with @mapnn/onnx's protobuf encoder. ONNX Runtime for Node is an inference
 * runtime (no training API), so the training-step cases have no ORT column.
 */
import { AttributeType, encodeModelProto, hostToTensorProto, type IAttributeProto, type IModelProto, type ITensorProto } from '@mapnn/onnx';
import type * as Ort from 'onnxruntime-node';
import type { Runner } from '../report.js';

export type OrtModule = typeof Ort;

export const ORT_NO_TRAINING = 'onnxruntime-node is inference-only (no training API)';

const FLOAT = 1;
const valueInfo = (name: string, shape: readonly number[]) => ({
  name,
  type: { tensorType: { elemType: FLOAT, shape: { dim: shape.map((d) => ({ dimValue: d })) } } },
});

export interface OrtGraph {
  op: string;
  inputs: { name: string; shape: number[] }[];
  /** Constant operands (weights), stored in the model. */
  initializers?: { name: string; shape: number[]; data: Float32Array }[];
  output: { name: string; shape: number[] };
  attrs?: IAttributeProto[];
}

/** One-node ONNX model (IR 8, opset 13). */
export function oneNodeModel(g: OrtGraph): Uint8Array {
  const init: ITensorProto[] = (g.initializers ?? []).map((t) => hostToTensorProto(t.name, 'float32', t.shape, t.data));
  const model: IModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'mapnn-bench',
    graph: {
      name: g.op.toLowerCase(),
      node: [{ name: g.op, opType: g.op, input: [...g.inputs.map((i) => i.name), ...init.map((t) => t.name!)], output: [g.output.name], attribute: g.attrs ?? [] }],
      input: g.inputs.map((i) => valueInfo(i.name, i.shape)),
      initializer: init,
      output: [valueInfo(g.output.name, g.output.shape)],
    },
  };
  return encodeModelProto(model);
}

export const intsAttr = (name: string, ints: number[]): IAttributeProto => ({ name, type: AttributeType.INTS, ints });

/**
 * A Runner over an ORT session (CPU EP, `threads` intra-op threads, sequential execution, full
 * graph optimisation). The intra-op threads do not spin while idle (`allow_spinning` 0): in a
 * side-by-side run, spinning threads would take CPU from the framework that runs next. A run is
 * `session.run` with the prepared feeds, reading the output's data (ORT returns it in host
 * memory) and disposing it.
 */
export async function ortRunner(ort: OrtModule, model: Uint8Array, feeds: Record<string, { data: Float32Array; shape: number[] }>, threads: number): Promise<Runner> {
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  const inputs: Record<string, Ort.Tensor> = {};
  for (const [name, f] of Object.entries(feeds)) inputs[name] = new ort.Tensor('float32', f.data, f.shape);
  const outName = session.outputNames[0]!;
  let last: Float32Array = new Float32Array(0);
  return {
    run: async () => {
      const out = await session.run(inputs);
      const y = out[outName]!;
      last = y.data as Float32Array;
      y.dispose();
    },
    result: () => last,
    dispose: async () => {
      for (const t of Object.values(inputs)) t.dispose();
      await session.release();
    },
  };
}
