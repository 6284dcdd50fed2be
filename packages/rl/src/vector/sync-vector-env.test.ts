import { describe, expect, it } from 'vitest';
import { ToyEnv } from '../../test/toy-env.js';
import { SyncVectorEnv } from './sync-vector-env.js';

/** Two toy envs whose episodes last 2 and 3 steps. */
function twoToys(mode?: 'next-step' | 'same-step' | 'disabled', truncate = false): { envs: SyncVectorEnv; toys: ToyEnv[] } {
  const toys = [new ToyEnv({ length: 2, truncate }), new ToyEnv({ length: 3, truncate })];
  return { envs: new SyncVectorEnv(toys.map((t) => () => t), { autoresetMode: mode }), toys };
}

const rows = (obs: ArrayLike<number>, size = 3) => Array.from({ length: obs.length / size }, (_, i) => Array.from(obs).slice(i * size, (i + 1) * size));

describe('SyncVectorEnv', () => {
  it('batches reset observations as a Float32Array and seeds env i with seed + i', () => {
    const { envs, toys } = twoToys();
    const { obs, infos } = envs.reset({ seed: 7 });
    expect(obs).toBeInstanceOf(Float32Array);
    expect(rows(obs)).toEqual([[0, 0, -1], [0, 0, -1]]);
    expect(toys.map((t) => t.seeds)).toEqual([[7], [8]]);
    expect(Array.from(infos['seed'] as Float64Array)).toEqual([7, 8]);
    expect(Array.from(infos['_seed'] as Uint8Array)).toEqual([1, 1]);
  });

  it('takes one seed per env from an array, and none when left out', () => {
    const { envs, toys } = twoToys();
    envs.reset({ seed: [3, 11] });
    envs.reset();
    expect(toys.map((t) => t.seeds)).toEqual([[3, undefined], [11, undefined]]);
    expect(() => envs.reset({ seed: [1] })).toThrow(/expected 2 seeds/);
  });

  it('autoresets on the next step: action ignored, reset obs, reward 0, flags false, reset info', () => {
    const { envs, toys } = twoToys();
    envs.reset({ seed: 0 });
    const s1 = envs.step([1, 2]);
    expect(rows(s1.obs)).toEqual([[0, 1, 1], [0, 1, 2]]);
    expect(Array.from(s1.rewards)).toEqual([1, 1]);
    const s2 = envs.step([2, 1]);
    expect(Array.from(s2.terminations)).toEqual([1, 0]);
    expect(Array.from(s2.truncations)).toEqual([0, 0]);
    expect(rows(s2.obs)).toEqual([[0, 2, 2], [0, 2, 1]]);
    // step 3: env 0 is reset (its action 0 is ignored), env 1 terminates
    const s3 = envs.step([0, 0]);
    expect(rows(s3.obs)).toEqual([[1, 0, -1], [0, 3, 0]]);
    expect(Array.from(s3.rewards)).toEqual([0, 3]);
    expect(Array.from(s3.terminations)).toEqual([0, 1]);
    expect(Array.from(s3.infos['ep'] as Float64Array)).toEqual([1, 0]);
    expect(Array.from(s3.infos['t'] as Float64Array)).toEqual([0, 3]);
    expect(toys[0].actions).toEqual([1, 2]);
    expect(toys[0].seeds).toEqual([0, undefined]);
    // step 4: env 0 runs its new episode, env 1 is reset
    const s4 = envs.step([1, 1]);
    expect(rows(s4.obs)).toEqual([[1, 1, 1], [1, 0, -1]]);
    expect(Array.from(s4.rewards)).toEqual([11, 0]);
    expect(Array.from(s4.terminations)).toEqual([0, 0]);
    expect(toys[1].actions).toEqual([2, 1, 0]);
  });

  it('autoresets truncated episodes the same way', () => {
    const { envs } = twoToys('next-step', true);
    envs.reset();
    envs.step([0, 0]);
    const s2 = envs.step([0, 0]);
    expect(Array.from(s2.truncations)).toEqual([1, 0]);
    expect(Array.from(s2.terminations)).toEqual([0, 0]);
    const s3 = envs.step([0, 0]);
    expect(Array.from(s3.truncations)).toEqual([0, 1]);
    expect(s3.rewards[0]).toBe(0);
    expect(rows(s3.obs)[0]).toEqual([1, 0, -1]);
  });

  it('same-step mode resets within the step and puts final_obs / final_info in the infos', () => {
    const { envs } = twoToys('same-step');
    envs.reset();
    envs.step([1, 1]);
    const s2 = envs.step([2, 2]);
    expect(Array.from(s2.terminations)).toEqual([1, 0]);
    expect(Array.from(s2.rewards)).toEqual([2, 2]);
    expect(rows(s2.obs)).toEqual([[1, 0, -1], [0, 2, 2]]);
    const finalObs = s2.infos['final_obs'] as (Float32Array | undefined)[];
    expect(Array.from(finalObs[0]!)).toEqual([0, 2, 2]);
    expect(finalObs[1]).toBeUndefined();
    expect(Array.from(s2.infos['_final_obs'] as Uint8Array)).toEqual([1, 0]);
    const finalInfo = s2.infos['final_info'] as Record<string, unknown>;
    expect(Array.from(finalInfo['t'] as Float64Array)).toEqual([2, 0]);
    expect(Array.from(s2.infos['_final_info'] as Uint8Array)).toEqual([1, 0]);
    // the reset info of env 0, the step info of env 1
    expect(Array.from(s2.infos['ep'] as Float64Array)).toEqual([1, 0]);
    expect(Array.from(s2.infos['t'] as Float64Array)).toEqual([0, 2]);
    const s3 = envs.step([1, 1]);
    expect(rows(s3.obs)[0]).toEqual([1, 1, 1]);
    expect(s3.rewards[0]).toBe(11);
  });

  it('disabled mode refuses to step an ended env until reset_mask resets it', () => {
    const { envs, toys } = twoToys('disabled');
    envs.reset();
    envs.step([0, 0]);
    envs.step([0, 0]);
    expect(() => envs.step([0, 0])).toThrow(/sub-env 0 ended its episode.*'disabled'/);
    const r = envs.reset({ options: { reset_mask: Uint8Array.of(1, 0) } });
    expect(rows(r.obs)).toEqual([[1, 0, -1], [0, 2, 0]]);
    expect(Array.from(r.infos['_ep'] as Uint8Array)).toEqual([1, 0]);
    expect(toys[1].seeds).toEqual([undefined]);
    const s = envs.step([1, 1]);
    expect(Array.from(s.terminations)).toEqual([0, 1]);
  });

  it('returns fresh arrays on every call', () => {
    const { envs } = twoToys();
    const a = envs.reset().obs;
    const b = envs.step([0, 0]).obs;
    expect(a).not.toBe(b);
    expect(rows(a)[0]).toEqual([0, 0, -1]);
  });

  it('checks the action count, the autoreset mode, reset-before-step and mismatched spaces', () => {
    const { envs } = twoToys();
    expect(() => envs.step([0, 0])).toThrow(/call reset\(\) before the first step/);
    envs.reset();
    expect(() => envs.step([0])).toThrow(/expected 2 action values/);
    expect(() => new SyncVectorEnv([() => new ToyEnv()], { autoresetMode: 'later' as never })).toThrow(/autoresetMode must be one of/);
    expect(() => new SyncVectorEnv([])).toThrow(/non-empty array/);
    expect(() => new SyncVectorEnv([() => new ToyEnv(), () => new ToyEnv({ numActions: 4 })])).toThrow(/sub-env 1 has action space .*n=4/);
  });

  it('declares its autoreset mode in metadata and closes every sub-env once', () => {
    const { envs, toys } = twoToys('same-step');
    expect(envs.metadata).toEqual({ render_fps: 30, autoreset_mode: 'same-step' });
    expect(envs.singleActionSpace.kind).toBe('discrete');
    envs.close();
    envs.close();
    expect(toys.every((t) => t.closed)).toBe(true);
    expect(() => envs.reset()).toThrow(/closed/);
  });
});
