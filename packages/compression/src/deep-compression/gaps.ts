/** Gap symbol meaning "MAX_GAP zeros and no value" (an escape, as Deep Compression's filler zeros). */
export const MAX_GAP = 255;

/**
 * Relative indexing of a flat code array (Han et al. 2016 §3): each nonzero code (≠ `zero`)
 * is stored as the number of zero codes before it since the previous one (the gap), and its
 * code. A gap of MAX_GAP or more emits MAX_GAP escape symbols (each: MAX_GAP zeros, no value)
 * until the rest fits. Trailing zeros need nothing: the length is known.
 */
export function toGaps(codes: ArrayLike<number>, zero: number): { gaps: Int32Array; values: Int32Array } {
  const gaps: number[] = [];
  const values: number[] = [];
  let run = 0;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] === zero) { run++; continue; }
    for (; run >= MAX_GAP; run -= MAX_GAP) gaps.push(MAX_GAP);
    gaps.push(run);
    values.push(codes[i]!);
    run = 0;
  }
  return { gaps: Int32Array.from(gaps), values: Int32Array.from(values) };
}

/** The flat code array of `size` entries that `toGaps` describes. */
export function fromGaps(gaps: ArrayLike<number>, values: ArrayLike<number>, zero: number, size: number): Int32Array {
  const codes = new Int32Array(size).fill(zero);
  let pos = 0;
  let v = 0;
  for (let i = 0; i < gaps.length; i++) {
    pos += gaps[i]!;
    if (gaps[i] === MAX_GAP) continue;
    if (pos >= size || v >= values.length) throw new RangeError(`fromGaps: gap ${i} points past the ${size} entries or the ${values.length} values`);
    codes[pos++] = values[v++]!;
  }
  return codes;
}
