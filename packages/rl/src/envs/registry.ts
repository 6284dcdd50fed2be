import type { Env, EnvFactory, EnvSpec } from '../types.js';
import { CartPoleEnv } from './cartpole.js';
import { OrderEnforcing } from './order-enforcing.js';
import { PendulumEnv } from './pendulum.js';
import { TimeLimit } from './time-limit.js';

interface Registered {
  factory: EnvFactory;
  spec: EnvSpec;
}

const registry = new Map<string, Registered>();
let builtinsRegistered = false;

/** Registers the built-in environments (done on first use of `makeEnv` / `envIds`). */
export function registerBuiltinEnvs(): void {
  if (builtinsRegistered) return;
  builtinsRegistered = true;
  registerEnv('CartPole-v1', () => new CartPoleEnv(), { maxEpisodeSteps: 500, rewardThreshold: 475 });
  registerEnv('Pendulum-v1', (kw) => new PendulumEnv(kw['g'] === undefined ? 10 : Number(kw['g'])), { maxEpisodeSteps: 200 });
}

/**
 * Registers an environment under an id (Gymnasium's `register`), for `makeEnv`.
 *
 * @example registerEnv('Corridor-v0', (kw) => new Corridor(kw), { maxEpisodeSteps: 100 });
 */
export function registerEnv(id: string, factory: EnvFactory, options: { maxEpisodeSteps?: number; rewardThreshold?: number; kwargs?: Record<string, unknown> } = {}): void {
  registry.set(id, { factory, spec: { id, maxEpisodeSteps: options.maxEpisodeSteps, rewardThreshold: options.rewardThreshold, kwargs: options.kwargs ?? {} } });
}

/** The registered ids. */
export function envIds(): string[] {
  registerBuiltinEnvs();
  return [...registry.keys()].sort();
}

/** How `id` was registered. */
export function envSpec(id: string): EnvSpec {
  return lookup(id).spec;
}

/**
 * Makes a registered environment (Gymnasium's `make`): the env in its registered time limit
 * (or `maxEpisodeSteps`), under an order-enforcing wrapper that rejects `step` before `reset`,
 * after the episode's end, and actions outside the action space.
 *
 * @example
 * const env = makeEnv('CartPole-v1');
 * const { obs } = env.reset({ seed: 42 });
 */
export function makeEnv(id: string, kwargs: Record<string, unknown> = {}, options: { maxEpisodeSteps?: number } = {}): Env {
  const { factory, spec } = lookup(id);
  const merged = { ...spec.kwargs, ...kwargs };
  let env: Env = withSpec(factory(merged), { ...spec, kwargs: merged });
  const limit = options.maxEpisodeSteps ?? spec.maxEpisodeSteps;
  if (limit !== undefined) env = new TimeLimit(env, limit);
  return new OrderEnforcing(env, id);
}

function lookup(id: string): Registered {
  registerBuiltinEnvs();
  const r = registry.get(id);
  if (!r) throw new Error(`makeEnv: no environment '${id}' is registered; known: ${[...registry.keys()].sort().join(', ')}`);
  return r;
}

function withSpec(env: Env, spec: EnvSpec): Env {
  if (!env.spec) Object.defineProperty(env, 'spec', { value: spec, enumerable: false });
  return env;
}
