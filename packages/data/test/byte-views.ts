/**
 * `bytes` as a view at an odd (unaligned) nonzero offset into a larger buffer filled with other
 * bytes — what a `Buffer` from `fs.readFileSync` or a slice of a bigger download looks like.
 * A reader that uses `.buffer` without `byteOffset`/`byteLength` reads the filler.
 */
export function atOffset(bytes: Uint8Array, offset = 3, filler = 0xee): Uint8Array {
  const big = new Uint8Array(offset + bytes.length + 13).fill(filler);
  big.set(bytes, offset);
  return big.subarray(offset, offset + bytes.length);
}
