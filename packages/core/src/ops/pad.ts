import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { fmtShape, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { broadcastTo } from './broadcast-to.js';
import { zeros } from './creation.js';
import { runKernel } from './kernel.js';
import { indexTensor, withDim } from './movement-utils.js';
import { reshape } from './reshape.js';
import { scatterAdd } from './scatter-add.js';
import { sliceBySpec } from './slice.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

import type { PadMode } from '../methods/declarations.js';
export type { PadMode };

/**
 * @internal For each output coordinate of a dim of size `n` padded by `before`/`after`, the input
 * coordinate it reads (`reflect` / `edge` modes).
 */
export function padIndexMap(n: number, before: number, after: number, mode: 'reflect' | 'edge', dim: number, shape: Shape): number[] {
  if (n === 0 && before + after > 0) {
    throw new Error(`pad: cannot ${mode}-pad dim ${dim} of size 0 (input ${fmtShape(shape)})`);
  }
  if (mode === 'reflect' && (before >= n || after >= n)) {
    throw new RangeError(
      `pad: reflect padding (${before}, ${after}) of dim ${dim} must be smaller than its size ${n} (input ${fmtShape(shape)})`,
    );
  }
  const m = new Array<number>(before + n + after);
  for (let p = 0; p < m.length; p++) {
    let i = p - before;
    if (mode === 'edge') i = Math.min(Math.max(i, 0), n - 1);
    else if (i < 0) i = -i;
    else if (i >= n) i = 2 * (n - 1) - i;
    m[p] = i;
  }
  return m;
}

/**
 * Pads `x` as PyTorch's `F.pad`: `pads` lists (before, after) pairs starting with the **last**
 * dim (`[left, right, top, bottom, …]`), covering the last `pads.length / 2` dims. `mode` is
 * `constant` (fill `value`; negative pads crop), `reflect` (mirror, pads smaller than the dim)
 * or `edge` / `replicate` (repeat the border value). Copies.
 * Gradient: constant → the matching slice of `dy`; reflect/edge → `dy` scatter-added back per
 * padded dim through the index map of the padding.
 *
 * @example pad(tensor([1, 2, 3]), [2, 1])               // [0, 0, 1, 2, 3, 0]
 * @example pad(tensor([1, 2, 3]), [2, 1], 'reflect')    // [3, 2, 1, 2, 3, 2]
 * @example pad(tensor([1, 2, 3]), [2, 1], 'edge')       // [1, 1, 1, 2, 3, 3]
 * @example pad(images, [1, 1, 1, 1]).shape              // [N, C, H+2, W+2] for NCHW images
 */
export function pad(x: TensorLike, pads: readonly number[], mode: PadMode = 'constant', value = 0): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    if (pads.length % 2 !== 0 || pads.length > 2 * t.rank || pads.some((p) => !Number.isInteger(p))) {
      throw new Error(
        `pad: pads [${pads}] must be an even number (at most ${2 * t.rank}) of integers for a tensor of shape ${fmtShape(t.shape)}`,
      );
    }
    const dimPads = new Array<number>(2 * t.rank).fill(0);
    for (let k = 0; k < pads.length / 2; k++) {
      const d = t.rank - 1 - k;
      dimPads[2 * d] = pads[2 * k]!;
      dimPads[2 * d + 1] = pads[2 * k + 1]!;
    }
    return padDims(t, dimPads, mode, value);
  });
}

/**
 * @internal `pad` with pads in dim order (`[before0, after0, before1, …]`, one pair per dim) —
 * the layout of the `pad` kernel.
 */
export function padDims(x: Tensor, dimPads: readonly number[], mode: PadMode = 'constant', value = 0): Tensor {
  return opScope(() => {
    let t = x;
    const m = mode === 'replicate' ? 'edge' : mode;
    if (m !== 'constant' && m !== 'reflect' && m !== 'edge') {
      throw new Error(`pad: unknown mode '${mode as string}' (expected 'constant', 'reflect', 'edge' or 'replicate')`);
    }
    if (dimPads.length !== 2 * t.rank) {
      throw new Error(`pad: ${dimPads.length} pads for a tensor of rank ${t.rank} (shape ${fmtShape(t.shape)})`);
    }
    if (dimPads.some((p) => p < 0)) {
      if (m !== 'constant') throw new RangeError(`pad: negative pads [${dimPads}] are only allowed in constant mode`);
      // negative pads crop: slice first, then pad the rest
      const begin = t.shape.map((_, d) => Math.max(0, -dimPads[2 * d]!));
      const size = t.shape.map((n, d) => n - begin[d]! - Math.max(0, -dimPads[2 * d + 1]!));
      if (size.some((s) => s < 0)) {
        throw new RangeError(`pad: pads [${dimPads}] (dim order) crop more than the shape ${fmtShape(t.shape)} holds`);
      }
      t = sliceBySpec(t, { begin: size.map((s, d) => (s === 0 ? 0 : begin[d]!)), size, step: size.map(() => 1) });
      dimPads = dimPads.map((p) => Math.max(0, p));
    }
    const src = t;
    const pads = [...dimPads];
    if (m === 'constant') {
      const out = runKernel('pad', [src], { pads, mode: m, value });
      return withGrad('pad', [src], out, (dy) => [
        sliceBySpec(dy, { begin: src.shape.map((_, d) => pads[2 * d]!), size: [...src.shape], step: src.shape.map(() => 1) }),
      ]);
    }
    const maps = src.shape.map((n, d) => padIndexMap(n, pads[2 * d]!, pads[2 * d + 1]!, m, d, src.shape));
    const out = runKernel('pad', [src], { pads, mode: m });
    return withGrad('pad', [src], out, (dy) => [
      opScope(() => {
        let g = dy;
        src.shape.forEach((n, d) => {
          if (pads[2 * d] === 0 && pads[2 * d + 1] === 0) return;
          const map = maps[d]!;
          const line = indexTensor(map, [map.length], n, 'pad');
          const idx = broadcastTo(reshape(line, g.shape.map((s, i) => (i === d ? s : 1))), g.shape);
          g = scatterAdd(zeros(withDim(g.shape, d, n), g.dtype), d, idx, g);
        });
        return g;
      }),
    ]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  pad(this: Tensor, pads: readonly number[], mode?: PadMode, value?: number): Tensor { return pad(this, pads, mode, value); },
};
