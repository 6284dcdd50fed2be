import { makeEnv } from '../envs/registry.js';
import type { Env } from '../types.js';
import type { Agent } from './agent.js';

export interface EvaluateOptions {
  /** Episodes to run (default 100). */
  episodes?: number;
  /** Seed of the first reset (default 10 000 + the agent's seed). */
  seed?: number;
  /** The env to run in (default `makeEnv(agent.envId, envKwargs)`, a fresh one). */
  env?: Env;
  /** The agent's deterministic policy (default) or sampled actions. */
  deterministic?: boolean;
}

export interface EvaluateResult {
  meanReturn: number;
  stdReturn: number;
  returns: number[];
  lengths: number[];
}

/**
 * Runs the agent's greedy / deterministic policy for whole episodes on a fresh environment and
 * returns the mean and (population) standard deviation of the undiscounted returns.
 *
 * @example
 * const { meanReturn, stdReturn } = evaluateAgent(agent, { episodes: 100 });
 */
export function evaluateAgent(agent: Agent, options: EvaluateOptions = {}): EvaluateResult {
  const episodes = options.episodes ?? 100;
  if (!(Number.isInteger(episodes) && episodes > 0)) throw new Error(`evaluateAgent: episodes must be a positive integer, got ${episodes}`);
  let env = options.env;
  if (!env) {
    if (!agent.envId) throw new Error(`evaluateAgent: the ${agent.name} agent acts in a VectorEnv object, not a registered env id; pass { env }`);
    env = makeEnv(agent.envId, agent.agentOptions.envKwargs ?? {});
  }
  const discrete = agent.actionSpace.kind === 'discrete';
  const deterministic = options.deterministic ?? true;
  const returns: number[] = [];
  const lengths: number[] = [];
  try {
    for (let ep = 0; ep < episodes; ep++) {
      let { obs, info } = env.reset(ep === 0 ? { seed: options.seed ?? 10_000 + agent.seed } : {});
      let total = 0;
      let length = 0;
      for (;;) {
        const masks = info['action_mask'] ? Uint8Array.from(info['action_mask'] as ArrayLike<number>) : null;
        const a = agent.predict(typeof obs === 'number' ? [obs] : (obs as ArrayLike<number>), { deterministic, masks });
        const r = env.step(discrete ? a[0]! : a);
        total += r.reward;
        length++;
        obs = r.obs;
        info = r.info;
        if (r.terminated || r.truncated) break;
      }
      returns.push(total);
      lengths.push(length);
    }
  } finally {
    if (!options.env) env.close();
  }
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const std = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / returns.length);
  return { meanReturn: mean, stdReturn: std, returns, lengths };
}
