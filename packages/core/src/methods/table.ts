import type { Tensor } from '../tensor.js';

/**
 * The implementations of a group of Tensor methods, checked against the group's interface:
 * each entry takes the tensor as `this` and has the declared parameters and result.
 */
export type MethodTable<M> = {
  [K in keyof M]: M[K] extends (...args: infer A) => infer R ? (this: Tensor, ...args: A) => R : never;
};
