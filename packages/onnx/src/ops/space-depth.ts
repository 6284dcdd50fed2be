// DepthToSpace and SpaceToDepth: blocks moved between channels and space.
import { reshape, transpose } from '@mapnn/core';
import type { OnnxKernel, OnnxNode } from '../converter.js';
import { fail, need } from './util.js';

/** DepthToSpace: moves channel blocks into spatial blocks (DCR or CRD order). */
export function convertDepthToSpace(node: OnnxNode): OnnxKernel {
  const b = node.attrs.int('blocksize', 0);
  const mode = node.attrs.string('mode', 'DCR');
  if (b < 1) throw new Error(`blocksize must be ≥ 1, got ${b}`);
  return (ins) => {
    const x = need(ins, 0, node);
    if (x.rank !== 4) fail(node, `input must be 4-D, got [${x.shape.join(',')}]`);
    const [N, C, H, W] = x.shape as [number, number, number, number];
    if (C % (b * b)) fail(node, `channels ${C} not divisible by blocksize² ${b * b}`);
    const c = C / (b * b);
    const t =
      mode === 'DCR'
        ? transpose(reshape(x, [N, b, b, c, H, W]), [0, 3, 4, 1, 5, 2])
        : transpose(reshape(x, [N, c, b, b, H, W]), [0, 1, 4, 2, 5, 3]);
    return reshape(t, [N, c, H * b, W * b]);
  };
}

/** SpaceToDepth: moves spatial blocks of `blocksize` into channels. */
export function convertSpaceToDepth(node: OnnxNode): OnnxKernel {
  const b = node.attrs.int('blocksize', 0);
  if (b < 1) throw new Error(`blocksize must be ≥ 1, got ${b}`);
  return (ins) => {
    const x = need(ins, 0, node);
    if (x.rank !== 4) fail(node, `input must be 4-D, got [${x.shape.join(',')}]`);
    const [N, C, H, W] = x.shape as [number, number, number, number];
    if (H % b || W % b) fail(node, `spatial dims ${H}×${W} not divisible by blocksize ${b}`);
    const t = transpose(reshape(x, [N, C, H / b, b, W / b, b]), [0, 3, 5, 1, 2, 4]);
    return reshape(t, [N, C * b * b, H / b, W / b]);
  };
}
