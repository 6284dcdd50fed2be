import '@mapnn/backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend, tensor } from '@mapnn/core';
import { decodeRawSafetensors, decodeSafetensors, encodeRawSafetensors, encodeSafetensors, SafetensorsError } from './index.js';

beforeAll(() => setBackend('cpu'));

const bytesOf = (v: ArrayBufferView) => new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));

describe('raw safetensors', () => {
  it('writes and reads dtypes mapnn has no tensor dtype for (U16, I16), exactly', () => {
    const u16 = Uint16Array.from([0, 1, 65535]);
    const i16 = Int16Array.from([-32768, 0, 32767, -1]);
    const file = encodeRawSafetensors({ idx: { dtype: 'U16', shape: [3], bytes: bytesOf(u16) }, d: { dtype: 'I16', shape: [2, 2], bytes: bytesOf(i16) } }, { note: 'x' });
    const { tensors, metadata } = decodeRawSafetensors(file);
    expect(metadata).toEqual({ note: 'x' });
    expect(tensors.idx!.dtype).toBe('U16');
    expect(Array.from(new Uint16Array(tensors.idx!.bytes.buffer, tensors.idx!.bytes.byteOffset, 3))).toEqual([0, 1, 65535]);
    expect(tensors.d!.shape).toEqual([2, 2]);
    expect(Array.from(new Int16Array(tensors.d!.bytes.slice().buffer))).toEqual([-32768, 0, 32767, -1]);
    // the typed decoder names the dtype it cannot turn into a mapnn tensor
    expect(() => decodeSafetensors(file)).toThrow(/tensor "d" has dtype I16, which mapnn does not read/);
  });

  it('is the layout encodeSafetensors writes, byte for byte', () => {
    const w = Float32Array.from([1.5, -2, 0]);
    const typed = encodeSafetensors({ w: tensor(w, [3]), b: tensor([7], [1], 'int32') }, { k: 'v' });
    const raw = encodeRawSafetensors({ w: { dtype: 'F32', shape: [3], bytes: bytesOf(w) }, b: { dtype: 'I32', shape: [1], bytes: bytesOf(Int32Array.from([7])) } }, { k: 'v' });
    expect(raw).toEqual(typed);
  });

  it('refuses bytes that do not match dtype and shape, an unknown code and the reserved name', () => {
    expect(() => encodeRawSafetensors({ x: { dtype: 'U16', shape: [3], bytes: new Uint8Array(5) } })).toThrow(
      new SafetensorsError('encodeRawSafetensors: tensor "x" (U16 [3]) needs 6 bytes, got 5'),
    );
    expect(() => encodeRawSafetensors({ x: { dtype: 'Q4', shape: [1], bytes: new Uint8Array(1) } })).toThrow(/tensor "x" has dtype "Q4"; expected one of/);
    expect(() => encodeRawSafetensors({ __metadata__: { dtype: 'U8', shape: [1], bytes: new Uint8Array(1) } })).toThrow(/'__metadata__' is reserved/);
  });
});
