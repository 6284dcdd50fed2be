import { A2C, type A2COptions } from './a2c.js';
import type { Agent } from './agent.js';
import { DQN, type DQNOptions } from './dqn.js';
import { PPO, type PPOOptions } from './ppo.js';
import { Reinforce, type ReinforceOptions } from './reinforce.js';
import { SAC, type SACOptions } from './sac.js';

/** The agents by short name (as the CLI's `--agent` takes them). */
export const AGENT_KINDS = ['dqn', 'ppo', 'a2c', 'reinforce', 'sac'] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];

/** The options of each kind of agent. */
export interface AgentOptionsByKind {
  dqn: DQNOptions;
  ppo: PPOOptions;
  a2c: A2COptions;
  reinforce: ReinforceOptions;
  sac: SACOptions;
}

/** Whether `s` names an agent kind. */
export function isAgentKind(s: string): s is AgentKind {
  return (AGENT_KINDS as readonly string[]).includes(s);
}

/**
 * A new agent of the given kind ('dqn', 'ppo', 'a2c', 'reinforce', 'sac', or an agent's `name`
 * such as 'REINFORCE', case-insensitive).
 *
 * @example const agent = createAgent('ppo', { env: 'CartPole-v1', numEnvs: 8, seed: 0 });
 */
export function createAgent<K extends AgentKind>(kind: K | string, options: AgentOptionsByKind[K]): Agent {
  const k = kind.toLowerCase();
  switch (k) {
    case 'dqn': return new DQN(options as DQNOptions);
    case 'ppo': return new PPO(options as PPOOptions);
    case 'a2c': return new A2C(options as A2COptions);
    case 'reinforce': return new Reinforce(options as ReinforceOptions);
    case 'sac': return new SAC(options as SACOptions);
    default: throw new Error(`createAgent: unknown agent '${kind}'; expected one of ${AGENT_KINDS.join(', ')}`);
  }
}
