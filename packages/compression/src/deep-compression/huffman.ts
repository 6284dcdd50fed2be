import { BitReader, BitWriter } from './bits.js';

/** Longest code the coder emits (lengths are stored in one byte; 24 keeps codes in an int). */
export const MAX_CODE_LENGTH = 24;

/**
 * Huffman code lengths for symbol frequencies (`freqs[s]` = occurrences of symbol s; 0 =
 * unused, length 0). A lone used symbol gets length 1. Ties are broken by symbol order, so
 * the lengths are deterministic. Lengths above `maxLength` are avoided by halving the
 * frequencies (keeping each used symbol ≥ 1) and rebuilding, which costs a little optimality.
 */
export function huffmanCodeLengths(freqs: ArrayLike<number>, maxLength = MAX_CODE_LENGTH): Uint8Array {
  let f = Array.from(freqs);
  for (;;) {
    const lengths = unlimitedLengths(f);
    if (Math.max(0, ...lengths) <= maxLength) return lengths;
    f = f.map((v) => (v > 0 ? Math.max(1, v >>> 1) : 0));
  }
}

/** Plain Huffman tree lengths (no limit), by repeatedly merging the two lightest nodes. */
function unlimitedLengths(freqs: readonly number[]): Uint8Array {
  const lengths = new Uint8Array(freqs.length);
  const used = freqs.map((f, s) => [f, s] as const).filter(([f]) => f > 0);
  if (used.length === 1) lengths[used[0]![1]] = 1;
  if (used.length <= 1) return lengths;
  // nodes: weight, order key, and the symbols below them
  let nodes = used.map(([f, s]) => ({ weight: f, key: s, symbols: [s] }));
  while (nodes.length > 1) {
    nodes.sort((a, b) => a.weight - b.weight || a.key - b.key);
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    for (const s of a.symbols) lengths[s]++;
    for (const s of b.symbols) lengths[s]++;
    nodes = [{ weight: a.weight + b.weight, key: Math.min(a.key, b.key), symbols: a.symbols.concat(b.symbols) }, ...nodes.slice(2)];
  }
  return lengths;
}

/**
 * Canonical codes for code lengths (DEFLATE's rule, RFC 1951 §3.2.2): shorter codes first,
 * and within a length in symbol order, consecutive integers. Only the lengths need storing.
 */
export function canonicalCodes(lengths: ArrayLike<number>): Uint32Array {
  const max = Math.max(0, ...Array.from(lengths));
  const count = new Uint32Array(max + 1);
  for (let s = 0; s < lengths.length; s++) if (lengths[s]) count[lengths[s]!]++;
  const next = new Uint32Array(max + 2);
  let code = 0;
  for (let len = 1; len <= max; len++) {
    code = (code + count[len - 1]!) << 1;
    next[len] = code;
  }
  const codes = new Uint32Array(lengths.length);
  for (let s = 0; s < lengths.length; s++) if (lengths[s]) codes[s] = next[lengths[s]!]!++;
  return codes;
}

/** Symbol frequencies of `symbols` over an alphabet of `size` symbols. */
export function frequencies(symbols: ArrayLike<number>, size: number): Uint32Array {
  const f = new Uint32Array(size);
  for (let i = 0; i < symbols.length; i++) {
    const s = symbols[i]!;
    if (!(s >= 0 && s < size && Number.isInteger(s))) throw new RangeError(`huffmanEncode: symbol ${s} at ${i} is outside the alphabet [0, ${size})`);
    f[s]++;
  }
  return f;
}

export interface HuffmanCoded {
  /** Code length of each symbol of the alphabet (0 = unused). */
  lengths: Uint8Array;
  /** The coded symbols, bits most significant first, zero-padded to a byte. */
  bits: Uint8Array;
}

/** Canonical Huffman coding of `symbols` (integers in [0, alphabetSize)). */
export function huffmanEncode(symbols: ArrayLike<number>, alphabetSize: number): HuffmanCoded {
  const lengths = huffmanCodeLengths(frequencies(symbols, alphabetSize));
  const codes = canonicalCodes(lengths);
  const w = new BitWriter();
  for (let i = 0; i < symbols.length; i++) w.write(codes[symbols[i]!]!, lengths[symbols[i]!]!);
  return { lengths, bits: w.finish() };
}

/** Decodes `count` symbols coded by `huffmanEncode` with these code lengths. */
export function huffmanDecode(lengths: ArrayLike<number>, bits: Uint8Array, count: number): Int32Array {
  const codes = canonicalCodes(lengths);
  // per length: first code and the symbols of that length in canonical order
  const max = Math.max(0, ...Array.from(lengths));
  const byLength: number[][] = Array.from({ length: max + 1 }, () => []);
  for (let s = 0; s < lengths.length; s++) if (lengths[s]) byLength[lengths[s]!]!.push(s);
  const first = byLength.map((syms) => (syms.length ? codes[syms[0]!]! : 0));
  const out = new Int32Array(count);
  const r = new BitReader(bits);
  for (let i = 0; i < count; i++) {
    let code = 0;
    let len = 0;
    for (;;) {
      code = (code << 1) | r.bit();
      len++;
      if (len > max) throw new RangeError(`huffmanDecode: no code matches the bits of symbol ${i}`);
      const syms = byLength[len]!;
      if (syms.length && code - first[len]! < syms.length && code >= first[len]!) {
        out[i] = syms[code - first[len]!]!;
        break;
      }
    }
  }
  return out;
}
