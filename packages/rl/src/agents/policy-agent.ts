import type { Optimizer } from '@mapnn/optimizers';
import { Agent, type AgentOptions } from './agent.js';
import type { CheckpointParts } from './checkpoint.js';
import { ActorCritic, type ActorCriticOptions } from './policy.js';

/**
 * An agent that acts with an `ActorCritic` (PPO, A2C, REINFORCE): sampling, the exported
 * policy (logits or the Gaussian mean) and disposal live here.
 */
export abstract class PolicyAgent extends Agent {
  readonly policy: ActorCritic;
  abstract readonly optimizer: Optimizer;

  constructor(options: AgentOptions & ActorCriticOptions) {
    super(options);
    this.policy = new ActorCritic(this.obsSize, this.actionSpace, this.generator, options);
  }

  policyModule() {
    return { module: this.policy, output: (this.policy.discrete ? 'logits' : 'action') as 'logits' | 'action' };
  }

  protected act(features: Float32Array, count: number, deterministic: boolean, masks: Uint8Array | null): Int32Array | Float32Array {
    return this.policy.sample(features, count, masks, deterministic, this.generator).envActions;
  }

  protected checkpointParts(): CheckpointParts {
    return { modules: { policy: this.policy }, optimizers: { optimizer: this.optimizer } };
  }

  protected disposeNetworks(): void {
    this.policy.dispose();
    this.optimizer.dispose();
  }
}
