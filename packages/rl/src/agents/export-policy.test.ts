import '@mapnn/backend-cpu';
import * as ort from 'onnxruntime-node';
import { Generator } from '@mapnn/core';
import { describe, expect, it } from 'vitest';
import { makeEnv } from '../envs/registry.js';
import { DQN } from './dqn.js';
import { exportPolicyOnnx } from './export-policy.js';
import { PPO } from './ppo.js';
import { SAC } from './sac.js';

/** 1,000 CartPole observations from random-action episodes. */
function recordObservations(count: number): Float32Array {
  const env = makeEnv('CartPole-v1');
  const g = new Generator(11);
  const out = new Float32Array(count * 4);
  let { obs } = env.reset({ seed: 5 });
  for (let i = 0; i < count; i++) {
    out.set(obs as Float32Array, i * 4);
    const r = env.step(g.nextBelow(2));
    obs = r.obs;
    if (r.terminated || r.truncated) obs = env.reset().obs;
  }
  return out;
}

async function runOrt(bytes: Uint8Array, obs: Float32Array, rows: number, width: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const res = await session.run({ obs: new ort.Tensor('float32', obs, [rows, width]) });
  return res[session.outputNames[0]!]!.data as Float32Array;
}

function argmaxRows(x: Float32Array, rows: number): Int32Array {
  const k = x.length / rows;
  return Int32Array.from({ length: rows }, (_, i) => {
    let best = 0;
    for (let a = 1; a < k; a++) if (x[i * k + a]! > x[i * k + best]!) best = a;
    return best;
  });
}

describe('exported policies run in onnxruntime-node', () => {
  const n = 1000;
  const obs = recordObservations(n);

  it('a trained PPO CartPole policy picks the same actions on 1,000 recorded observations', async () => {
    const agent = new PPO({ env: 'CartPole-v1', numEnvs: 4, seed: 1, nSteps: 64, batchSize: 64, nEpochs: 4, learningRate: 1e-3 });
    await agent.learn(4000);
    const mine = agent.predict(obs, { count: n });
    const { bytes, outputName } = exportPolicyOnnx(agent);
    expect(outputName).toBe('logits');
    const theirs = argmaxRows(await runOrt(bytes, obs, n, 4), n);
    expect(new Set(mine).size).toBe(2); // the policy is not constant, so agreement means something
    expect(Array.from(theirs)).toEqual(Array.from(mine));
    agent.dispose();
  });

  it('DQN exports its Q-values', async () => {
    const agent = new DQN({ env: 'CartPole-v1', seed: 2, hidden: [32, 32] });
    const mine = agent.predict(obs, { count: n });
    const theirs = argmaxRows(await runOrt(exportPolicyOnnx(agent).bytes, obs, n, 4), n);
    expect(Array.from(theirs)).toEqual(Array.from(mine));
    agent.dispose();
  });

  it('SAC exports the deterministic action in env units', async () => {
    const agent = new SAC({ env: 'Pendulum-v1', seed: 3, hidden: [32, 32] });
    const pobs = Float32Array.from({ length: 300 }, (_, i) => Math.sin(i * 0.37) * 2);
    const mine = agent.predict(pobs, { count: 100 }) as Float32Array;
    const { bytes, outputName } = exportPolicyOnnx(agent);
    expect(outputName).toBe('action');
    const theirs = await runOrt(bytes, pobs, 100, 3);
    for (let i = 0; i < 100; i++) expect(theirs[i]).toBeCloseTo(mine[i]!, 5);
    expect(Math.max(...Array.from(mine).map(Math.abs))).toBeLessThanOrEqual(2);
    agent.dispose();
  });
});
