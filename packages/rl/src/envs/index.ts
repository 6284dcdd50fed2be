export { Wrapper } from './wrapper.js';
export { TimeLimit } from './time-limit.js';
export { OrderEnforcing } from './order-enforcing.js';
export { CartPoleEnv } from './cartpole.js';
export { PendulumEnv } from './pendulum.js';
export { registerEnv, registerBuiltinEnvs, makeEnv, envIds, envSpec } from './registry.js';
