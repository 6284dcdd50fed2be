/** One rollout of `steps × envs` values, row-major by step (index `t * envs + e`). */
export interface GaeInput {
  steps: number;
  envs: number;
  rewards: ArrayLike<number>;
  /** V(s_t) for every step. */
  values: ArrayLike<number>;
  /** V of the observation after the last step, one per env. */
  lastValues: ArrayLike<number>;
  /** 1 where step t ended the episode in a terminal state (no bootstrap). */
  terminations: ArrayLike<number>;
  /** 1 where step t ended the episode (terminated or truncated): the advantage chain stops there. */
  dones: ArrayLike<number>;
  gamma: number;
  lambda: number;
}

/**
 * Generalized advantage estimation (Schulman et al. 2016) for a vector-env rollout collected
 * with next-step autoreset. `V(s_{t+1})` is always the value of the observation the env
 * returned on step t, which on a truncated step is the final observation: truncation therefore
 * bootstraps from the final observation's value, and only termination drops the bootstrap.
 * The chain `A_t = δ_t + γλ A_{t+1}` stops where step t ended the episode. Returns the
 * advantages and the returns `A + V`.
 *
 * @example
 * const { advantages, returns } = computeGae({ steps: 2, envs: 1, rewards: [1, 1], values: [0, 0],
 *   lastValues: [0], terminations: [0, 1], dones: [0, 1], gamma: 0.99, lambda: 0.95 });
 */
export function computeGae(input: GaeInput): { advantages: Float32Array; returns: Float32Array } {
  const { steps, envs, rewards, values, lastValues, terminations, dones, gamma, lambda } = input;
  const n = steps * envs;
  if (rewards.length !== n || values.length !== n || terminations.length !== n || dones.length !== n) {
    throw new Error(`computeGae: expected ${steps} × ${envs} = ${n} rewards, values, terminations and dones`);
  }
  const advantages = new Float32Array(n);
  const returns = new Float32Array(n);
  for (let e = 0; e < envs; e++) {
    let next = 0;
    for (let t = steps - 1; t >= 0; t--) {
      const i = t * envs + e;
      const nextValue = t === steps - 1 ? lastValues[e]! : values[i + envs]!;
      const delta = rewards[i]! + gamma * nextValue * (1 - terminations[i]!) - values[i]!;
      next = delta + gamma * lambda * (1 - dones[i]!) * next;
      advantages[i] = next;
      returns[i] = next + values[i]!;
    }
  }
  return { advantages, returns };
}

/**
 * Discounted returns-to-go of one episode, `G_t = r_t + γ G_{t+1}`, starting from `bootstrap`
 * after the last reward (the value of the final observation when the episode was truncated,
 * 0 when it terminated).
 *
 * @example discountedReturns([1, 1, 1], 0.5) // [1.75, 1.5, 1]
 */
export function discountedReturns(rewards: ArrayLike<number>, gamma: number, bootstrap = 0): Float32Array {
  const out = new Float32Array(rewards.length);
  let g = bootstrap;
  for (let t = rewards.length - 1; t >= 0; t--) {
    g = rewards[t]! + gamma * g;
    out[t] = g;
  }
  return out;
}
