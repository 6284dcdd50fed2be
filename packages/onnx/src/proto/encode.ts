import { float32ToFloat16Bits, type Tensor } from '@mapnn/core';
import { onnxFromDtype } from './tensor.js';
import { onnx, type IModelProto, type ITensorProto } from './onnx.js';

/**
 * Encoders shared with the exporter: a mapnn tensor (or host values) to a TensorProto with
 * little-endian `raw_data`, and a ModelProto to bytes.
 */
export function hostToTensorProto(
  name: string,
  dtype: Tensor['dtype'],
  shape: readonly number[],
  values: ArrayLike<number>,
): ITensorProto {
  const n = values.length;
  const type = onnxFromDtype(dtype);
  const bpe = { float32: 4, float64: 8, float16: 2, int32: 4, int64: 8, int8: 1, uint8: 1, bool: 1 }[dtype];
  const raw = new Uint8Array(n * bpe);
  const dv = new DataView(raw.buffer);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    switch (dtype) {
      case 'float32':
        dv.setFloat32(i * 4, v, true);
        break;
      case 'float64':
        dv.setFloat64(i * 8, v, true);
        break;
      case 'float16':
        dv.setUint16(i * 2, v, true); // IEEE half bits
        break;
      case 'int32':
        dv.setInt32(i * 4, v, true);
        break;
      case 'int64':
        dv.setBigInt64(i * 8, BigInt(Math.trunc(v)), true);
        break;
      case 'int8':
        dv.setInt8(i, v);
        break;
      case 'uint8':
        dv.setUint8(i, v);
        break;
      case 'bool':
        dv.setUint8(i, v ? 1 : 0);
        break;
    }
  }
  return { name, dataType: type, dims: [...shape], rawData: raw };
}

/** A TensorProto for a mapnn tensor (read synchronously; float16 is written as FLOAT16 bits). */
export function tensorToProto(t: Tensor, name: string): ITensorProto {
  let values: ArrayLike<number> = t.dataSync();
  if (t.dtype === 'float16') {
    const bits = new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) bits[i] = float32ToFloat16Bits(values[i]!);
    values = bits;
  }
  return hostToTensorProto(name, t.dtype, t.shape, values);
}

/** Serializes a ModelProto. */
export function encodeModelProto(model: IModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

/** Serializes a TensorProto. */
export function encodeTensorProto(t: ITensorProto): Uint8Array {
  return onnx.TensorProto.encode(t).finish();
}
