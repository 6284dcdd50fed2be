import type { Space } from '../types.js';

/**
 * Throws unless `action` is in `space`, with an error naming the env, the space and the action:
 * `CartPole-v1: action 2 is not in the action space Discrete(2)`.
 *
 * @example checkAction(new Discrete(2), 1, 'CartPole-v1'); // passes
 */
export function checkAction(space: Space, action: unknown, envId: string): void {
  if (space.contains(action)) return;
  throw new Error(`${envId}: action ${describeValue(action)} is not in the action space ${space.toString()}`);
}

/**
 * A short text of a value for error messages: a number as is, an array or typed array as `[a, b]`.
 *
 * @example describeValue(Float32Array.of(0.5, 3)) // '[0.5, 3]'
 */
export function describeValue(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (v !== null && typeof v === 'object' && typeof (v as ArrayLike<unknown>).length === 'number') {
    return `[${Array.from(v as ArrayLike<unknown>, (x) => String(x)).join(', ')}]`;
  }
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}
