// Trains one agent on one env and prints the mean return of 100 greedy evaluation episodes.
// node examples/train-agent.mjs dqn|ppo|a2c|reinforce|sac CartPole-v1 STEPS SEED [backend]
// The tuned settings are `agentPreset` (src/agents/presets.ts), shared with `mapnn rl train`.
import * as core from '@mapnn/core';
import '@mapnn/backend-cpu';
import { agentPreset, createAgent, evaluateAgent, hasPreset, presetNames } from '@mapnn/rl';

const [agentName = 'ppo', envId = 'CartPole-v1', stepsArg = '100000', seedArg = '0', backend = 'wasm'] = process.argv.slice(2);
if (backend === 'wasm') {
  await import('@mapnn/backend-wasm');
  await core.setBackendAsync('wasm');
} else core.setBackend('cpu');

const seed = Number(seedArg);
if (!hasPreset(agentName, envId)) throw new Error(`no preset for ${agentName} on ${envId}; have ${presetNames().join(', ')}`);
const agent = createAgent(agentName, agentPreset(agentName, envId, seed));
const t0 = performance.now();
await agent.learn(Number(stepsArg), {
  progressEvery: 10_000,
  onProgress: (p) => console.error(`${p.step} steps  ${p.stepsPerSecond.toFixed(0)} steps/s  mean return (last 100) ${p.meanReturn100?.toFixed(1)}`),
});
const trainSeconds = (performance.now() - t0) / 1000;
const { meanReturn, stdReturn } = evaluateAgent(agent, { episodes: 100 });
console.log(JSON.stringify({ agent: agentName, env: envId, steps: Number(stepsArg), seed, meanReturn, stdReturn, trainSeconds }));
agent.dispose();
process.exit(0);
