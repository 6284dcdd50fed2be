/** Any bytes: a `Uint8Array` (a Node `Buffer` included), another typed-array view, or an `ArrayBuffer`. */
export type BytesLike = ArrayBufferView | ArrayBufferLike;

/** The bytes `input` views — exactly its `byteOffset`/`byteLength` window, never the whole backing buffer. */
export function asBytes(input: BytesLike, fn = 'safetensors'): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const tag = Object.prototype.toString.call(input);
  if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') return new Uint8Array(input as ArrayBufferLike);
  throw new TypeError(`${fn}: expected a Uint8Array, Buffer, typed array or ArrayBuffer, got ${tag}`);
}
