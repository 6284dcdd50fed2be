import { describe, expect, it } from 'vitest';
import { ToyEnv } from '../../test/toy-env.js';
import { VectorRecordEpisodeStatistics, type VectorEpisodeStatistics } from './record-episode-statistics.js';
import { SyncVectorEnv } from './sync-vector-env.js';
import { VectorWrapper } from './vector-wrapper.js';

function wrapped(mode: 'next-step' | 'same-step', lengths = [2, 3], bufferLength?: number) {
  const toys = lengths.map((length) => new ToyEnv({ length }));
  const envs = new VectorRecordEpisodeStatistics(new SyncVectorEnv(toys.map((t) => () => t), { autoresetMode: mode }), { bufferLength });
  envs.reset({ seed: 0 });
  return envs;
}

const stats = (infos: Record<string, unknown>) => infos['episode'] as VectorEpisodeStatistics;

describe('VectorRecordEpisodeStatistics', () => {
  it('reports return and length when an episode ends, not counting the next-step autoreset step', () => {
    const envs = wrapped('next-step');
    expect(envs.step([0, 0]).infos['episode']).toBeUndefined();
    // toy rewards: 10 * episode + t
    const s2 = envs.step([0, 0]); // env 0 ends: 1 + 2
    expect(Array.from(s2.infos['_episode'] as Uint8Array)).toEqual([1, 0]);
    expect(Array.from(stats(s2.infos).r)).toEqual([3, 0]);
    expect(Array.from(stats(s2.infos).l)).toEqual([2, 0]);
    expect(stats(s2.infos).t[0]).toBeGreaterThanOrEqual(0);
    expect(stats(s2.infos).t[1]).toBe(0);
    const s3 = envs.step([0, 0]); // env 0 autoresets, env 1 ends: 1 + 2 + 3
    expect(Array.from(s3.infos['_episode'] as Uint8Array)).toEqual([0, 1]);
    expect(Array.from(stats(s3.infos).r)).toEqual([0, 6]);
    expect(Array.from(stats(s3.infos).l)).toEqual([0, 3]);
    envs.step([0, 0]); // env 0: 11, env 1 autoresets
    const s5 = envs.step([0, 0]); // env 0 ends its 2nd episode: 11 + 12
    expect(Array.from(stats(s5.infos).r)).toEqual([23, 0]);
    expect(Array.from(stats(s5.infos).l)).toEqual([2, 0]);
    expect(envs.returnQueue.toArray()).toEqual([3, 6, 23]);
    expect(envs.lengthQueue.toArray()).toEqual([2, 3, 2]);
    expect(envs.timeQueue.length).toBe(3);
    expect(envs.episodeCount).toBe(3);
  });

  it('counts every step under same-step autoreset', () => {
    const envs = wrapped('same-step');
    envs.step([0, 0]);
    const s2 = envs.step([0, 0]);
    expect(Array.from(stats(s2.infos).r)).toEqual([3, 0]);
    const s3 = envs.step([0, 0]); // env 0's 2nd episode starts at once: 11; env 1 ends
    expect(Array.from(stats(s3.infos).r)).toEqual([0, 6]);
    const s4 = envs.step([0, 0]); // env 0 ends: 11 + 12
    expect(Array.from(stats(s4.infos).r)).toEqual([23, 0]);
    expect(Array.from(stats(s4.infos).l)).toEqual([2, 0]);
    expect(envs.returnQueue.toArray()).toEqual([3, 6, 23]);
  });

  it('keeps only the last bufferLength episodes', () => {
    const envs = wrapped('next-step', [1], 2);
    for (let i = 0; i < 8; i++) envs.step([0]);
    // episodes end on steps 1, 3, 5, 7 with returns 1, 11, 21, 31
    expect(envs.returnQueue.toArray()).toEqual([21, 31]);
    expect(envs.lengthQueue.toArray()).toEqual([1, 1]);
    expect(envs.episodeCount).toBe(4);
    expect(envs.returnQueue.mean()).toBe(26);
  });

  it('restarts the running episodes on reset (all, or those of reset_mask)', () => {
    const envs = wrapped('next-step', [3, 3]);
    envs.step([0, 0]);
    envs.reset();
    expect(Array.from(envs.episodeReturns)).toEqual([0, 0]);
    envs.step([0, 0]);
    envs.reset({ options: { reset_mask: [true, false] } });
    expect(Array.from(envs.episodeReturns)).toEqual([0, 11]);
    expect(Array.from(envs.episodeLengths)).toEqual([0, 1]);
  });

  it('refuses to overwrite an info key and forwards spaces and metadata', () => {
    class Clash extends VectorWrapper {
      override step(actions: ArrayLike<number>) {
        const r = super.step(actions);
        r.infos['episode'] = 'mine';
        return r;
      }
    }
    const inner = new SyncVectorEnv([() => new ToyEnv({ length: 1 })], { autoresetMode: 'same-step' });
    const envs = new VectorRecordEpisodeStatistics(new Clash(inner));
    expect(envs.autoresetMode).toBe('same-step');
    expect(envs.numEnvs).toBe(1);
    expect(envs.singleObservationSpace).toBe(inner.singleObservationSpace);
    expect(envs.unwrapped).toBe(inner);
    envs.reset();
    expect(() => envs.step([0])).toThrow(/already hold 'episode'/);
    expect(() => new VectorRecordEpisodeStatistics(inner, { bufferLength: 0 })).toThrow(/bufferLength must be a positive integer/);
  });
});
