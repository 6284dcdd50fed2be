import { describe, expect, it } from 'vitest';
import { ToyEnv } from '../../test/toy-env.js';
import { RecordEpisodeStatistics, type EpisodeStatistics } from './record-episode-statistics.js';

describe('RecordEpisodeStatistics', () => {
  it('puts { r, l, t } in the info of the step that ends the episode and queues the last episodes', () => {
    const env = new RecordEpisodeStatistics(new ToyEnv({ length: 3 }), { bufferLength: 2 });
    for (let episode = 0; episode < 3; episode++) {
      env.reset();
      expect(env.step(0).info['episode']).toBeUndefined();
      env.step(0);
      const last = env.step(0);
      const stats = last.info['episode'] as EpisodeStatistics;
      // toy rewards 10 * episode + t for t = 1, 2, 3
      expect(stats.r).toBe(30 * episode + 6);
      expect(stats.l).toBe(3);
      expect(stats.t).toBeGreaterThanOrEqual(0);
    }
    expect(env.returnQueue.toArray()).toEqual([36, 66]);
    expect(env.lengthQueue.toArray()).toEqual([3, 3]);
    expect(env.episodeCount).toBe(3);
  });

  it('ends episodes on truncation too, restarts on reset, and keeps the inner info untouched', () => {
    const env = new RecordEpisodeStatistics(new ToyEnv({ length: 2, truncate: true }), { statsKey: 'stats' });
    env.reset();
    env.step(1);
    env.reset(); // the episode restarts from 0
    env.step(0);
    const last = env.step(0);
    expect(last.truncated).toBe(true);
    expect(last.info).toMatchObject({ t: 2, stats: { r: 23, l: 2 } });
    expect(() => new RecordEpisodeStatistics(new ToyEnv(), { bufferLength: 1.5 })).toThrow(/bufferLength must be a positive integer/);
  });
});
