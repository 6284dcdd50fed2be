import type { DiscreteSpace, Env, Info, ResetOptions, ResetResult, SpaceValue, StepResult } from '../types.js';
import { Wrapper } from '../envs/wrapper.js';

/** Computes the allowed actions for an observation: entry a is 1 where action `start + a` is allowed. */
export type ActionMaskFn = (obs: SpaceValue, info: Info, env: Env) => ArrayLike<number>;

/** The mask as Uint8Array 0/1, checked for length. */
function toMask(raw: ArrayLike<number>, n: number): Uint8Array {
  if (!raw || raw.length !== n) throw new Error(`ActionMasking: the mask function must return ${n} entries (one per action), got ${raw?.length}`);
  return Uint8Array.from(raw, (v) => (v ? 1 : 0));
}

/**
 * Puts the allowed actions of a Discrete action space into every reset and step result as
 * `info.action_mask` (a `Uint8Array` of length n, 1 = allowed), computed by `maskFn` from the
 * observation, the info and the wrapped env; stepping with a masked-out action throws. Agents
 * read `info.action_mask` to restrict exploration and greedy choices.
 *
 * @example
 * // in FrozenLake, forbid moving left from the first column
 * const env = new ActionMasking(makeEnv('FrozenLake-v1'), (obs) => Uint8Array.of((obs as number) % 4 === 0 ? 0 : 1, 1, 1, 1));
 * env.reset({ seed: 0 }).info.action_mask; // Uint8Array [0, 1, 1, 1]
 * env.step(0); // throws: action 0 is masked out
 */
export class ActionMasking extends Wrapper {
  readonly maskFn: ActionMaskFn;
  /** The mask of the current observation (`null` before the first reset). */
  mask: Uint8Array | null = null;
  private readonly space: DiscreteSpace;

  constructor(env: Env, maskFn: ActionMaskFn) {
    super(env);
    if (env.actionSpace.kind !== 'discrete') throw new Error(`ActionMasking: expected a Discrete action space, got ${env.actionSpace}`);
    if (typeof maskFn !== 'function') throw new Error('ActionMasking: expected a mask function (obs, info, env) => Uint8Array');
    this.space = env.actionSpace;
    this.maskFn = maskFn;
  }

  override reset(options?: ResetOptions): ResetResult {
    const result = super.reset(options);
    return { ...result, info: this.withMask(result.obs, result.info) };
  }

  override step(action: SpaceValue): StepResult {
    this.checkAllowed(action);
    const result = super.step(action);
    return { ...result, info: this.withMask(result.obs, result.info) };
  }

  /** Throws unless `action` is allowed by the current mask. */
  private checkAllowed(action: SpaceValue): void {
    if (!this.mask) throw new Error('ActionMasking.step: call reset() before step()');
    const index = typeof action === 'number' ? action - this.space.start : Number.NaN;
    if (!(Number.isInteger(index) && index >= 0 && index < this.space.n)) {
      throw new Error(`ActionMasking.step: action ${String(action)} is not in ${this.space}`);
    }
    if (!this.mask[index]) {
      const allowed = [...this.mask.keys()].filter((a) => this.mask![a]).map((a) => a + this.space.start);
      throw new Error(`ActionMasking.step: action ${action} is masked out (action_mask [${Array.from(this.mask).join(', ')}], allowed actions: ${allowed.join(', ') || 'none'})`);
    }
  }

  /** The info with the new observation's mask (also kept in `mask`). */
  private withMask(obs: SpaceValue, info: Info): Info {
    this.mask = toMask(this.maskFn(obs, info, this.env), this.space.n);
    return { ...info, action_mask: this.mask.slice() };
  }
}
