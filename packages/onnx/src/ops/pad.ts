// Pad, and the ONNX pad layout other converters share (the pads of Conv and the pools).
import { indexSelect, pad, slice, type Tensor } from '@mapnn/core';
import type { OnnxKernel, OnnxNode } from '../converter.js';
import { checkElements, fail, intTensor, need, normAxis, passThrough, readInts } from './util.js';

/** ONNX pads ([b1, b2, …, e1, e2, …], negative = crop) on `axes`. */
export function onnxPad(node: OnnxNode, x: Tensor, pads: readonly number[], mode: string, value: number, axes?: readonly number[]): Tensor {
  const ax = axes ? axes.map((a) => normAxis(node, a, x.rank)) : [...Array(x.rank).keys()];
  if (pads.length !== 2 * ax.length) fail(node, `pads has ${pads.length} values, expected ${2 * ax.length}`);
  const begin = new Array<number>(x.rank).fill(0);
  const end = new Array<number>(x.rank).fill(0);
  ax.forEach((a, i) => {
    begin[a] = pads[i]!;
    end[a] = pads[i + ax.length]!;
  });
  // crop negative pads first
  let t = x;
  if (begin.some((p) => p < 0) || end.some((p) => p < 0)) {
    const starts = begin.map((p) => Math.max(0, -p));
    const ends = end.map((p, i) => x.shape[i]! - Math.max(0, -p));
    t = slice(t, starts, ends, [...Array(x.rank).keys()]);
  }
  const b = begin.map((p) => Math.max(0, p));
  const e = end.map((p) => Math.max(0, p));
  if (b.every((p) => p === 0) && e.every((p) => p === 0)) return t === x ? passThrough(x) : t;
  checkElements(node, t.shape.map((d, i) => d + b[i]! + e[i]!));
  if (mode === 'wrap') {
    let r = t;
    for (let i = 0; i < r.rank; i++) {
      if (!b[i] && !e[i]) continue;
      const n = r.shape[i]!;
      const idx: number[] = [];
      for (let k = -b[i]!; k < n + e[i]!; k++) idx.push(((k % n) + n) % n);
      r = indexSelect(r, i, intTensor(idx));
    }
    return r;
  }
  const torchPads: number[] = [];
  for (let i = t.rank - 1; i >= 0; i--) torchPads.push(b[i]!, e[i]!);
  const m = mode === 'constant' ? 'constant' : mode === 'reflect' ? 'reflect' : mode === 'edge' ? 'edge' : fail(node, `unsupported pad mode '${mode}'`);
  return pad(t, torchPads, m, value);
}

/** Pad (constant, reflect, edge or wrap): pads from the attributes before opset 11, from inputs after. */
export function convertPad(node: OnnxNode): OnnxKernel {
  const mode = node.attrs.string('mode', 'constant');
  if (!['constant', 'reflect', 'edge', 'wrap'].includes(mode)) throw new Error(`unsupported mode '${mode}'`);
  if (node.opset < 11) {
    const pads = node.attrs.ints(node.opset < 2 ? 'paddings' : 'pads') ?? [];
    const value = node.attrs.float('value', 0);
    return (ins) => onnxPad(node, need(ins, 0, node), pads, mode, value);
  }
  return (ins) => {
    const x = need(ins, 0, node);
    const pads = readInts(need(ins, 1, node));
    const value = ins[2] && ins[2].size > 0 ? Number(ins[2].dataSync()[0]) : 0;
    const axes = ins[3] ? readInts(ins[3]) : undefined;
    return onnxPad(node, x, pads, mode, value, axes);
  };
}
