// Trains one agent on one env and prints the mean return of 100 greedy evaluation episodes.
// node examples/train-agent.mjs dqn|ppo|a2c|reinforce|sac CartPole-v1 STEPS SEED [backend]
import * as core from '@mapnn/core';
import '@mapnn/backend-cpu';
import { A2C, DQN, PPO, Reinforce, SAC, linearSchedule, makeEnv } from '@mapnn/rl';

const [agentName = 'ppo', envId = 'CartPole-v1', stepsArg = '100000', seedArg = '0', backend = 'wasm'] = process.argv.slice(2);
if (backend === 'wasm') {
  await import('@mapnn/backend-wasm');
  await core.setBackendAsync('wasm');
} else core.setBackend('cpu');

/** Tuned settings per agent and env (from the RL Baselines3 Zoo where it has them). */
const presets = {
  'dqn:CartPole-v1': () => new DQN({ env: envId, seed, hidden: [256, 256], learningRate: 2.3e-3, batchSize: 64, bufferSize: 100_000,
    learningStarts: 1000, gamma: 0.99, targetUpdateInterval: 10, trainFreq: 256, gradientSteps: 128, explorationFraction: 0.16, explorationFinalEps: 0.04 }),
  'ppo:CartPole-v1': () => new PPO({ env: envId, numEnvs: 8, seed, nSteps: 32, batchSize: 256, gaeLambda: 0.8, gamma: 0.98, nEpochs: 20,
    entCoef: 0, learningRate: linearSchedule(1e-3, 0, 1), clipRange: linearSchedule(0.2, 0, 1) }),
  'a2c:CartPole-v1': () => new A2C({ env: envId, numEnvs: 8, seed }),
  'reinforce:CartPole-v1': () => new Reinforce({ env: envId, numEnvs: 8, seed, learningRate: 1e-3, episodesPerUpdate: 8 }),
  'sac:Pendulum-v1': () => new SAC({ env: envId, seed, learningRate: 1e-3, hidden: [64, 64] }),
  'ppo:Pendulum-v1': () => new PPO({ env: envId, numEnvs: 4, seed, nSteps: 1024, gaeLambda: 0.95, gamma: 0.9, nEpochs: 10, learningRate: 1e-3, batchSize: 64, logStdInit: -0.5 }),
};
const seed = Number(seedArg);
const make = presets[`${agentName}:${envId}`];
if (!make) throw new Error(`no preset for ${agentName} on ${envId}; have ${Object.keys(presets).join(', ')}`);
const agent = make();
const t0 = performance.now();
await agent.learn(Number(stepsArg), {
  progressEvery: 10_000,
  onProgress: (p) => console.error(`${p.step} steps  ${p.stepsPerSecond.toFixed(0)} steps/s  mean return (last 100) ${p.meanReturn100?.toFixed(1)}`),
});
const trainSeconds = (performance.now() - t0) / 1000;
const env = makeEnv(envId);
const returns = [];
for (let ep = 0; ep < 100; ep++) {
  let { obs } = env.reset(ep === 0 ? { seed: 10_000 + seed } : {});
  let total = 0;
  for (;;) {
    const a = agent.predict(obs);
    const r = env.step(agent.actionSpace.kind === 'discrete' ? a[0] : a);
    total += r.reward;
    obs = r.obs;
    if (r.terminated || r.truncated) break;
  }
  returns.push(total);
}
const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
const std = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / returns.length);
console.log(JSON.stringify({ agent: agentName, env: envId, steps: Number(stepsArg), seed, meanReturn: mean, stdReturn: std, trainSeconds }));
agent.dispose();
process.exit(0);
