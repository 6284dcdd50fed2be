// Tensor methods of the 'movement' group: declared in declarations.ts, installed by the package
// entry (../tensor-methods.ts). Importing this file patches nothing.
import type { Tensor } from '../tensor.js';
import type { MethodTable } from './table.js';
import type { MovementMethods, PadMode, TensorLike, VarianceOptions } from './declarations.js';
import * as ops from '../ops/index-movement.js';


type Axes = number | readonly number[];

/** The implementations, one line per method (`x.relu()` is `relu(x)`). */
export const movementMethods: MethodTable<MovementMethods> = {
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
};
