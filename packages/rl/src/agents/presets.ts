import type { AgentKind, AgentOptionsByKind } from './agent-kinds.js';
import { linearSchedule } from './schedule.js';

type Preset = () => Record<string, unknown>;

/** Tuned settings per agent and env (from the RL Baselines3 Zoo where it has them). */
const PRESETS: Record<string, Preset> = {
  'dqn:CartPole-v1': () => ({ hidden: [256, 256], learningRate: 2.3e-3, batchSize: 64, bufferSize: 100_000, learningStarts: 1000,
    gamma: 0.99, targetUpdateInterval: 10, trainFreq: 256, gradientSteps: 128, explorationFraction: 0.16, explorationFinalEps: 0.04 }),
  'ppo:CartPole-v1': () => ({ numEnvs: 8, nSteps: 32, batchSize: 256, gaeLambda: 0.8, gamma: 0.98, nEpochs: 20, entCoef: 0,
    learningRate: linearSchedule(1e-3, 0, 1), clipRange: linearSchedule(0.2, 0, 1) }),
  'a2c:CartPole-v1': () => ({ numEnvs: 8 }),
  'reinforce:CartPole-v1': () => ({ numEnvs: 8, learningRate: 1e-3, episodesPerUpdate: 8 }),
  'sac:Pendulum-v1': () => ({ learningRate: 1e-3, hidden: [64, 64] }),
  'ppo:Pendulum-v1': () => ({ numEnvs: 4, nSteps: 1024, gaeLambda: 0.95, gamma: 0.9, nEpochs: 10, learningRate: 1e-3, batchSize: 64, logStdInit: -0.5 }),
};

/** The `agent:envId` pairs that have tuned presets. */
export function presetNames(): string[] {
  return Object.keys(PRESETS);
}

/** Whether `agent` has tuned settings for `envId`. */
export function hasPreset(agent: AgentKind, envId: string): boolean {
  return `${agent}:${envId}` in PRESETS;
}

/**
 * Options for `agent` on `envId`: the tuned preset where there is one (see `presetNames()`),
 * else the agent's defaults; then `overrides` (undefined values are ignored).
 *
 * @example
 * const agent = createAgent('ppo', agentPreset('ppo', 'CartPole-v1', 0)); // 8 envs, tuned PPO
 * const dqn = new DQN(agentPreset('dqn', 'CartPole-v1', 1, { learningStarts: 500 }));
 */
export function agentPreset<K extends AgentKind>(agent: K, envId: string, seed = 0, overrides: Partial<AgentOptionsByKind[K]> = {}): AgentOptionsByKind[K] {
  const preset = PRESETS[`${agent}:${envId}`]?.() ?? {};
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return { ...preset, env: envId, seed, ...given } as AgentOptionsByKind[K];
}
