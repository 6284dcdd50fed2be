/**
 * @mapnn/rl — reinforcement learning: Gymnasium-exact environments, vector environments and
 * wrappers, and agents (DQN family, REINFORCE, A2C, PPO, SAC) on @mapnn/layers and
 * @mapnn/optimizers.
 */
export * from './types.js';
export * from './spaces/index.js';
export * from './envs/index.js';
export * from './vector/index.js';
export * from './wrappers/index.js';
export * from './agents/index.js';
