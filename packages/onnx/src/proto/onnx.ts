/**
 * The ONNX protobuf schema: ONNX's own `onnx.proto3` (proto/onnx.proto, ONNX 1.22), compiled by
 * scripts/gen-proto.mjs into src/proto/gen/onnx_pb.ts and read and written by @bufbuild/protobuf.
 * `onnx.ModelProto.decode(bytes)` / `onnx.ModelProto.encode(msg).finish()` work on the plain
 * objects `IModelProto`, … described in plain.ts (int64 values are numbers, bigints beyond 2^53).
 * Import and export both go through this module, so there is one copy of the schema.
 */
import type { DescMessage } from '@bufbuild/protobuf';
import * as pb from './gen/onnx_pb.js';
import { decodePlain, encodePlain, type Plain } from './plain.js';

export type { Int64, Plain } from './plain.js';
export type IModelProto = Plain<pb.ModelProto>;
export type IGraphProto = Plain<pb.GraphProto>;
export type INodeProto = Plain<pb.NodeProto>;
export type ITensorProto = Plain<pb.TensorProto>;
export type IAttributeProto = Plain<pb.AttributeProto>;
export type IValueInfoProto = Plain<pb.ValueInfoProto>;
export type ITypeProto = Plain<pb.TypeProto>;
export type IOperatorSetIdProto = Plain<pb.OperatorSetIdProto>;
export type IStringStringEntryProto = Plain<pb.StringStringEntryProto>;
export type ISparseTensorProto = Plain<pb.SparseTensorProto>;
export type IFunctionProto = Plain<pb.FunctionProto>;
export type ITrainingInfoProto = Plain<pb.TrainingInfoProto>;

/** Decoder and encoder of one message type, with protobufjs's `decode` / `encode(…).finish()` calls. */
export interface MessageCodec<P> {
  /** Decodes serialized bytes; throws (an Error from the protobuf reader) on malformed input. */
  decode(bytes: Uint8Array): P;
  /** Serializes a message; `finish()` returns the bytes. */
  encode(message: P): { finish(): Uint8Array };
}

function codec<P>(desc: DescMessage): MessageCodec<P> {
  return {
    decode: (bytes) => decodePlain(desc, bytes) as P,
    encode: (message) => {
      const bytes = encodePlain(desc, message as Record<string, unknown>);
      return { finish: () => bytes };
    },
  };
}

/** The message codecs and enums, named as in onnx.proto (`onnx.TensorProto.DataType.FLOAT`). */
export interface OnnxSchema {
  ModelProto: MessageCodec<IModelProto>;
  GraphProto: MessageCodec<IGraphProto>;
  NodeProto: MessageCodec<INodeProto>;
  TensorProto: MessageCodec<ITensorProto> & { DataType: typeof pb.TensorProto_DataType; DataLocation: typeof pb.TensorProto_DataLocation };
  AttributeProto: MessageCodec<IAttributeProto> & { AttributeType: typeof pb.AttributeProto_AttributeType };
  ValueInfoProto: MessageCodec<IValueInfoProto>;
  TypeProto: MessageCodec<ITypeProto>;
  SparseTensorProto: MessageCodec<ISparseTensorProto>;
  FunctionProto: MessageCodec<IFunctionProto>;
  TrainingInfoProto: MessageCodec<ITrainingInfoProto>;
  OperatorSetIdProto: MessageCodec<IOperatorSetIdProto>;
  Version: typeof pb.Version;
}

export const onnx: OnnxSchema = {
  ModelProto: codec(pb.ModelProtoSchema),
  GraphProto: codec(pb.GraphProtoSchema),
  NodeProto: codec(pb.NodeProtoSchema),
  TensorProto: Object.assign(codec<ITensorProto>(pb.TensorProtoSchema), {
    DataType: pb.TensorProto_DataType,
    DataLocation: pb.TensorProto_DataLocation,
  }),
  AttributeProto: Object.assign(codec<IAttributeProto>(pb.AttributeProtoSchema), { AttributeType: pb.AttributeProto_AttributeType }),
  ValueInfoProto: codec(pb.ValueInfoProtoSchema),
  TypeProto: codec(pb.TypeProtoSchema),
  SparseTensorProto: codec(pb.SparseTensorProtoSchema),
  FunctionProto: codec(pb.FunctionProtoSchema),
  TrainingInfoProto: codec(pb.TrainingInfoProtoSchema),
  OperatorSetIdProto: codec(pb.OperatorSetIdProtoSchema),
  Version: pb.Version,
};

/** TensorProto.DataType values. */
export const DataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
  FLOAT8E4M3FN: 17,
  FLOAT8E4M3FNUZ: 18,
  FLOAT8E5M2: 19,
  FLOAT8E5M2FNUZ: 20,
  UINT4: 21,
  INT4: 22,
} as const;

const DATA_TYPE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(DataType).map(([k, v]) => [v, k]));

/** 'FLOAT (1)' for 1, 'unknown (99)' for values outside the enum. */
export function dataTypeName(t: number): string {
  return `${DATA_TYPE_NAMES[t] ?? 'unknown'} (${t})`;
}

/** AttributeProto.AttributeType values. */
export const AttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
  SPARSE_TENSOR: 11,
  SPARSE_TENSORS: 12,
  TYPE_PROTO: 13,
  TYPE_PROTOS: 14,
} as const;
