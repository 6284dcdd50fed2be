import { describe, expect, it } from 'vitest';
import { makeEnv } from '../envs/index.js';
import { expectClose, loadVectorFixture } from '../../test/vector-fixtures.js';
import { SyncVectorEnv } from './sync-vector-env.js';
import { VectorRecordEpisodeStatistics, type VectorEpisodeStatistics } from './record-episode-statistics.js';

interface Step {
  actions: number[];
  autoreset: number[];
  rewards: number[];
  terminations: number[];
  truncations: number[];
  obs: (number[] | null)[];
}

const fixture = loadVectorFixture<{ numEnvs: number; maxEpisodeSteps: number; startStates: number[][]; steps: Step[] }>('vector-sync-cartpole.json');

/** A wrapped SyncVectorEnv of CartPoles set to the fixture's start states. */
function cartPoles() {
  const inner = new SyncVectorEnv(Array.from({ length: fixture.numEnvs }, () => () => makeEnv('CartPole-v1', {}, { maxEpisodeSteps: fixture.maxEpisodeSteps })));
  const envs = new VectorRecordEpisodeStatistics(inner);
  envs.reset({ seed: 0 });
  const setState = (i: number) => {
    (inner.envs[i].unwrapped as unknown as { state: number[] }).state = fixture.startStates[i];
  };
  for (let i = 0; i < fixture.numEnvs; i++) setState(i);
  return { envs, setState };
}

describe('SyncVectorEnv against Gymnasium (CartPole-v1 × 3, next-step autoreset)', () => {
  it('reproduces rewards, flags, autoreset steps and observations', () => {
    const { envs, setState } = cartPoles();
    const n = fixture.numEnvs;
    let autoresets = 0;
    fixture.steps.forEach((want, t) => {
      const got = envs.step(Int32Array.from(want.actions));
      expect(got.obs).toBeInstanceOf(Float32Array);
      expect(Array.from(got.rewards), `step ${t} rewards`).toEqual(want.rewards);
      expect(Array.from(got.terminations), `step ${t} terminations`).toEqual(want.terminations);
      expect(Array.from(got.truncations), `step ${t} truncations`).toEqual(want.truncations);
      for (let i = 0; i < n; i++) {
        const row = got.obs.subarray(4 * i, 4 * i + 4);
        const expected = want.obs[i];
        if (want.autoreset[i]) {
          autoresets++;
          // the reset observation: CartPole draws each state variable from U(−0.05, 0.05)
          expect(got.rewards[i]).toBe(0);
          expect(got.terminations[i] + got.truncations[i]).toBe(0);
          for (const v of row) expect(Math.abs(v)).toBeLessThanOrEqual(0.05);
          setState(i);
        } else {
          expectClose(row, expected!, `step ${t} env ${i} obs`, 1e-5, 0);
        }
      }
    });
    expect(autoresets).toBeGreaterThanOrEqual(6);
  });

  it('reports the episodes that Gymnasium ends, with their returns and lengths', () => {
    const { envs, setState } = cartPoles();
    const ended: { t: number; env: number; r: number; l: number }[] = [];
    fixture.steps.forEach((want, t) => {
      const { infos } = envs.step(want.actions);
      want.autoreset.forEach((a, i) => a && setState(i));
      const mask = infos['_episode'] as Uint8Array | undefined;
      const stats = infos['episode'] as VectorEpisodeStatistics | undefined;
      mask?.forEach((m, i) => m && ended.push({ t, env: i, r: stats!.r[i], l: stats!.l[i] }));
    });
    // expected from the fixture: an episode runs from the step after its autoreset step to its end
    const expected: typeof ended = [];
    const start = new Array<number>(fixture.numEnvs).fill(0);
    fixture.steps.forEach((s, t) => {
      for (let i = 0; i < fixture.numEnvs; i++) {
        if (s.autoreset[i]) start[i] = t + 1;
        if (s.terminations[i] || s.truncations[i]) expected.push({ t, env: i, r: t - start[i] + 1, l: t - start[i] + 1 });
      }
    });
    expect(ended).toEqual(expected);
    expect(ended.length).toBeGreaterThanOrEqual(8);
    expect(envs.returnQueue.toArray()).toEqual(expected.map((e) => e.r));
  });
});
