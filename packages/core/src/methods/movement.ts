// Tensor methods of the 'movement' group (declaration merging on Tensor; see ../tensor-methods.ts).
import { Tensor } from '../tensor.js';
import * as ops from '../ops/index-movement.js';
import type { PadMode } from '../ops/index-movement.js';
import type { TensorLike } from '../ops/tensor-factory.js';

/** Tensor methods of this group; merged into `Tensor` in tensor.ts. */
export interface MovementMethods {
  squeeze(axes?: number | readonly number[]): Tensor;
  unsqueeze(axis: number): Tensor;
  flatten(startDim?: number, endDim?: number): Tensor;
  slice(
    starts: number | readonly number[],
    ends?: number | readonly number[],
    axes?: number | readonly number[],
    steps?: number | readonly number[],
  ): Tensor;
  narrow(axis: number, start: number, length: number): Tensor;
  split(sizeOrSections: number | readonly number[], axis?: number): Tensor[];
  chunk(chunks: number, axis?: number): Tensor[];
  unbind(axis?: number): Tensor[];
  gather(axis: number, index: TensorLike): Tensor;
  scatter(axis: number, index: TensorLike, src: TensorLike): Tensor;
  scatterAdd(axis: number, index: TensorLike, src: TensorLike): Tensor;
  indexSelect(axis: number, indices: TensorLike): Tensor;
  pad(pads: readonly number[], mode?: PadMode, value?: number): Tensor;
  tile(reps: number | readonly number[]): Tensor;
  repeatInterleave(repeats: number | readonly number[], axis?: number): Tensor;
  tril(k?: number): Tensor;
  triu(k?: number): Tensor;
  flip(axes: number | readonly number[]): Tensor;
}

type Axes = number | readonly number[];

Object.assign(Tensor.prototype as unknown as Record<string, unknown>, {
  squeeze(this: Tensor, axes?: Axes) { return ops.squeeze(this, axes); },
  unsqueeze(this: Tensor, axis: number) { return ops.unsqueeze(this, axis); },
  flatten(this: Tensor, startDim?: number, endDim?: number) { return ops.flatten(this, startDim, endDim); },
  slice(this: Tensor, starts: Axes, ends?: Axes, axes?: Axes, steps?: Axes) { return ops.slice(this, starts, ends, axes, steps); },
  narrow(this: Tensor, axis: number, start: number, length: number) { return ops.narrow(this, axis, start, length); },
  split(this: Tensor, sizeOrSections: number | readonly number[], axis?: number) { return ops.split(this, sizeOrSections, axis); },
  chunk(this: Tensor, chunks: number, axis?: number) { return ops.chunk(this, chunks, axis); },
  unbind(this: Tensor, axis?: number) { return ops.unbind(this, axis); },
  gather(this: Tensor, axis: number, index: TensorLike) { return ops.gather(this, axis, index); },
  scatter(this: Tensor, axis: number, index: TensorLike, src: TensorLike) { return ops.scatter(this, axis, index, src); },
  scatterAdd(this: Tensor, axis: number, index: TensorLike, src: TensorLike) { return ops.scatterAdd(this, axis, index, src); },
  indexSelect(this: Tensor, axis: number, indices: TensorLike) { return ops.indexSelect(this, axis, indices); },
  pad(this: Tensor, pads: readonly number[], mode?: PadMode, value?: number) { return ops.pad(this, pads, mode, value); },
  tile(this: Tensor, reps: number | readonly number[]) { return ops.tile(this, reps); },
  repeatInterleave(this: Tensor, repeats: number | readonly number[], axis?: number) { return ops.repeatInterleave(this, repeats, axis); },
  tril(this: Tensor, k?: number) { return ops.tril(this, k); },
  triu(this: Tensor, k?: number) { return ops.triu(this, k); },
  flip(this: Tensor, axes: Axes) { return ops.flip(this, axes); },
});
