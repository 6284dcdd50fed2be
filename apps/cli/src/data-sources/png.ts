import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { CliError, messageOf } from '../errors.js';

/**
 * Reads a PNG as an image of `channels` (1: grey, 3: RGB) resized to `height`×`width` (area
 * averaging of 4×4 bilinear samples per pixel), values in [0, 1]. Transparent pixels are laid
 * over white. `invert`: true / false, or undefined to invert when the border is light (the
 * datasets have light strokes on a dark background).
 */
export function readPng(path: string, channels: number, height: number, width: number, invert?: boolean): { data: Float32Array; inverted: boolean } {
  let png: PNG;
  try {
    png = PNG.sync.read(readFileSync(path));
  } catch (e) {
    throw new CliError(`cannot read PNG ${path}: ${messageOf(e)}`);
  }
  const { width: w, height: h, data } = png;
  const planes = channels === 3 ? 3 : 1;
  // source planes in [0, 1]
  const src = Array.from({ length: planes }, () => new Float32Array(w * h));
  for (let i = 0; i < w * h; i++) {
    const a = data[i * 4 + 3]! / 255;
    const rgb = [data[i * 4]!, data[i * 4 + 1]!, data[i * 4 + 2]!].map((v) => a * (v / 255) + (1 - a));
    if (planes === 1) src[0]![i] = 0.299 * rgb[0]! + 0.587 * rgb[1]! + 0.114 * rgb[2]!;
    else for (let c = 0; c < 3; c++) src[c]![i] = rgb[c]!;
  }
  const sample = (p: Float32Array, y: number, x: number) => {
    const cy = Math.min(h - 1, Math.max(0, y));
    const cx = Math.min(w - 1, Math.max(0, x));
    const y0 = Math.floor(cy), x0 = Math.floor(cx);
    const y1 = Math.min(h - 1, y0 + 1), x1 = Math.min(w - 1, x0 + 1);
    const fy = cy - y0, fx = cx - x0;
    return (p[y0 * w + x0]! * (1 - fx) + p[y0 * w + x1]! * fx) * (1 - fy) + (p[y1 * w + x0]! * (1 - fx) + p[y1 * w + x1]! * fx) * fy;
  };
  const k = 4;
  const out = new Float32Array(planes * height * width);
  for (let c = 0; c < planes; c++) {
    for (let oy = 0; oy < height; oy++) {
      for (let ox = 0; ox < width; ox++) {
        let s = 0;
        for (let sy = 0; sy < k; sy++) {
          for (let sx = 0; sx < k; sx++) {
            const y = ((oy + (sy + 0.5) / k) * h) / height - 0.5;
            const x = ((ox + (sx + 0.5) / k) * w) / width - 0.5;
            s += sample(src[c]!, y, x);
          }
        }
        out[(c * height + oy) * width + ox] = s / (k * k);
      }
    }
  }
  let inverted = invert ?? false;
  if (invert === undefined) {
    let border = 0;
    let count = 0;
    for (let c = 0; c < planes; c++) {
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          if (y === 0 || x === 0 || y === height - 1 || x === width - 1) {
            border += out[(c * height + y) * width + x]!;
            count++;
          }
        }
      }
    }
    inverted = border / count > 0.5;
  }
  if (inverted) for (let i = 0; i < out.length; i++) out[i] = 1 - out[i]!;
  return { data: out, inverted };
}
