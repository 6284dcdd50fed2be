import type { VectorEnv } from '../types.js';
import type { Agent } from './agent.js';
import { createAgent, isAgentKind } from './agent-kinds.js';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, type AgentCheckpoint } from './checkpoint.js';
import { decodeJsonValue } from './checkpoint-json.js';

export interface RestoreOptions {
  /** The environment to act in: needed when the agent ran on a VectorEnv object (no env id); same number of sub-envs. */
  env?: VectorEnv;
}

/**
 * Rebuilds the agent a checkpoint was taken of (the right class, the saved options) with all
 * its training state; its envs reset on the next `learn`. Browser-safe (no file system).
 *
 * @example
 * const ck = agent.checkpoint();
 * const resumed = restoreAgent(ck);
 * await resumed.learn(200_000); // continues from ck.meta.steps
 */
export function restoreAgent(ck: AgentCheckpoint, options: RestoreOptions = {}): Agent {
  const m = ck?.meta;
  if (!m || m.format !== CHECKPOINT_FORMAT) throw new Error(`restoreAgent: not an agent checkpoint; expected meta.format '${CHECKPOINT_FORMAT}', got ${JSON.stringify(m?.format)}`);
  if (m.version !== CHECKPOINT_VERSION) throw new Error(`restoreAgent: checkpoint version ${m.version}; expected ${CHECKPOINT_VERSION}`);
  const kind = m.agent.toLowerCase();
  if (!isAgentKind(kind)) throw new Error(`restoreAgent: unknown agent '${m.agent}'; expected DQN, PPO, A2C, REINFORCE or SAC`);
  const env = options.env ?? m.envId;
  if (env === null || env === undefined) {
    throw new Error(`restoreAgent: the ${m.agent} checkpoint was trained on a VectorEnv object, not a registered env id; pass { env }`);
  }
  const saved = decodeJsonValue(m.options) as Record<string, unknown>;
  const agent = createAgent(kind, { ...saved, env, numEnvs: m.numEnvs, seed: m.seed } as never);
  try {
    return agent.loadCheckpoint(ck);
  } catch (e) {
    agent.dispose();
    throw e;
  }
}
