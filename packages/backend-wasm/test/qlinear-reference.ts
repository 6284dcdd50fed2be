/**
 * A plain-loop reference of core's int8 kernel contract (qlinearMatmul, qlinearConv2d,
 * quantizeLinear, dequantizeLinear) for the wasm kernels' tests: exact integer accumulators,
 * float32 requantization with Math.fround at every step, round half to even.
 */

export type QDType = 'int8' | 'uint8';

export const QRANGE: Record<QDType, readonly [number, number]> = { int8: [-128, 127], uint8: [0, 255] };

/** Round half to even of a float (exact for every float32). */
export function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** The requantization of one exact accumulator with a float32 multiplier. */
export function requantize(acc: number, mult: number, yZp: number, yDtype: QDType, relu: boolean): number {
  const v = Math.fround(Math.fround(acc) * mult);
  if (Number.isNaN(v)) return 0;
  let r = Math.fround(roundHalfEven(v) + yZp);
  if (relu) r = Math.max(r, yZp);
  const [lo, hi] = QRANGE[yDtype];
  return Math.min(hi, Math.max(lo, r));
}

/** multiplier[c] = fround(fround(inScale · wScale[c]) / yScale). */
export function multiplier(inScale: number, wScale: number, yScale: number): number {
  return Math.fround(Math.fround(Math.fround(inScale) * Math.fround(wScale)) / Math.fround(yScale));
}

export interface QParams {
  xScale: number;
  xZp: number;
  /** One entry (per tensor) or one per output channel / column. */
  wScale: number[];
  wZp: number[];
  yScale: number;
  yZp: number;
  yDtype: QDType;
  bias?: number[];
  relu: boolean;
}

const at = (v: readonly number[], i: number) => (v.length === 1 ? v[0]! : v[i]!);

/** qlinearMatmul of a [m,k] and b [k,n] (row-major values). */
export function qlinearMatmulRef(a: readonly number[], b: readonly number[], m: number, k: number, n: number, p: QParams): number[] {
  const out = new Array<number>(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      const bz = at(p.wZp, j);
      for (let q = 0; q < k; q++) acc += (a[i * k + q]! - p.xZp) * (b[q * n + j]! - bz);
      if (p.bias) acc += p.bias[j]!;
      out[i * n + j] = requantize(acc, multiplier(p.xScale, at(p.wScale, j), p.yScale), p.yZp, p.yDtype, p.relu);
    }
  }
  return out;
}

export interface ConvGeo {
  N: number;
  C: number;
  H: number;
  W: number;
  F: number;
  kh: number;
  kw: number;
  stride: [number, number];
  pads: [number, number, number, number];
  dilation: [number, number];
  groups: number;
}

export function convOutSize(g: ConvGeo): [number, number] {
  const oh = Math.floor((g.H + g.pads[0] + g.pads[1] - g.dilation[0] * (g.kh - 1) - 1) / g.stride[0]) + 1;
  const ow = Math.floor((g.W + g.pads[2] + g.pads[3] - g.dilation[1] * (g.kw - 1) - 1) / g.stride[1]) + 1;
  return [oh, ow];
}

/** qlinearConv2d of x [N,C,H,W] and w [F, C/groups, kh, kw]; the padded border holds the input zero point. */
export function qlinearConv2dRef(x: readonly number[], w: readonly number[], g: ConvGeo, p: QParams): number[] {
  const [oh, ow] = convOutSize(g);
  const Cg = g.C / g.groups;
  const Fg = g.F / g.groups;
  const out = new Array<number>(g.N * g.F * oh * ow);
  for (let n = 0; n < g.N; n++) {
    for (let f = 0; f < g.F; f++) {
      const gi = Math.floor(f / Fg);
      const wz = at(p.wZp, f);
      const mult = multiplier(p.xScale, at(p.wScale, f), p.yScale);
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          let acc = 0;
          for (let c = 0; c < Cg; c++) {
            for (let ki = 0; ki < g.kh; ki++) {
              for (let kj = 0; kj < g.kw; kj++) {
                const iy = oy * g.stride[0] - g.pads[0] + ki * g.dilation[0];
                const ix = ox * g.stride[1] - g.pads[2] + kj * g.dilation[1];
                const inside = iy >= 0 && iy < g.H && ix >= 0 && ix < g.W;
                const xv = inside ? x[((n * g.C + gi * Cg + c) * g.H + iy) * g.W + ix]! : p.xZp;
                acc += (xv - p.xZp) * (w[((f * Cg + c) * g.kh + ki) * g.kw + kj]! - wz);
              }
            }
          }
          if (p.bias) acc += p.bias[f]!;
          out[((n * g.F + f) * oh + oy) * ow + ox] = requantize(acc, mult, p.yZp, p.yDtype, p.relu);
        }
      }
    }
  }
  return out;
}

/** quantizeLinear: sat(roundHalfEven(fround(x / scale)) + zp), NaN → zp; `channel(i)` picks the parameter. */
export function quantizeRef(x: readonly number[], scale: readonly number[], zp: readonly number[], dtype: QDType, channel: (i: number) => number): number[] {
  const [lo, hi] = QRANGE[dtype];
  return x.map((v, i) => {
    const c = channel(i);
    let q = Math.fround(Math.fround(v) / Math.fround(scale[c]!));
    if (Number.isNaN(q)) q = 0;
    return Math.min(hi, Math.max(lo, Math.fround(roundHalfEven(q) + zp[c]!)));
  });
}

/** dequantizeLinear: fround(fround(x − zp) · scale). */
export function dequantizeRef(x: readonly number[], scale: readonly number[], zp: readonly number[], channel: (i: number) => number): number[] {
  return x.map((v, i) => {
    const c = channel(i);
    return Math.fround(Math.fround(v - zp[c]!) * Math.fround(scale[c]!));
  });
}
