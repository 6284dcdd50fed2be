/**
 * Decoded int64 fields are numbers when exact and bigints beyond ±(2^53 − 1) (see plain.ts);
 * callers may also pass protobufjs-style `Long` objects. mapnn's int64 storage is exact in ±(2^53 − 1); values beyond it (ONNX
 * uses INT64_MAX / INT64_MIN as "to the end" in Slice and friends) saturate to that range.
 */
export interface LongLike {
  low: number;
  high: number;
  unsigned?: boolean;
}

export const INT64_SAT = Number.MAX_SAFE_INTEGER;

function saturate(v: number): number {
  if (Number.isNaN(v)) return 0;
  return v > INT64_SAT ? INT64_SAT : v < -INT64_SAT ? -INT64_SAT : v;
}

/** A protobuf int64/uint64 value (number, Long or bigint) as a number, saturated to ±(2^53 − 1). */
export function longToNumber(v: unknown): number {
  if (typeof v === 'number') return saturate(v);
  if (typeof v === 'bigint') return v > BigInt(INT64_SAT) ? INT64_SAT : v < -BigInt(INT64_SAT) ? -INT64_SAT : Number(v);
  if (v && typeof v === 'object' && 'low' in v && 'high' in v) {
    const l = v as LongLike;
    const lo = l.low >>> 0;
    const hi = l.unsigned ? l.high >>> 0 : l.high | 0;
    return saturate(hi * 4294967296 + lo);
  }
  if (v === null || v === undefined) return 0;
  return saturate(Number(v));
}

export function longsToNumbers(vs: readonly unknown[] | null | undefined): number[] {
  if (!vs) return [];
  const out = new Array<number>(vs.length);
  for (let i = 0; i < vs.length; i++) out[i] = longToNumber(vs[i]);
  return out;
}
