// Resize (opset 10–18: nearest / linear / cubic, every coordinate_transformation_mode,
// nearest_mode, cubic_coeff_a, exclude_outside, extrapolation_value, axes) and Upsample.
// Separable: each resized axis becomes a few weighted gathers, so it is differentiable in X.
import { add, indexSelect, isFloat, mul, cast, where, type Tensor } from '@mapnn/core';
import { registerBuiltinOp, type OnnxNode } from '../converter.js';
import { checkElements, fail, fromValues, intTensor, need, normAxis, passThrough, readFloats, readInts } from './util.js';

interface ResizeMode {
  mode: 'nearest' | 'linear' | 'cubic';
  coord: string;
  nearest: string;
  cubicA: number;
  excludeOutside: boolean;
  extrapolation: number;
}

function originalCoord(m: ResizeMode, x: number, inLen: number, outLen: number, scale: number, roi: [number, number]): number {
  switch (m.coord) {
    case 'half_pixel':
      return (x + 0.5) / scale - 0.5;
    case 'pytorch_half_pixel':
      return outLen > 1 ? (x + 0.5) / scale - 0.5 : 0;
    case 'align_corners':
      return outLen === 1 ? 0 : (x * (inLen - 1)) / (outLen - 1);
    case 'asymmetric':
      return x / scale;
    case 'tf_half_pixel_for_nn':
      return (x + 0.5) / scale;
    case 'tf_crop_and_resize':
      return outLen > 1
        ? roi[0] * (inLen - 1) + (x * (roi[1] - roi[0]) * (inLen - 1)) / (outLen - 1)
        : 0.5 * (roi[0] + roi[1]) * (inLen - 1);
    case 'half_pixel_symmetric': {
      const adj = outLen / (scale * inLen);
      const center = inLen / 2;
      return center * (1 - adj) + (x + 0.5) / scale - 0.5;
    }
    default:
      throw new Error(`unknown coordinate_transformation_mode '${m.coord}'`);
  }
}

function nearestIndex(m: ResizeMode, v: number): number {
  switch (m.nearest) {
    case 'round_prefer_floor':
      return v - Math.floor(v) === 0.5 ? Math.floor(v) : Math.round(v);
    case 'round_prefer_ceil':
      return v - Math.floor(v) === 0.5 ? Math.ceil(v) : Math.round(v);
    case 'floor':
      return Math.floor(v);
    case 'ceil':
      return Math.ceil(v);
    default:
      throw new Error(`unknown nearest_mode '${m.nearest}'`);
  }
}

function cubicCoeffs(t: number, A: number): number[] {
  const c = (s: number) => {
    const x = Math.abs(s);
    if (x <= 1) return ((A + 2) * x - (A + 3)) * x * x + 1;
    if (x < 2) return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
    return 0;
  };
  return [c(t + 1), c(t), c(1 - t), c(2 - t)];
}

/** Resizes one axis: taps (index, weight) per output position, applied as weighted gathers. */
function resizeAxis(x: Tensor, axis: number, outLen: number, scale: number, m: ResizeMode, roi: [number, number]): Tensor {
  const inLen = x.shape[axis]!;
  const nTaps = m.mode === 'nearest' ? 1 : m.mode === 'linear' ? 2 : 4;
  const idx = Array.from({ length: nTaps }, () => new Array<number>(outLen));
  const w = Array.from({ length: nTaps }, () => new Array<number>(outLen));
  const inside = new Array<number>(outLen).fill(1);
  const clampI = (i: number) => Math.min(Math.max(i, 0), inLen - 1);
  for (let o = 0; o < outLen; o++) {
    // ONNX uses the unrounded resized length (input length × scale) in the coordinate formulas
    let xo = originalCoord(m, o, inLen, inLen * scale, scale, roi);
    if (m.coord === 'tf_crop_and_resize' && (xo < 0 || xo > inLen - 1)) inside[o] = 0;
    if (m.mode === 'nearest') {
      idx[0]![o] = clampI(nearestIndex(m, xo));
      w[0]![o] = 1;
    } else if (m.mode === 'linear') {
      xo = Math.min(Math.max(xo, 0), inLen - 1);
      const x0 = Math.floor(xo);
      const t = xo - x0;
      idx[0]![o] = clampI(x0);
      idx[1]![o] = clampI(x0 + 1);
      w[0]![o] = 1 - t;
      w[1]![o] = t;
    } else {
      const x0 = Math.floor(xo);
      const t = xo - x0;
      const cs = cubicCoeffs(t, m.cubicA);
      let total = 0;
      for (let k = 0; k < 4; k++) {
        const i = x0 - 1 + k;
        if (m.excludeOutside && (i < 0 || i >= inLen)) cs[k] = 0;
        total += cs[k]!;
        idx[k]![o] = clampI(i);
      }
      for (let k = 0; k < 4; k++) w[k]![o] = m.excludeOutside && total !== 0 ? cs[k]! / total : cs[k]!;
    }
  }
  const view = x.shape.map((_, i) => (i === axis ? outLen : 1));
  let out: Tensor | null = null;
  for (let k = 0; k < nTaps; k++) {
    const g = indexSelect(x, axis, intTensor(idx[k]!));
    const term = nTaps === 1 ? g : mul(g, fromValues(w[k]!, view, x.dtype));
    out = out ? add(out, term) : term;
  }
  if (inside.some((v) => !v)) out = where(intTensor(inside, view, 'bool'), out!, fromValues([m.extrapolation], [], x.dtype));
  return out!;
}

function resize(node: OnnxNode, x0: Tensor, outShape: number[], scales: number[], m: ResizeMode, roi: number[] | undefined): Tensor {
  checkElements(node, outShape);
  const x = isFloat(x0.dtype) ? x0 : cast(x0, 'float32');
  let t = x;
  const r = x.rank;
  for (let a = 0; a < r; a++) {
    const changed = outShape[a] !== x.shape[a] || scales[a] !== 1 || m.coord === 'tf_crop_and_resize';
    if (!changed) continue;
    const region: [number, number] = roi && roi.length === 2 * r ? [roi[a]!, roi[a + r]!] : [0, 1];
    t = resizeAxis(t, a, outShape[a]!, scales[a]!, m, region);
  }
  if (t === x0) return passThrough(x0);
  return t.dtype === x0.dtype ? t : cast(m.mode === 'nearest' ? t : t.round(), x0.dtype);
}

function modeOf(node: OnnxNode, legacy: boolean): ResizeMode {
  const mode = node.attrs.string('mode', 'nearest');
  const normalized = mode === 'bilinear' || mode === 'trilinear' ? 'linear' : mode;
  if (normalized !== 'nearest' && normalized !== 'linear' && normalized !== 'cubic') throw new Error(`unsupported mode '${mode}'`);
  if (node.attrs.int('antialias', 0) !== 0) throw new Error('antialias is not supported');
  const policy = node.attrs.string('keep_aspect_ratio_policy', 'stretch');
  if (policy !== 'stretch') throw new Error(`keep_aspect_ratio_policy '${policy}' is not supported`);
  return {
    mode: normalized,
    coord: legacy ? 'asymmetric' : node.attrs.string('coordinate_transformation_mode', 'half_pixel'),
    nearest: legacy ? 'floor' : node.attrs.string('nearest_mode', 'round_prefer_floor'),
    cubicA: node.attrs.float('cubic_coeff_a', -0.75),
    excludeOutside: node.attrs.int('exclude_outside', 0) === 1,
    extrapolation: node.attrs.float('extrapolation_value', 0),
  };
}

export function registerResizeOps(): void {
  registerBuiltinOp('Resize', (node) => {
    const legacy = node.opset < 11;
    const m = modeOf(node, legacy);
    const axesAttr = node.attrs.ints('axes');
    return (ins) => {
      const x = need(ins, 0, node);
      const r = x.rank;
      const axes = axesAttr ? axesAttr.map((a) => normAxis(node, a, r)) : [...Array(r).keys()];
      const scalesIn = legacy ? ins[1] : ins[2];
      const sizesIn = legacy ? undefined : ins[3];
      const roi = !legacy && ins[1] && ins[1].size ? readFloats(ins[1]) : undefined;
      let roiFull: number[] | undefined;
      if (roi) {
        roiFull = [...new Array<number>(r).fill(0), ...new Array<number>(r).fill(1)];
        axes.forEach((a, i) => {
          roiFull![a] = roi[i]!;
          roiFull![a + r] = roi[i + axes.length]!;
        });
      }
      const scales = new Array<number>(r).fill(1);
      const out = [...x.shape];
      if (sizesIn && sizesIn.size) {
        const sizes = readInts(sizesIn);
        if (sizes.length !== axes.length) fail(node, `sizes has ${sizes.length} values for ${axes.length} axes`);
        axes.forEach((a, i) => {
          out[a] = sizes[i]!;
          scales[a] = sizes[i]! / x.shape[a]!;
        });
      } else if (scalesIn && scalesIn.size) {
        const s = readFloats(scalesIn);
        if (s.length !== axes.length) fail(node, `scales has ${s.length} values for ${axes.length} axes`);
        axes.forEach((a, i) => {
          if (!(s[i]! > 0)) fail(node, `scale ${s[i]} must be positive`);
          scales[a] = s[i]!;
          out[a] = Math.floor(x.shape[a]! * s[i]!);
        });
      } else fail(node, 'needs scales or sizes');
      return resize(node, x, out, scales, m, roiFull);
    };
  });
  registerBuiltinOp('Upsample', (node) => {
    const m = modeOf(node, true);
    const attrScales = node.attrs.floats('scales');
    return (ins) => {
      const x = need(ins, 0, node);
      const s = node.opset >= 9 ? readFloats(need(ins, 1, node)) : (attrScales ?? fail(node, "missing attribute 'scales'"));
      if (s.length !== x.rank) fail(node, `scales has ${s.length} values for rank ${x.rank}`);
      return resize(node, x, x.shape.map((d, i) => Math.floor(d * s[i]!)), s, m, undefined);
    };
  });
}
