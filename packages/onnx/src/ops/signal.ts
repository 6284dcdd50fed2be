// Signal processing (opset 17): DFT, STFT, HannWindow, HammingWindow, BlackmanWindow,
// MelWeightMatrix. Computed on the host in float64 (direct DFT: O(n²) per transform).
import type { Tensor } from '@mapnn/core';
import { registerBuiltinOp, type OnnxNode } from '../converter.js';
import { requireDtype } from '../proto/tensor.js';
import { checkElements, fail, fromValues, need, normAxis, readFloats, readInts, sizeOf, stridesOf } from './util.js';

/** Direct DFT of one complex sequence (re, im) of length n, evaluated at `bins` frequencies. */
function dft1(re: Float64Array, im: Float64Array, bins: number, inverse: boolean): [Float64Array, Float64Array] {
  const n = re.length;
  const outRe = new Float64Array(bins);
  const outIm = new Float64Array(bins);
  const sign = inverse ? 1 : -1;
  for (let k = 0; k < bins; k++) {
    let sr = 0;
    let si = 0;
    for (let t = 0; t < n; t++) {
      const a = (sign * 2 * Math.PI * ((k * t) % n)) / n;
      const c = Math.cos(a);
      const s = Math.sin(a);
      sr += re[t]! * c - im[t]! * s;
      si += re[t]! * s + im[t]! * c;
    }
    outRe[k] = inverse ? sr / n : sr;
    outIm[k] = inverse ? si / n : si;
  }
  return [outRe, outIm];
}

function dft(node: OnnxNode, x: Tensor, length: number | undefined, axis: number, inverse: boolean, onesided: boolean): Tensor {
  const last = x.shape[x.rank - 1];
  if (x.rank < 2 || (last !== 1 && last !== 2)) fail(node, `input must end in a dim of 1 (real) or 2 (complex), got [${x.shape.join(',')}]`);
  const ax = normAxis(node, axis, x.rank - 1);
  const n0 = x.shape[ax]!;
  const n = length ?? n0;
  if (!(n > 0)) fail(node, `dft_length must be positive, got ${n}`);
  const bins = onesided ? Math.floor(n / 2) + 1 : n;
  const outShape = x.shape.map((d, i) => (i === ax ? bins : i === x.rank - 1 ? 2 : d));
  checkElements(node, outShape);
  checkElements(node, [sizeOf(outShape), n], 'work');
  const v = x.dataSync();
  const st = stridesOf(x.shape);
  const ost = stridesOf(outShape);
  const out = new Float64Array(sizeOf(outShape));
  const outer = x.shape.slice(0, -1).map((d, i) => (i === ax ? 1 : d));
  const count = sizeOf(outer);
  const ost2 = stridesOf(outer);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let o = 0; o < count; o++) {
    let rem = o;
    let base = 0;
    let obase = 0;
    for (let d = 0; d < outer.length; d++) {
      const c = Math.floor(rem / ost2[d]!);
      rem -= c * ost2[d]!;
      base += c * st[d]!;
      obase += c * ost[d]!;
    }
    re.fill(0);
    im.fill(0);
    for (let t = 0; t < Math.min(n, n0); t++) {
      re[t] = v[base + t * st[ax]!]!;
      im[t] = last === 2 ? v[base + t * st[ax]! + 1]! : 0;
    }
    const [r, i] = dft1(re, im, bins, inverse);
    for (let k = 0; k < bins; k++) {
      out[obase + k * ost[ax]!] = r[k]!;
      out[obase + k * ost[ax]! + 1] = i[k]!;
    }
  }
  return fromValues(out, outShape, x.dtype);
}

function windowOp(fn: (n: number, N1: number) => number) {
  return (node: OnnxNode) => {
    const periodic = node.attrs.int('periodic', 1) === 1;
    const dtype = requireDtype(node.attrs.int('output_datatype', 1), `${node.opType} node '${node.name}'`);
    return (ins: readonly (Tensor | undefined)[]) => {
      const size = readInts(need(ins, 0, node))[0]!;
      if (!(size >= 0)) fail(node, `size must be ≥ 0, got ${size}`);
      checkElements(node, [size]);
      const N1 = periodic ? size : size - 1;
      return fromValues(Array.from({ length: size }, (_, n) => (N1 === 0 ? 1 : fn(n, N1))), [size], dtype);
    };
  };
}

export function registerSignalOps(): void {
  registerBuiltinOp('DFT', (node) => {
    const inverse = node.attrs.int('inverse', 0) === 1;
    const onesided = node.attrs.int('onesided', 0) === 1;
    const axisAttr = node.attrs.int('axis', 1);
    return (ins) => {
      const x = need(ins, 0, node);
      const len = ins[1] && ins[1].size ? readInts(ins[1])[0]! : undefined;
      const axis = node.opset >= 20 && ins[2] ? readInts(ins[2])[0]! : axisAttr;
      return dft(node, x, len, axis, inverse, onesided);
    };
  });
  registerBuiltinOp('STFT', (node) => {
    const onesided = node.attrs.int('onesided', 1) === 1;
    return (ins) => {
      const x = need(ins, 0, node);
      const step = readInts(need(ins, 1, node))[0]!;
      const window = ins[2] ? readFloats(ins[2]) : undefined;
      const frameLength = ins[3] && ins[3].size ? readInts(ins[3])[0]! : window?.length;
      if (!frameLength || frameLength < 1) fail(node, 'needs a window or a frame_length');
      if (!(step >= 1)) fail(node, `frame_step must be ≥ 1, got ${step}`);
      if (x.rank !== 3) fail(node, `signal must be [batch, length, 1|2], got [${x.shape.join(',')}]`);
      const [B, L, C] = x.shape as [number, number, number];
      const frames = Math.floor((L - frameLength) / step) + 1;
      if (frames < 1) fail(node, `signal length ${L} is shorter than the frame length ${frameLength}`);
      const bins = onesided ? Math.floor(frameLength / 2) + 1 : frameLength;
      checkElements(node, [B, frames, bins, 2]);
      const v = x.dataSync();
      const out = new Float64Array(B * frames * bins * 2);
      const re = new Float64Array(frameLength);
      const im = new Float64Array(frameLength);
      for (let b = 0; b < B; b++) {
        for (let f = 0; f < frames; f++) {
          for (let t = 0; t < frameLength; t++) {
            const w = window ? window[t]! : 1;
            const o = (b * L + f * step + t) * C;
            re[t] = v[o]! * w;
            im[t] = C === 2 ? v[o + 1]! * w : 0;
          }
          const [r, i] = dft1(re, im, bins, false);
          for (let k = 0; k < bins; k++) {
            const o = ((b * frames + f) * bins + k) * 2;
            out[o] = r[k]!;
            out[o + 1] = i[k]!;
          }
        }
      }
      return fromValues(out, [B, frames, bins, 2], x.dtype);
    };
  });
  registerBuiltinOp('HannWindow', windowOp((n, N1) => Math.sin((Math.PI * n) / N1) ** 2));
  registerBuiltinOp('HammingWindow', windowOp((n, N1) => 25 / 46 - (21 / 46) * Math.cos((2 * Math.PI * n) / N1)));
  registerBuiltinOp('BlackmanWindow', windowOp((n, N1) => 0.42 - 0.5 * Math.cos((2 * Math.PI * n) / N1) + 0.08 * Math.cos((4 * Math.PI * n) / N1)));
  registerBuiltinOp('MelWeightMatrix', (node) => {
    const dtype = requireDtype(node.attrs.int('output_datatype', 1), `MelWeightMatrix node '${node.name}'`);
    return (ins) => {
      const [numMel, dftLength, sampleRate] = [0, 1, 2].map((i) => readInts(need(ins, i, node))[0]!) as [number, number, number];
      const [lower, upper] = [3, 4].map((i) => readFloats(need(ins, i, node))[0]!) as [number, number];
      const specBins = Math.floor(dftLength / 2) + 1;
      checkElements(node, [specBins, numMel]);
      const lowMel = 2595 * Math.log10(1 + lower / 700);
      const highMel = 2595 * Math.log10(1 + upper / 700);
      const melStep = (highMel - lowMel) / (numMel + 2);
      const freqBins = Array.from({ length: numMel + 2 }, (_, i) => {
        const hz = 700 * (10 ** ((i * melStep + lowMel) / 2595) - 1);
        return Math.trunc(Math.floor(((dftLength + 1) * hz) / sampleRate));
      });
      const out = new Float64Array(specBins * numMel);
      const set = (j: number, i: number, v: number) => {
        if (j >= 0 && j < specBins) out[j * numMel + i] = v;
      };
      for (let i = 0; i < numMel; i++) {
        const lo = freqBins[i]!;
        const c = freqBins[i + 1]!;
        const hi = freqBins[i + 2]!;
        if (c - lo === 0) set(c, i, 1);
        else for (let j = lo; j <= c; j++) set(j, i, (j - lo) / (c - lo));
        if (hi - c > 0) for (let j = c; j < hi; j++) set(j, i, (hi - j) / (hi - c));
      }
      return fromValues(out, [specBins, numMel], dtype);
    };
  });
}
