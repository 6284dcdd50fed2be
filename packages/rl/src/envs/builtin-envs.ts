import type { EnvFactory } from '../types.js';
import { AcrobotEnv } from './acrobot.js';
import { CartPoleEnv } from './cartpole.js';
import { ContinuousMountainCarEnv } from './continuous-mountain-car.js';
import { FrozenLakeEnv, type FrozenLakeOptions } from './frozen-lake.js';
import { checkKwargs, numberKwarg } from './kwargs.js';
import { MountainCarEnv } from './mountain-car.js';
import { PendulumEnv } from './pendulum.js';

/** One built-in registration: what `registerEnv` gets. */
export interface BuiltinEnv {
  id: string;
  factory: EnvFactory;
  maxEpisodeSteps?: number;
  rewardThreshold?: number;
  kwargs?: Record<string, unknown>;
}

/**
 * The environments registered on first use of the registry, with Gymnasium 1.x's ids, time
 * limits, reward thresholds and default kwargs. A function, so importing it computes nothing.
 *
 * @example builtinEnvs().map((e) => e.id) // ['CartPole-v1', 'Acrobot-v1', …]
 */
export function builtinEnvs(): BuiltinEnv[] {
  return [
    { id: 'CartPole-v1', factory: cartPole, maxEpisodeSteps: 500, rewardThreshold: 475.0 },
    { id: 'Acrobot-v1', factory: acrobot, maxEpisodeSteps: 500, rewardThreshold: -100.0 },
    { id: 'MountainCar-v0', factory: mountainCar, maxEpisodeSteps: 200, rewardThreshold: -110.0 },
    { id: 'MountainCarContinuous-v0', factory: continuousMountainCar, maxEpisodeSteps: 999, rewardThreshold: 90.0 },
    { id: 'Pendulum-v1', factory: pendulum, maxEpisodeSteps: 200 },
    { id: 'FrozenLake-v1', factory: (kw) => frozenLake('FrozenLake-v1', kw), maxEpisodeSteps: 100, rewardThreshold: 0.7, kwargs: { map_name: '4x4' } },
    { id: 'FrozenLake8x8-v1', factory: (kw) => frozenLake('FrozenLake8x8-v1', kw), maxEpisodeSteps: 200, rewardThreshold: 0.85, kwargs: { map_name: '8x8' } },
  ];
}

function cartPole(kw: Record<string, unknown>): CartPoleEnv {
  checkKwargs('CartPole-v1', kw, ['sutton_barto_reward']);
  return new CartPoleEnv(Boolean(kw['sutton_barto_reward'] ?? false));
}

function acrobot(kw: Record<string, unknown>): AcrobotEnv {
  checkKwargs('Acrobot-v1', kw, []);
  return new AcrobotEnv();
}

function mountainCar(kw: Record<string, unknown>): MountainCarEnv {
  checkKwargs('MountainCar-v0', kw, ['goal_velocity']);
  return new MountainCarEnv(numberKwarg('MountainCar-v0', kw, 'goal_velocity', 0));
}

function continuousMountainCar(kw: Record<string, unknown>): ContinuousMountainCarEnv {
  checkKwargs('MountainCarContinuous-v0', kw, ['goal_velocity']);
  return new ContinuousMountainCarEnv(numberKwarg('MountainCarContinuous-v0', kw, 'goal_velocity', 0));
}

function pendulum(kw: Record<string, unknown>): PendulumEnv {
  checkKwargs('Pendulum-v1', kw, ['g']);
  return new PendulumEnv(numberKwarg('Pendulum-v1', kw, 'g', 10.0));
}

function frozenLake(id: string, kw: Record<string, unknown>): FrozenLakeEnv {
  checkKwargs(id, kw, ['desc', 'map_name', 'is_slippery', 'success_rate', 'reward_schedule']);
  return new FrozenLakeEnv(kw as FrozenLakeOptions);
}
