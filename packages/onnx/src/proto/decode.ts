import { describeError, OnnxImportError } from '../errors.js';
import { longToNumber } from './long.js';
import { onnx, type IModelProto, type ITensorProto } from './onnx.js';

/** Bytes as a Uint8Array (accepts ArrayBuffer and any ArrayBufferView). */
export function asBytes(input: unknown, what = 'model'): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw new OnnxImportError(
    `expected the ${what} as bytes (Uint8Array or ArrayBuffer), got ${input === null ? 'null' : typeof input}` +
      (typeof input === 'string' ? " (to read a file, use importOnnxFile from '@mapnn/onnx/node')" : ''),
  );
}

/** Recognisable non-ONNX formats, for a helpful message. */
function sniffForeignFormat(b: Uint8Array): string | null {
  const ascii = (n: number) => String.fromCharCode(...b.subarray(0, n));
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b) return 'a ZIP archive (a PyTorch .pt/.pth checkpoint or a .keras file?)';
  if (b.length >= 4 && ascii(4) === '\x89HDF') return 'an HDF5 file (a Keras .h5 model?)';
  if (b.length >= 8 && b[0] === 0x80 && b[1] !== undefined && b[1] <= 5) return 'a Python pickle';
  const head = ascii(Math.min(b.length, 64)).trimStart();
  if (head.startsWith('{') || head.startsWith('[')) return 'JSON text (a TensorFlow.js model.json?)';
  if (head.startsWith('ir_version') || head.startsWith('<')) return 'text, not binary protobuf';
  if (b.length >= 8 && ascii(4) === 'TFL3') return 'a TensorFlow Lite flatbuffer';
  return null;
}

/**
 * Decodes a serialized ModelProto. Anything that is not a plausible ONNX model (empty input,
 * truncated or corrupt protobuf, another file format, no graph, unknown IR version) throws an
 * `OnnxImportError` saying so; protobuf errors are wrapped, never thrown raw.
 */
export function decodeModelProto(input: Uint8Array | ArrayBuffer): IModelProto {
  const bytes = asBytes(input);
  if (bytes.length === 0) throw new OnnxImportError('not an ONNX model: the input is empty (0 bytes)');
  const foreign = sniffForeignFormat(bytes);
  if (foreign) throw new OnnxImportError(`not an ONNX model: the bytes look like ${foreign}`);
  let model: IModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new OnnxImportError(
      `not a valid ONNX model: the protobuf could not be decoded (${describeError(e)}); the file may be truncated or corrupt`,
      { cause: e },
    );
  }
  if (!model.graph) {
    throw new OnnxImportError('not a valid ONNX model: it has no graph (wrong file, or truncated/corrupt bytes)');
  }
  const ir = longToNumber(model.irVersion);
  if (!(ir >= 3 && ir <= 10)) {
    throw new OnnxImportError(
      `not a supported ONNX model: IR version ${ir} (mapnn reads IR versions 3–10` +
        (ir === 0 ? '; version 0 usually means these are not ONNX bytes' : '') +
        ')',
    );
  }
  return model;
}

/** Decodes a serialized TensorProto (e.g. a test_data_set `input_0.pb`). Errors are `OnnxImportError`s. */
export function decodeTensorProto(input: Uint8Array | ArrayBuffer): ITensorProto {
  const bytes = asBytes(input, 'tensor');
  try {
    return onnx.TensorProto.decode(bytes);
  } catch (e) {
    throw new OnnxImportError(`not a valid ONNX TensorProto: ${describeError(e)}`, { cause: e });
  }
}
