import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { zeros } from './creation.js';
import { fold2d } from './fold2d.js';
import { gather } from './gather.js';
import { hasKernel, runKernel } from './kernel.js';
import { reshape } from './reshape.js';
import { scatterAdd } from './scatter-add.js';
import { unfold2d } from './unfold2d.js';

/** Window geometry of a max pooling as kernel attrs (the padding includes ceil mode's extra). */
export interface PoolWindowAttrs {
  kernel: [number, number];
  stride: [number, number];
  pads: [number, number, number, number];
  dilation: [number, number];
}

/**
 * The gradient of `maxPool2d` for `x` [N, C, H, W]: each `dy` [N, C, oh, ow] element added to the
 * input position its window took its maximum from (`idx`: the window-local index kh·kw-flat,
 * int32). Uses the backend's `maxPool2dGrad` kernel where it has one, else composes it as
 * `fold2d(scatterAdd(0, windows, idx, dy))`. Differentiable: its gradient reads the same
 * positions back (`gather` of the unfolded windows).
 *
 * @example maxPool2dBackward(dy, idx, [1, 1, 4, 4], { kernel: [2, 2], stride: [2, 2], pads: [0, 0, 0, 0], dilation: [1, 1] })
 */
export function maxPool2dBackward(dy: Tensor, idx: Tensor, inputShape: readonly number[], a: PoolWindowAttrs): Tensor {
  return opScope(() => {
    if (dy.rank !== 4 || idx.shape.length !== 4 || idx.shape.some((d, i) => d !== dy.shape[i])) {
      throw new Error(`maxPool2dBackward: dy and idx must be one [N, C, oh, ow] shape, got ${fmtShape(dy.shape)} and ${fmtShape(idx.shape)}`);
    }
    const [N, C, oh, ow] = dy.shape as [number, number, number, number];
    const [H, W] = [inputShape[2]!, inputShape[3]!];
    const k2 = a.kernel[0] * a.kernel[1];
    let dx: Tensor;
    if (dy.dtype !== 'float16' && hasKernel('maxPool2dGrad', dy.dtype)) {
      dx = runKernel('maxPool2dGrad', [dy, idx], { ...a, inputShape: [N, C, H, W] });
    } else {
      const cols = scatterAdd(zeros([N, C, k2, oh, ow], dy.dtype), 2, reshape(idx, [N, C, 1, oh, ow]), reshape(dy, [N, C, 1, oh, ow]));
      dx = fold2d(reshape(cols, [N, C * k2, oh * ow]), { ...a, outputSize: [H, W] });
    }
    return withGrad('maxPool2dBackward', [dy], dx, (ddx) => [
      reshape(gather(reshape(unfold2d(ddx, { ...a, padValue: 0 }), [N, C, k2, oh, ow]), 2, reshape(idx, [N, C, 1, oh, ow])), [N, C, oh, ow]),
    ]);
  });
}
