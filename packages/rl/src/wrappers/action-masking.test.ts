import { describe, expect, it } from 'vitest';
import { ToyEnv } from '../../test/toy-env.js';
import { ActionMasking } from './action-masking.js';

/** Allows every action but the last one taken (obs[2]). */
const notLast = (obs: unknown) => Uint8Array.from([0, 1, 2], (a) => (a === (obs as Float32Array)[2] ? 0 : 1));

describe('ActionMasking', () => {
  it('puts info.action_mask on every reset and step', () => {
    const env = new ActionMasking(new ToyEnv({ length: 5 }), notLast);
    const r = env.reset();
    expect(r.info['action_mask']).toEqual(Uint8Array.of(1, 1, 1));
    expect(r.info['t']).toBe(0);
    const s = env.step(1);
    expect(s.info['action_mask']).toEqual(Uint8Array.of(1, 0, 1));
    expect(env.step(2).info['action_mask']).toEqual(Uint8Array.of(1, 1, 0));
  });

  it('rejects a masked-out action naming it and the mask', () => {
    const env = new ActionMasking(new ToyEnv({ length: 5 }), notLast);
    expect(() => env.step(0)).toThrow(/call reset\(\) before step\(\)/);
    env.reset();
    env.step(1);
    expect(() => env.step(1)).toThrow('ActionMasking.step: action 1 is masked out (action_mask [1, 0, 1], allowed actions: 0, 2)');
    expect(() => env.step(3)).toThrow(/action 3 is not in Discrete\(3\)/);
  });

  it('checks the mask length and the action space', () => {
    const env = new ActionMasking(new ToyEnv(), () => Uint8Array.of(1, 1));
    expect(() => env.reset()).toThrow(/must return 3 entries \(one per action\), got 2/);
    const boxActions = new ToyEnv();
    Object.defineProperty(boxActions, 'actionSpace', { value: boxActions.observationSpace });
    expect(() => new ActionMasking(boxActions, notLast)).toThrow(/ActionMasking: expected a Discrete action space/);
  });
});
