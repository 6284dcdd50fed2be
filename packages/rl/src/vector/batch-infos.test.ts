import { describe, expect, it } from 'vitest';
import { ToyEnv } from '../../test/toy-env.js';
import { ActionMasking } from '../wrappers/action-masking.js';
import { addInfo } from './batch-infos.js';
import { SyncVectorEnv } from './sync-vector-env.js';

describe('addInfo (batched infos)', () => {
  it('batches numbers, booleans, objects and nested dicts with _key masks', () => {
    const infos = {};
    addInfo(infos, { lives: 3, flag: true, name: 'a', nested: { x: 1 } }, 2, 3);
    addInfo(infos, { lives: 1 }, 0, 3);
    expect(infos).toEqual({
      lives: Float64Array.of(1, 0, 3), _lives: Uint8Array.of(1, 0, 1),
      flag: Uint8Array.of(0, 0, 1), _flag: Uint8Array.of(0, 0, 1),
      name: [undefined, undefined, 'a'], _name: Uint8Array.of(0, 0, 1),
      nested: { x: Float64Array.of(0, 0, 1), _x: Uint8Array.of(0, 0, 1) }, _nested: Uint8Array.of(0, 0, 1),
    });
  });

  it('gives info.action_mask of ActionMasking sub-envs as one mask per env (what the agents read)', () => {
    const mask = (obs: unknown) => Uint8Array.from([0, 1, 2], (a) => (a === (obs as Float32Array)[2] ? 0 : 1));
    const envs = new SyncVectorEnv([0, 1].map(() => () => new ActionMasking(new ToyEnv({ length: 2 }), mask)));
    const r = envs.reset();
    expect(r.infos['action_mask']).toEqual([Uint8Array.of(1, 1, 1), Uint8Array.of(1, 1, 1)]);
    const s = envs.step([0, 2]);
    expect(s.infos['action_mask']).toEqual([Uint8Array.of(0, 1, 1), Uint8Array.of(1, 1, 0)]);
    expect(() => envs.step([0, 1])).toThrow(/action 0 is masked out/);
  });
});
