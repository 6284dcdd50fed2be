// Spatial sampling: GridSample (bilinear / nearest / bicubic; zeros / border / reflection
// padding; align_corners — PyTorch's grid_sample) and RoiAlign (avg / max; half_pixel and
// output_half_pixel). Computed on the host.
import { cast, isFloat, type Tensor } from '@mapnn/core';
import { registerBuiltinOp, type OnnxNode } from '../converter.js';
import { checkElements, fail, fromValues, need, readInts } from './util.js';

function reflect(v: number, twiceLow: number, twiceHigh: number): number {
  if (twiceLow === twiceHigh) return 0;
  const min = twiceLow / 2;
  const span = (twiceHigh - twiceLow) / 2;
  const a = Math.abs(v - min);
  const extra = a % span;
  const flips = Math.floor(a / span);
  return flips % 2 === 0 ? extra + min : span - extra + min;
}

function gridSample(node: OnnxNode, x0: Tensor, grid: Tensor, mode: string, padding: string, align: boolean): Tensor {
  const x = isFloat(x0.dtype) ? x0 : cast(x0, 'float32');
  if (x.rank !== 4 || grid.rank !== 4 || grid.shape[3] !== 2) fail(node, `expects X [N,C,H,W] and grid [N,Ho,Wo,2], got [${x.shape.join(',')}] and [${grid.shape.join(',')}]`);
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [, Ho, Wo] = grid.shape as [number, number, number];
  checkElements(node, [N, C, Ho, Wo]);
  const xv = x.dataSync();
  const gv = grid.dataSync();
  const out = new Float64Array(N * C * Ho * Wo);
  const unnorm = (c: number, size: number) => (align ? ((c + 1) / 2) * (size - 1) : ((c + 1) * size - 1) / 2);
  const pad = (c: number, size: number) => {
    if (padding === 'border') return Math.min(Math.max(c, 0), size - 1);
    if (padding === 'reflection') {
      const r = align ? reflect(c, 0, 2 * (size - 1)) : reflect(c, -1, 2 * size - 1);
      return Math.min(Math.max(r, 0), size - 1);
    }
    return c;
  };
  const at = (n: number, c: number, yy: number, xx: number) => (yy >= 0 && yy < H && xx >= 0 && xx < W ? xv[((n * C + c) * H + yy) * W + xx]! : 0);
  const bounded = (n: number, c: number, yy: number, xx: number) => at(n, c, Math.trunc(pad(yy, H)), Math.trunc(pad(xx, W)));
  const A = -0.75;
  const cc1 = (t: number) => ((A + 2) * t - (A + 3)) * t * t + 1;
  const cc2 = (t: number) => ((A * t - 5 * A) * t + 8 * A) * t - 4 * A;
  const coeffs = (t: number) => [cc2(t + 1), cc1(t), cc1(1 - t), cc2(2 - t)];
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      for (let i = 0; i < Ho; i++) {
        for (let j = 0; j < Wo; j++, o++) {
          const g = ((n * Ho + i) * Wo + j) * 2;
          const gx = unnorm(gv[g]!, W);
          const gy = unnorm(gv[g + 1]!, H);
          if (mode === 'bicubic') {
            const x0i = Math.floor(gx);
            const y0i = Math.floor(gy);
            const cx = coeffs(gx - x0i);
            const cy = coeffs(gy - y0i);
            let s = 0;
            for (let a = 0; a < 4; a++) {
              let row = 0;
              for (let b = 0; b < 4; b++) row += cx[b]! * bounded(n, c, y0i - 1 + a, x0i - 1 + b);
              s += cy[a]! * row;
            }
            out[o] = s;
            continue;
          }
          const px = pad(gx, W);
          const py = pad(gy, H);
          if (mode === 'nearest') {
            const rx = px - Math.floor(px) === 0.5 ? 2 * Math.round(px / 2) : Math.round(px);
            const ry = py - Math.floor(py) === 0.5 ? 2 * Math.round(py / 2) : Math.round(py);
            out[o] = at(n, c, ry, rx);
            continue;
          }
          const xw = Math.floor(px);
          const yn = Math.floor(py);
          const tx = px - xw;
          const ty = py - yn;
          out[o] =
            at(n, c, yn, xw) * (1 - tx) * (1 - ty) +
            at(n, c, yn, xw + 1) * tx * (1 - ty) +
            at(n, c, yn + 1, xw) * (1 - tx) * ty +
            at(n, c, yn + 1, xw + 1) * tx * ty;
        }
      }
    }
  }
  return fromValues(out, [N, C, Ho, Wo], x0.dtype === x.dtype ? x.dtype : 'float32');
}

function roiAlign(node: OnnxNode, x: Tensor, rois: Tensor, batch: number[], opts: { mode: string; oh: number; ow: number; ratio: number; scale: number; aligned: boolean }): Tensor {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const R = rois.shape[0]!;
  if (x.rank !== 4 || rois.rank !== 2 || rois.shape[1] !== 4) fail(node, `expects X [N,C,H,W] and rois [R,4]`);
  checkElements(node, [R, C, opts.oh, opts.ow]);
  const xv = x.dataSync();
  const rv = rois.dataSync();
  const out = new Float64Array(R * C * opts.oh * opts.ow);
  const offset = opts.aligned ? 0.5 : 0;
  for (let r = 0; r < R; r++) {
    const b = batch[r]!;
    if (!(b >= 0 && b < N)) fail(node, `batch index ${b} is out of range`);
    const sw = rv[r * 4]! * opts.scale - offset;
    const sh = rv[r * 4 + 1]! * opts.scale - offset;
    let rw = rv[r * 4 + 2]! * opts.scale - offset - sw;
    let rh = rv[r * 4 + 3]! * opts.scale - offset - sh;
    if (!opts.aligned) {
      rw = Math.max(rw, 1);
      rh = Math.max(rh, 1);
    }
    const bh = rh / opts.oh;
    const bw = rw / opts.ow;
    const gh = opts.ratio > 0 ? opts.ratio : Math.ceil(rh / opts.oh);
    const gw = opts.ratio > 0 ? opts.ratio : Math.ceil(rw / opts.ow);
    const count = Math.max(gh * gw, 1);
    for (let c = 0; c < C; c++) {
      const plane = (b * C + c) * H * W;
      for (let ph = 0; ph < opts.oh; ph++) {
        for (let pw = 0; pw < opts.ow; pw++) {
          let acc = opts.mode === 'max' ? -Infinity : 0;
          let any = false;
          for (let iy = 0; iy < gh; iy++) {
            let y = sh + ph * bh + ((iy + 0.5) * bh) / gh;
            for (let ix = 0; ix < gw; ix++) {
              let xx = sw + pw * bw + ((ix + 0.5) * bw) / gw;
              if (y < -1 || y > H || xx < -1 || xx > W) {
                if (opts.mode === 'max') acc = Math.max(acc, 0);
                any = true;
                continue;
              }
              let yy = Math.max(y, 0);
              xx = Math.max(xx, 0);
              let yl = Math.floor(yy);
              let xl = Math.floor(xx);
              let yh2: number;
              let xh: number;
              if (yl >= H - 1) {
                yh2 = yl = H - 1;
                yy = yl;
              } else yh2 = yl + 1;
              if (xl >= W - 1) {
                xh = xl = W - 1;
                xx = xl;
              } else xh = xl + 1;
              const ly = yy - yl;
              const lx = xx - xl;
              const hy = 1 - ly;
              const hx = 1 - lx;
              const terms = [hy * hx * xv[plane + yl * W + xl]!, hy * lx * xv[plane + yl * W + xh]!, ly * hx * xv[plane + yh2 * W + xl]!, ly * lx * xv[plane + yh2 * W + xh]!];
              if (opts.mode === 'max') acc = Math.max(acc, ...terms);
              else acc += terms[0]! + terms[1]! + terms[2]! + terms[3]!;
              any = true;
            }
            y = 0;
          }
          out[((r * C + c) * opts.oh + ph) * opts.ow + pw] = opts.mode === 'max' ? (any ? acc : 0) : acc / count;
        }
      }
    }
  }
  return fromValues(out, [R, C, opts.oh, opts.ow], x.dtype);
}

export function registerSamplingOps(): void {
  registerBuiltinOp('GridSample', (node) => {
    const mode = node.attrs.string('mode', 'bilinear');
    const padding = node.attrs.string('padding_mode', 'zeros');
    const align = node.attrs.int('align_corners', 0) === 1;
    const m = mode === 'linear' ? 'bilinear' : mode === 'cubic' ? 'bicubic' : mode;
    if (!['bilinear', 'nearest', 'bicubic'].includes(m)) throw new Error(`unsupported mode '${mode}'`);
    if (!['zeros', 'border', 'reflection'].includes(padding)) throw new Error(`unsupported padding_mode '${padding}'`);
    return (ins) => gridSample(node, need(ins, 0, node), need(ins, 1, node), m, padding, align);
  });
  registerBuiltinOp('RoiAlign', (node) => {
    const mode = node.attrs.string('mode', 'avg');
    if (mode !== 'avg' && mode !== 'max') throw new Error(`unsupported mode '${mode}'`);
    const ctm = node.attrs.string('coordinate_transformation_mode', node.opset >= 16 ? 'half_pixel' : 'output_half_pixel');
    const opts = {
      mode,
      oh: node.attrs.int('output_height', 1),
      ow: node.attrs.int('output_width', 1),
      ratio: node.attrs.int('sampling_ratio', 0),
      scale: node.attrs.float('spatial_scale', 1),
      aligned: ctm === 'half_pixel',
    };
    return (ins) => roiAlign(node, need(ins, 0, node), need(ins, 1, node), readInts(need(ins, 2, node)), opts);
  });
}
