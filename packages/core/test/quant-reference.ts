// Plain-loop references of the int8 kernel contract (docs/kernels-and-ops.md, "int8 kernels"),
// for tests: the core compositions and every backend's kernels must give these values.
const f = Math.fround;

export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function saturate(v: number, dtype: 'int8' | 'uint8'): number {
  const [lo, hi] = dtype === 'int8' ? [-128, 127] : [0, 255];
  return Math.min(hi, Math.max(lo, v));
}

export function refQuantize(x: number, scale: number, zp: number, dtype: 'int8' | 'uint8'): number {
  const v = f(x / scale);
  return saturate(Number.isNaN(v) ? zp : roundHalfEven(v) + zp, dtype);
}

/** Requantizes an exact accumulator (contract: float32 multiplier, product, then round, + zp, relu, saturate). */
export function refRequantize(acc: number, inScale: number, wScale: number, yScale: number, yZp: number, relu: boolean, dtype: 'int8' | 'uint8'): number {
  const m = f(f(inScale * wScale) / yScale);
  const y = roundHalfEven(f(f(acc) * m)) + yZp;
  return saturate(relu ? Math.max(y, yZp) : y, dtype);
}

/** a [M,K] @ b [K,N] (row-major), per-column bScale / bZp (length 1 = per tensor). */
export function refQLinearMatmul(
  a: ArrayLike<number>, M: number, K: number, aScale: number, aZp: number,
  b: ArrayLike<number>, N: number, bScale: ArrayLike<number>, bZp: ArrayLike<number>,
  yScale: number, yZp: number, dtype: 'int8' | 'uint8', bias: ArrayLike<number> | null, relu: boolean,
): number[] {
  const out: number[] = [];
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      const c = bScale.length === 1 ? 0 : n;
      let acc = bias ? bias[n]! : 0;
      for (let k = 0; k < K; k++) acc += (a[m * K + k]! - aZp) * (b[k * N + n]! - bZp[c]!);
      out.push(refRequantize(acc, aScale, bScale[c]!, yScale, yZp, relu, dtype));
    }
  }
  return out;
}
