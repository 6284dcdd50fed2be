/**
 * Max pooling fast paths (core's `maxPool2d` and `maxPool2dBackward`, and `maxPool2dInt8` for
 * int8 / uint8 levels): one pass over each (n, c) plane in the kernel module
 * (assembly/pool.ts), planes split between threads.
 */
import { convGeometry, type WindowAttrs } from '@mapnn/core/backend';
import { DTYPE_CODE } from '../dtype-codes.js';
import type { WasmKernel, WasmKernels } from './register.js';

/** Argument slots 4..16 of both kernels: planes and the window geometry. */
function geometrySlots(attrs: WindowAttrs, shape: readonly number[], op: string): { slots: number[]; oh: number; ow: number } {
  const [N, C, H, W] = shape;
  const g = convGeometry(attrs, H, W, op);
  return { slots: [N * C, H, W, g.oh, g.ow, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw], oh: g.oh, ow: g.ow };
}

function checkRank4(shape: readonly number[], op: string, what: string): void {
  if (shape.length !== 4) throw new Error(`${op} (wasm): ${what} must be [N, C, H, W], got [${shape.join(', ')}]`);
}

const maxPool2d: WasmKernel<'maxPool2d'> = ([x], attrs, be) => {
  checkRank4(x!.shape, 'maxPool2d', 'x');
  const { slots, oh, ow } = geometrySlots(attrs, x!.shape, 'maxPool2d');
  const shape = [x!.shape[0]!, x!.shape[1]!, oh, ow];
  const y = be.alloc(shape, x!.dtype);
  const idx = be.alloc(shape, 'int32');
  const n = slots[0]! * oh * ow;
  if (n > 0) be.run('maxPool2d', [DTYPE_CODE[x!.dtype], be.ptr(x!), y.ptr, idx.ptr, ...slots], n * (slots[5]! * slots[6]!));
  return [be.output(y, shape, x!.dtype), be.output(idx, shape, 'int32')];
};

const maxPool2dGrad: WasmKernel<'maxPool2dGrad'> = ([dy, idx], attrs, be) => {
  const inputShape = attrs.inputShape;
  checkRank4(inputShape, 'maxPool2dGrad', 'inputShape');
  if (idx!.dtype !== 'int32') throw new Error(`maxPool2dGrad (wasm): idx must be int32, got ${idx!.dtype}`);
  const { slots, oh, ow } = geometrySlots(attrs, inputShape, 'maxPool2dGrad');
  const want = [inputShape[0]!, inputShape[1]!, oh, ow];
  for (const t of [dy!, idx!]) {
    if (t.shape.length !== 4 || t.shape.some((d, i) => d !== want[i])) {
      throw new Error(`maxPool2dGrad (wasm): dy and idx must be [${want.join(', ')}] for input [${inputShape.join(', ')}], got [${t.shape.join(', ')}]`);
    }
  }
  const dx = be.alloc(inputShape, dy!.dtype);
  const planeElems = inputShape[2]! * inputShape[3]!;
  if (slots[0]! * planeElems > 0) be.run('maxPool2dGrad', [DTYPE_CODE[dy!.dtype], dx.ptr, be.ptr(dy!), be.ptr(idx!), ...slots], slots[0]! * (planeElems + oh * ow));
  return be.output(dx, inputShape, dy!.dtype);
};

/** int8 / uint8 levels, values only (16 lanes of i8x16.max_s / max_u; padding never wins). */
const maxPool2dInt8: WasmKernel<'maxPool2dInt8'> = ([x], attrs, be) => {
  checkRank4(x!.shape, 'maxPool2dInt8', 'x');
  const { slots, oh, ow } = geometrySlots(attrs, x!.shape, 'maxPool2dInt8');
  const shape = [x!.shape[0]!, x!.shape[1]!, oh, ow];
  const y = be.alloc(shape, x!.dtype);
  const n = slots[0]! * oh * ow;
  if (n > 0) be.run('maxPool2dInt8', [DTYPE_CODE[x!.dtype], be.ptr(x!), y.ptr, 0, ...slots], (n * slots[5]! * slots[6]!) / 16);
  return be.output(y, shape, x!.dtype);
};

export const poolKernels = { maxPool2d, maxPool2dGrad, maxPool2dInt8 } satisfies WasmKernels;
