// SequenceProto and OptionalProto (onnx-data.proto; not part of the onnx.proto schema), read
// with @bufbuild/protobuf's wire reader: the test data stores sequence and optional values this way.
import { BinaryReader } from '@bufbuild/protobuf/wire';
import { describeError, OnnxImportError } from '../errors.js';
import { onnx, type ITensorProto } from './onnx.js';

/** A decoded SequenceProto: tensors (sequences of sequences/maps are not supported). */
export interface SequenceProtoValue {
  kind: 'sequence';
  name: string;
  elemType: number;
  tensors: ITensorProto[];
}

/** A decoded OptionalProto. */
export interface OptionalProtoValue {
  kind: 'optional';
  name: string;
  elemType: number;
  value: ITensorProto | SequenceProtoValue | null;
}

function readSequence(bytes: Uint8Array, depth: number): SequenceProtoValue {
  if (depth > 16) throw new Error('nested too deeply');
  const r = new BinaryReader(bytes);
  const out: SequenceProtoValue = { kind: 'sequence', name: '', elemType: 0, tensors: [] };
  while (r.pos < r.len) {
    const [field, wireType] = r.tag();
    switch (field) {
      case 1:
        out.name = r.string();
        break;
      case 2:
        out.elemType = r.int32();
        break;
      case 3:
        out.tensors.push(onnx.TensorProto.decode(r.bytes()));
        break;
      case 5:
      case 6:
      case 7:
        throw new Error('sequences of sequences, maps or optionals are not supported');
      default:
        r.skip(wireType);
    }
  }
  return out;
}

function readOptional(bytes: Uint8Array, depth: number): OptionalProtoValue {
  const r = new BinaryReader(bytes);
  const out: OptionalProtoValue = { kind: 'optional', name: '', elemType: 0, value: null };
  while (r.pos < r.len) {
    const [field, wireType] = r.tag();
    switch (field) {
      case 1:
        out.name = r.string();
        break;
      case 2:
        out.elemType = r.int32();
        break;
      case 3:
        out.value = onnx.TensorProto.decode(r.bytes());
        break;
      case 5:
        out.value = readSequence(r.bytes(), depth + 1);
        break;
      case 6:
      case 7:
        throw new Error('optional maps or optionals are not supported');
      default:
        r.skip(wireType);
    }
  }
  return out;
}

/** Decodes a serialized SequenceProto of tensors. Errors are OnnxImportErrors. */
export function decodeSequenceProto(bytes: Uint8Array): SequenceProtoValue {
  try {
    return readSequence(bytes, 0);
  } catch (e) {
    throw new OnnxImportError(`not a valid ONNX SequenceProto: ${describeError(e)}`, { cause: e });
  }
}

/** Decodes a serialized OptionalProto (of a tensor or a sequence of tensors). */
export function decodeOptionalProto(bytes: Uint8Array): OptionalProtoValue {
  try {
    return readOptional(bytes, 0);
  } catch (e) {
    throw new OnnxImportError(`not a valid ONNX OptionalProto: ${describeError(e)}`, { cause: e });
  }
}
