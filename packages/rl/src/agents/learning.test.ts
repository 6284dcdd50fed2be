import '@mapnn/backend-cpu';
import { describe, expect, it } from 'vitest';
import { SignVectorEnv } from '../../test/agent-envs.js';
import { A2C } from './a2c.js';
import type { Agent } from './agent.js';
import { DQN } from './dqn.js';
import type { EpisodeEvent } from './events.js';
import { PPO } from './ppo.js';
import { Reinforce } from './reinforce.js';
import { SAC } from './sac.js';

/** Mean reward per step of the greedy policy on fresh sign observations. */
function greedyScore(agent: Agent, continuous: boolean): number {
  const xs = Float32Array.from({ length: 64 }, (_, i) => (i % 2 ? 1 : -1));
  const a = agent.predict(xs, { count: 64 });
  let score = 0;
  for (let i = 0; i < 64; i++) score += continuous ? -((a[i]! - xs[i]!) ** 2) : (a[i] === 1) === (xs[i]! > 0) ? 1 : 0;
  return score / 64;
}

// small seeded runs; generous timeouts because CI runs many test processes on few cores
describe('agents learn the sign task (seeded, small)', { timeout: 180_000 }, () => {
  it('DQN (double, dueling, 3-step, prioritized) picks the matching action', async () => {
    const agent = new DQN({ env: new SignVectorEnv(4), seed: 1, hidden: [16], learningRate: 5e-3, learningStarts: 100,
      batchSize: 32, trainFreq: 4, gradientSteps: 2, targetUpdateInterval: 100, explorationFraction: 0.3,
      double: true, dueling: true, nStep: 3, prioritized: true, gamma: 0.5 });
    expect(greedyScore(agent, false)).toBeLessThan(0.9);
    await agent.learn(2000);
    expect(greedyScore(agent, false)).toBe(1);
    expect(agent.updates).toBeGreaterThan(400);
    agent.dispose();
  });

  it('PPO (discrete) and its episode events', async () => {
    const episodes: EpisodeEvent[] = [];
    const agent = new PPO({ env: new SignVectorEnv(4), seed: 2, hidden: [16], nSteps: 32, batchSize: 64, nEpochs: 4, learningRate: 3e-3 });
    await agent.learn(3000, { onEpisode: (e) => episodes.push(e) });
    expect(greedyScore(agent, false)).toBe(1);
    // 10-step episodes, each followed by one autoreset step per env: 3000 / 4 steps per env → 68 or so
    expect(episodes.length).toBeGreaterThan(4 * 60);
    expect(episodes.every((e) => e.length === 10 && e.truncated)).toBe(true);
    expect(episodes.at(-1)!.return).toBeGreaterThan(episodes[0]!.return);
    agent.dispose();
  });

  it('PPO (Gaussian) moves its mean action onto the target', async () => {
    const agent = new PPO({ env: new SignVectorEnv(4, true), seed: 3, hidden: [16], nSteps: 64, batchSize: 64, nEpochs: 5, learningRate: 3e-3 });
    await agent.learn(6000);
    expect(greedyScore(agent, true)).toBeGreaterThan(-0.05);
    agent.dispose();
  });

  it('A2C', async () => {
    const agent = new A2C({ env: new SignVectorEnv(8), seed: 4, hidden: [16], learningRate: 3e-3 });
    await agent.learn(6000);
    expect(greedyScore(agent, false)).toBe(1);
    agent.dispose();
  });

  it('REINFORCE with a baseline', async () => {
    const agent = new Reinforce({ env: new SignVectorEnv(4), seed: 5, hidden: [16], learningRate: 3e-3, episodesPerUpdate: 4 });
    await agent.learn(4000);
    expect(greedyScore(agent, false)).toBe(1);
    agent.dispose();
  });

  it('SAC', async () => {
    const agent = new SAC({ env: new SignVectorEnv(1, true), seed: 6, hidden: [16], learningRate: 1e-2, batchSize: 32, gamma: 0.5, learningStarts: 50 });
    await agent.learn(500);
    expect(greedyScore(agent, true)).toBeGreaterThan(-0.05);
    agent.dispose();
  });

  it('the same seed gives the same learning curve', async () => {
    const run = async () => {
      const returns: number[] = [];
      const agent = new PPO({ env: new SignVectorEnv(2), seed: 9, hidden: [8], nSteps: 16, batchSize: 16, nEpochs: 2 });
      await agent.learn(400, { onEpisode: (e) => returns.push(e.return) });
      agent.dispose();
      return returns;
    };
    const a = await run();
    expect(a.length).toBeGreaterThan(10);
    expect(await run()).toEqual(a);
  });
});
