// Builders for small ONNX models in tests (through the same protobuf schema as the importer).
import { onnx, encodeModelProto, type IAttributeProto, type IGraphProto, type INodeProto, type ITensorProto, type IValueInfoProto } from '../src/index.js';
import { mulberry32 } from '@mapnn/config/random';

export const T = onnx.TensorProto.DataType;
const A = onnx.AttributeProto.AttributeType;

export function valueInfo(name: string, elemType: number, dims: (number | string)[] | null = null): IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        ...(dims ? { shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } : {}),
      },
    },
  };
}

/** A float32 (or other) TensorProto in typed fields. */
export function tensorProto(name: string, dims: number[], values: number[], dataType: number = T.FLOAT): ITensorProto {
  const t: ITensorProto = { name, dims, dataType };
  switch (dataType) {
    case T.FLOAT:
      t.floatData = values;
      break;
    case T.DOUBLE:
      t.doubleData = values;
      break;
    case T.INT64:
      t.int64Data = values;
      break;
    case T.UINT32:
    case T.UINT64:
      t.uint64Data = values;
      break;
    default:
      t.int32Data = values;
  }
  return t;
}

export const attr = {
  int: (name: string, i: number): IAttributeProto => ({ name, type: A.INT, i }),
  float: (name: string, f: number): IAttributeProto => ({ name, type: A.FLOAT, f }),
  ints: (name: string, ints: number[]): IAttributeProto => ({ name, type: A.INTS, ints }),
  floats: (name: string, floats: number[]): IAttributeProto => ({ name, type: A.FLOATS, floats }),
  string: (name: string, s: string): IAttributeProto => ({ name, type: A.STRING, s: new TextEncoder().encode(s) }),
  tensor: (name: string, t: ITensorProto): IAttributeProto => ({ name, type: A.TENSOR, t }),
  graph: (name: string, g: IGraphProto): IAttributeProto => ({ name, type: A.GRAPH, g }),
};

export function node(opType: string, input: string[], output: string[], attribute: IAttributeProto[] = [], name = ''): INodeProto {
  return { opType, input, output, attribute, name };
}

export interface ModelSpec {
  nodes: INodeProto[];
  inputs: IValueInfoProto[];
  outputs: IValueInfoProto[];
  initializers?: ITensorProto[];
  opset?: number;
  irVersion?: number;
}

export function makeModel(spec: ModelSpec): Uint8Array {
  return encodeModelProto({
    irVersion: spec.irVersion ?? 8,
    producerName: 'mapnn-test',
    opsetImport: [{ domain: '', version: spec.opset ?? 13 }],
    graph: {
      name: 'test',
      node: spec.nodes,
      input: spec.inputs,
      output: spec.outputs,
      initializer: spec.initializers ?? [],
    },
  });
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32, shared by all tests). */
export const rng = mulberry32;

/** A small MLP: x [N, 4] → Gemm(4→8) → Relu → Gemm(8→3) named like a PyTorch export. */
export function mlpModel(seed = 1): Uint8Array {
  const r = rng(seed);
  const vals = (n: number) => Array.from({ length: n }, () => r() * 2 - 1);
  return makeModel({
    nodes: [
      node('Gemm', ['x', 'features.0.weight', 'features.0.bias'], ['h'], [attr.int('transB', 1)], 'fc1'),
      node('Relu', ['h'], ['a'], [], 'relu'),
      node('Gemm', ['a', 'head.weight', 'head.bias'], ['y'], [attr.int('transB', 1)], 'head'),
    ],
    inputs: [valueInfo('x', T.FLOAT, ['N', 4])],
    outputs: [valueInfo('y', T.FLOAT, ['N', 3])],
    initializers: [
      tensorProto('features.0.weight', [8, 4], vals(32)),
      tensorProto('features.0.bias', [8], vals(8)),
      tensorProto('head.weight', [3, 8], vals(24)),
      tensorProto('head.bias', [3], vals(3)),
    ],
  });
}
