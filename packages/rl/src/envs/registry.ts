import type { Env, EnvFactory, EnvSpec } from '../types.js';
import { builtinEnvs } from './builtin-envs.js';
import { OrderEnforcing } from './order-enforcing.js';
import { TimeLimit } from './time-limit.js';

interface Registered {
  factory: EnvFactory;
  spec: EnvSpec;
}

/** Options of `registerEnv` (Gymnasium's `register` keywords). */
export interface RegisterEnvOptions {
  maxEpisodeSteps?: number;
  rewardThreshold?: number;
  /** Default keyword arguments for the factory (those given to `makeEnv` win). */
  kwargs?: Record<string, unknown>;
}

/** Options of `makeEnv`. */
export interface MakeEnvOptions {
  /** Overrides the registered time limit. */
  maxEpisodeSteps?: number;
  /** Skip the action-space check of every `step` (Gymnasium's `disable_env_checker`). */
  disableEnvChecker?: boolean;
}

const registry = new Map<string, Registered>();
let builtinsRegistered = false;

/**
 * Registers the built-in environments (CartPole-v1, Acrobot-v1, MountainCar-v0,
 * MountainCarContinuous-v0, Pendulum-v1, FrozenLake-v1, FrozenLake8x8-v1). Called by
 * `makeEnv`, `envIds` and `envSpec` on first use; calling it again does nothing. An id
 * registered before by the user is kept.
 *
 * @example registerBuiltinEnvs(); envIds().includes('CartPole-v1') // true
 */
export function registerBuiltinEnvs(): void {
  if (builtinsRegistered) return;
  builtinsRegistered = true;
  for (const { id, factory, ...options } of builtinEnvs()) if (!registry.has(id)) registerEnv(id, factory, options);
}

/**
 * Registers an environment under an id (Gymnasium's `register`), for `makeEnv`; registering an
 * id again replaces it.
 *
 * @example registerEnv('Corridor-v0', (kw) => new Corridor(kw), { maxEpisodeSteps: 100 });
 */
export function registerEnv(id: string, factory: EnvFactory, options: RegisterEnvOptions = {}): void {
  if (typeof id !== 'string' || id === '') throw new Error(`registerEnv: id must be a non-empty string, got ${String(id)}`);
  if (typeof factory !== 'function') throw new Error(`registerEnv('${id}'): factory must be a function (kwargs) => Env`);
  const { maxEpisodeSteps, rewardThreshold } = options;
  if (maxEpisodeSteps !== undefined && !(Number.isInteger(maxEpisodeSteps) && maxEpisodeSteps > 0)) {
    throw new Error(`registerEnv('${id}'): maxEpisodeSteps must be a positive integer, got ${maxEpisodeSteps}`);
  }
  registry.set(id, { factory, spec: { id, maxEpisodeSteps, rewardThreshold, kwargs: { ...(options.kwargs ?? {}) } } });
}

/**
 * The registered ids, sorted.
 *
 * @example envIds() // ['Acrobot-v1', 'CartPole-v1', …]
 */
export function envIds(): string[] {
  registerBuiltinEnvs();
  return [...registry.keys()].sort();
}

/**
 * How `id` was registered (a copy).
 *
 * @example envSpec('CartPole-v1').maxEpisodeSteps // 500
 */
export function envSpec(id: string): EnvSpec {
  const { spec } = lookup(id, 'envSpec');
  return { ...spec, kwargs: { ...spec.kwargs } };
}

/**
 * Makes a registered environment (Gymnasium's `make`): the env, then (innermost → outermost)
 * an order-enforcing wrapper (errors for `step` before `reset`, after termination, and for
 * actions outside the action space) and its time limit (`options.maxEpisodeSteps` or the
 * registered one), whose truncated step ends the episode. `unwrapped` is the env itself.
 *
 * @example
 * const env = makeEnv('CartPole-v1');
 * const { obs } = env.reset({ seed: 42 });
 * env.step(1); // { obs, reward: 1, terminated, truncated, info }
 */
export function makeEnv(id: string, kwargs: Record<string, unknown> = {}, options: MakeEnvOptions = {}): Env {
  const { factory, spec } = lookup(id, 'makeEnv');
  const merged = { ...spec.kwargs, ...kwargs };
  const limit = options.maxEpisodeSteps ?? spec.maxEpisodeSteps;
  const made = factory(merged);
  if (!made || typeof made.step !== 'function' || typeof made.reset !== 'function') {
    throw new Error(`makeEnv('${id}'): the registered factory returned ${String(made)}, not an Env`);
  }
  const env = withSpec(made, { ...spec, maxEpisodeSteps: limit, kwargs: merged });
  const ordered = new OrderEnforcing(env, id, { checkActions: !options.disableEnvChecker });
  return limit === undefined ? ordered : new TimeLimit(ordered, limit, id);
}

function lookup(id: string, op: string): Registered {
  registerBuiltinEnvs();
  const r = registry.get(id);
  if (!r) throw new Error(`${op}: no environment '${id}' is registered; known ids: ${[...registry.keys()].sort().join(', ')}`);
  return r;
}

function withSpec(env: Env, spec: EnvSpec): Env {
  if (!env.spec) Object.defineProperty(env, 'spec', { value: spec, enumerable: false, configurable: true });
  return env;
}
