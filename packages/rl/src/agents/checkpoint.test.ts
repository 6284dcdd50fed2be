import '@mapnn/backend-cpu';
import { describe, expect, it } from 'vitest';
import { SignVectorEnv } from '../../test/agent-envs.js';
import { A2C } from './a2c.js';
import type { Agent } from './agent.js';
import type { AgentCheckpoint } from './checkpoint.js';
import { decodeCheckpointFiles, encodeCheckpointFiles } from './checkpoint-files.js';
import { DQN } from './dqn.js';
import { PPO } from './ppo.js';
import { Reinforce } from './reinforce.js';
import { restoreAgent } from './restore.js';
import { SAC } from './sac.js';
import { linearSchedule } from './schedule.js';

/** Every tensor of a checkpoint (networks, optimizer moments, SAC's log α) as plain arrays. */
const tensorsOf = (ck: AgentCheckpoint) => Object.fromEntries(Object.entries(ck.tensors).map(([k, t]) => [k, Array.from(t.data)]));

/** Through the file format and back (what saveAgent / loadAgent do without the disk). */
const viaFiles = (ck: AgentCheckpoint) => decodeCheckpointFiles(encodeCheckpointFiles(ck));

/**
 * learn(n), checkpoint, restore into a fresh agent, learn(m) against the uninterrupted
 * learn(n), endEpisodes(), learn(m) of the same agent: same tensors, counters, RNG and episodes.
 */
async function expectExactResume(make: (env: SignVectorEnv) => Agent, numEnvs: number, n: number, m: number, continuous = false): Promise<void> {
  const reference = make(new SignVectorEnv(numEnvs, continuous));
  await reference.learn(n);
  const atSave = reference.checkpoint();
  reference.endEpisodes();
  await reference.learn(m);
  const expected = reference.checkpoint();
  reference.dispose();

  const first = make(new SignVectorEnv(numEnvs, continuous));
  await first.learn(n);
  const saved = viaFiles(first.checkpoint());
  first.dispose();
  const resumed = restoreAgent(saved, { env: new SignVectorEnv(numEnvs, continuous) });
  expect(resumed.constructor).toBe(first.constructor);
  expect(resumed.steps).toBe(atSave.meta.steps);
  await resumed.learn(m);
  const got = resumed.checkpoint();
  resumed.dispose();

  // training after the save changed the networks (the comparison is not vacuous)
  expect(tensorsOf(expected)).not.toEqual(tensorsOf(atSave));
  expect(tensorsOf(got)).toEqual(tensorsOf(expected));
  expect(got.meta.steps).toBe(expected.meta.steps);
  expect(got.meta.generator).toEqual(expected.meta.generator);
  expect(got.meta.extra).toEqual(expected.meta.extra);
  expect(got.meta.episodes).toEqual(expected.meta.episodes);
  expect(got.buffer).toEqual(expected.buffer);
}

describe('checkpoint and exact resume (cpu, small)', { timeout: 120_000 }, () => {
  it('DQN with prioritized 3-step replay', async () => {
    await expectExactResume((env) => new DQN({ env, seed: 1, hidden: [8], learningRate: 5e-3, learningStarts: 40, bufferSize: 300,
      batchSize: 16, trainFreq: 4, gradientSteps: 1, targetUpdateInterval: 40, explorationFraction: 0.5, nStep: 3, prioritized: true,
      maxGradNorm: Infinity }), 2, 200, 400);
  });

  it('PPO with linear schedules', async () => {
    await expectExactResume((env) => new PPO({ env, seed: 2, hidden: [8], nSteps: 16, batchSize: 16, nEpochs: 2,
      learningRate: linearSchedule(3e-3, 0, 1), clipRange: linearSchedule(0.2, 0, 1) }), 2, 64, 160);
  });

  it('A2C', async () => {
    await expectExactResume((env) => new A2C({ env, seed: 3, hidden: [8], learningRate: 3e-3 }), 2, 100, 200);
  });

  it('REINFORCE keeps its finished-but-untrained episodes', async () => {
    // 10-step episodes, 2 envs, 3 episodes per update: at step 70 some finished episodes wait for the next update
    await expectExactResume((env) => new Reinforce({ env, seed: 4, hidden: [8], episodesPerUpdate: 3 }), 2, 70, 200);
  });

  it('SAC', async () => {
    await expectExactResume((env) => new SAC({ env, seed: 5, hidden: [8], batchSize: 16, learningStarts: 20, bufferSize: 200 }), 1, 60, 120, true);
  });

  it('restores by env id with the saved options, and refuses what does not match', async () => {
    const agent = new PPO({ env: 'CartPole-v1', seed: 7, hidden: [8], nSteps: 8, batchSize: 8, nEpochs: 1 });
    await agent.learn(16);
    const ck = viaFiles(agent.checkpoint());
    const back = restoreAgent(ck);
    expect(back).toBeInstanceOf(PPO);
    expect(back.envId).toBe('CartPole-v1');
    expect((back as PPO).batchSize).toBe(8);
    back.dispose();
    expect(() => new A2C({ env: 'CartPole-v1', hidden: [8] }).loadCheckpoint(ck)).toThrow(/checkpoint is of PPO with 1 envs; expected A2C/);
    expect(() => new PPO({ env: 'CartPole-v1', hidden: [4] }).loadCheckpoint(ck)).toThrow(/shape mismatches/);
    const toy = new PPO({ env: new SignVectorEnv(1), hidden: [8] });
    expect(() => restoreAgent(toy.checkpoint())).toThrow(/VectorEnv object.*pass \{ env \}/);
    expect(() => new PPO({ env: 'CartPole-v1', learningRate: (p: number) => 1 - p }).checkpoint()).toThrow(/options.learningRate is a function/);
    toy.dispose();
    agent.dispose();
  });

  it('malformed files: errors name the file and what was expected', () => {
    const agent = new DQN({ env: new SignVectorEnv(1), hidden: [4], bufferSize: 10 });
    const files = encodeCheckpointFiles(agent.checkpoint());
    agent.dispose();
    expect(() => decodeCheckpointFiles({ ...files, 'agent.json': '{"format": "x"' })).toThrow(/agent.json: not valid JSON/);
    expect(() => decodeCheckpointFiles({ ...files, 'agent.json': '{"format": "x"}' })).toThrow(/agent.json: not a mapnn agent checkpoint; expected "format": "mapnn-rl-agent"/);
    expect(() => decodeCheckpointFiles({ ...files, 'weights.safetensors': new Uint8Array(5) })).toThrow(/^weights.safetensors: /);
    const noBuffer = decodeCheckpointFiles({ 'agent.json': files['agent.json'], 'weights.safetensors': files['weights.safetensors'] });
    expect(() => restoreAgent(noBuffer, { env: new SignVectorEnv(1) })).toThrow(/no replay buffer; expected its contents \(buffer.safetensors\)/);
  });
});
