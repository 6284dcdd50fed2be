import type { Space, SpaceValue } from '../types.js';

/** The typed array a vector env batches observations of a space into. */
export type BatchArray = Float32Array | Float64Array | Int32Array;

/** Elements of one value of `space` (1 for `Discrete`). */
export function flatSize(space: Space): number {
  return space.shape.reduce((a, b) => a * b, 1);
}

/**
 * A zeroed batch of `count` values of `space`, row-major: `Float32Array` for float32 boxes,
 * `Float64Array` for float64 boxes, `Int32Array` for discrete, multi-discrete and integer boxes.
 *
 * @example
 * createBatch(cartPole.observationSpace, 4); // Float32Array(16)
 */
export function createBatch(space: Space, count: number): BatchArray {
  const size = flatSize(space) * count;
  if (space.kind === 'box' && space.dtype === 'float32') return new Float32Array(size);
  if (space.kind === 'box' && space.dtype === 'float64') return new Float64Array(size);
  return new Int32Array(size);
}

/**
 * Writes one value of `space` into row `index` of `batch`; `owner` names the caller in the
 * error for a value of the wrong size.
 *
 * @example
 * writeRow(batch, 2, obs, space, 'SyncVectorEnv');
 */
export function writeRow(batch: BatchArray, index: number, value: SpaceValue, space: Space, owner: string): void {
  const size = flatSize(space);
  if (typeof value === 'number') {
    if (size !== 1) throw new Error(`${owner}: sub-env ${index} returned the number ${value}, expected ${size} values for ${space}`);
    batch[index] = value;
    return;
  }
  if (value.length !== size) throw new Error(`${owner}: sub-env ${index} returned an observation of ${value.length} values, expected ${size} for ${space}`);
  batch.set(value, index * size);
}

/**
 * The action for sub-env `index` out of a batch of actions: a number for `Discrete`, a fresh typed
 * array (of the space's dtype) for `Box` / `MultiDiscrete`. See `checkActions` for the length.
 *
 * @example
 * actionAt([0, 1, 1], 2, discrete2); // 1
 */
export function actionAt(actions: ArrayLike<number>, index: number, space: Space): SpaceValue {
  if (space.kind === 'discrete') return actions[index];
  const size = flatSize(space);
  const start = index * size;
  const out = space.kind === 'multi-discrete' ? new Int32Array(size) : space.dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
  for (let k = 0; k < size; k++) out[k] = actions[start + k];
  return out;
}

/**
 * Checks that a batch of actions has one entry per env (× the action size for boxes).
 *
 * @example
 * checkActions(actions, 4, space, 'SyncVectorEnv');
 */
export function checkActions(actions: ArrayLike<number>, numEnvs: number, space: Space, owner: string): void {
  const expected = numEnvs * flatSize(space);
  if (actions.length !== expected) {
    throw new Error(`${owner}.step: expected ${expected} action values (${numEnvs} envs × ${flatSize(space)} for ${space}), got ${actions.length}`);
  }
}
