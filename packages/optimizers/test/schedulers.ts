/* Scheduler test helpers (not exported from the package). */
import { zeros } from '@mapnn/core';
import { Adam } from '../src/adam.js';
import type { Optimizer } from '../src/optimizer.js';
import { SGD } from '../src/sgd.js';
import { ChainedScheduler } from '../src/schedulers/chained-scheduler.js';
import { ConstantLR } from '../src/schedulers/constant-lr.js';
import { CosineAnnealingLR } from '../src/schedulers/cosine-annealing-lr.js';
import { CosineAnnealingWarmRestarts } from '../src/schedulers/cosine-annealing-warm-restarts.js';
import { ExponentialLR } from '../src/schedulers/exponential-lr.js';
import { LambdaLR, MultiplicativeLR, type LrLambda } from '../src/schedulers/lambda-lr.js';
import { LinearLR } from '../src/schedulers/linear-lr.js';
import { MultiStepLR } from '../src/schedulers/multi-step-lr.js';
import { OneCycleLR } from '../src/schedulers/one-cycle-lr.js';
import { PolynomialLR } from '../src/schedulers/polynomial-lr.js';
import { ReduceLROnPlateau } from '../src/schedulers/reduce-lr-on-plateau.js';
import type { LRScheduler, Scheduler } from '../src/schedulers/scheduler.js';
import { SequentialLR } from '../src/schedulers/sequential-lr.js';
import { StepLR } from '../src/schedulers/step-lr.js';

export interface Spec {
  kind: string;
  options: Record<string, unknown>;
}
export interface SchedCase {
  name: string;
  optimizer: 'sgd' | 'adam';
  lrs: number[];
  scheduler: Spec;
  metrics?: number[];
  epochs?: number[];
  lr: number[][];
  lastLr: number[];
  momentum?: number[][];
}

/** The same functions as the generator's LAMBDAS. */
const LAMBDAS: Record<string, LrLambda> = {
  pow095: (e) => 0.95 ** e,
  inverse: (e) => 1 / (1 + e),
  const09: () => 0.9,
};

/** Builds a mapnn scheduler from a fixture spec (options are already in mapnn's names). */
export function buildScheduler(opt: Optimizer, spec: Spec): Scheduler {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixture options are in mapnn's names
  const o = spec.options as any;
  switch (spec.kind) {
    case 'StepLR':
      return new StepLR(opt, o);
    case 'MultiStepLR':
      return new MultiStepLR(opt, o);
    case 'ExponentialLR':
      return new ExponentialLR(opt, o);
    case 'ConstantLR':
      return new ConstantLR(opt, o);
    case 'LinearLR':
      return new LinearLR(opt, o);
    case 'PolynomialLR':
      return new PolynomialLR(opt, o);
    case 'CosineAnnealingLR':
      return new CosineAnnealingLR(opt, o);
    case 'CosineAnnealingWarmRestarts':
      return new CosineAnnealingWarmRestarts(opt, o);
    case 'LambdaLR':
      return new LambdaLR(opt, LAMBDAS[spec.options.lambda as string]!);
    case 'MultiplicativeLR':
      return new MultiplicativeLR(opt, LAMBDAS[spec.options.lambda as string]!);
    case 'OneCycleLR':
      return new OneCycleLR(opt, o);
    case 'ReduceLROnPlateau':
      return new ReduceLROnPlateau(opt, o);
    case 'SequentialLR': {
      const children = (spec.options.schedulers as Spec[]).map((c) => buildScheduler(opt, c) as LRScheduler);
      return new SequentialLR(opt, { schedulers: children, milestones: spec.options.milestones as number[] });
    }
    case 'ChainedScheduler':
      return new ChainedScheduler((spec.options.schedulers as Spec[]).map((c) => buildScheduler(opt, c) as LRScheduler));
    default:
      throw new Error(`no scheduler ${spec.kind}`);
  }
}

export function schedulerOptimizer(kind: 'sgd' | 'adam', lrs: number[]): Optimizer {
  const groups = [
    { params: [zeros([2], 'float64')], lr: lrs[0]! },
    { params: [zeros([3], 'float64')], lr: lrs[1]! },
  ];
  return kind === 'adam' ? new Adam(groups, { lr: lrs[0] }) : new SGD(groups, { lr: lrs[0], momentum: 0.9 });
}

/** Steps a scheduler as the generator did: one step per entry, fed the metric or epoch if any. */
export function stepCase(s: Scheduler, c: SchedCase, i: number): void {
  if (c.metrics) (s as ReduceLROnPlateau).step(c.metrics[i]!);
  else if (c.epochs) (s as LRScheduler).step(c.epochs[i]!);
  else (s as LRScheduler).step();
}

