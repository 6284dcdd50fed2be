import '@mapnn/backend-cpu';
import { setBackend, zeros } from '@mapnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import fixture from '../../fixtures/schedulers.json';
import { Adagrad } from '../adagrad.js';
import type { Optimizer, OptimizerStateDict } from '../optimizer.js';
import { SGD } from '../sgd.js';
import { ChainedScheduler } from './chained-scheduler.js';
import { CosineAnnealingLR } from './cosine-annealing-lr.js';
import { ExponentialLR } from './exponential-lr.js';
import { LinearLR } from './linear-lr.js';
import { OneCycleLR } from './one-cycle-lr.js';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau.js';
import type { SchedulerStateDict } from './scheduler.js';
import { SequentialLR } from './sequential-lr.js';
import { StepLR } from './step-lr.js';
import { buildScheduler, schedulerOptimizer, stepCase, type SchedCase } from '../../test/schedulers.js';

beforeAll(() => setBackend('cpu'));

function freeParams(opt: Optimizer): void {
  for (const p of opt.params()) p.dispose();
}

function sgd(lr = 0.1): SGD {
  return new SGD([zeros([1])], { lr, momentum: 0.9 });
}

describe('scheduler state dicts', () => {
  for (const c of fixture.cases as SchedCase[]) {
    it(`${c.name}: save after 12 steps, load into fresh objects, continue identically`, () => {
      const optA = schedulerOptimizer(c.optimizer, c.lrs);
      const a = buildScheduler(optA, c.scheduler);
      for (let i = 0; i < 12; i++) stepCase(a, c, i);
      const optState = JSON.parse(JSON.stringify(optA.stateDict())) as OptimizerStateDict;
      const schedState = JSON.parse(JSON.stringify(a.stateDict())) as SchedulerStateDict;

      const optB = schedulerOptimizer(c.optimizer, c.lrs);
      const b = buildScheduler(optB, c.scheduler);
      optB.loadStateDict(optState);
      b.loadStateDict(schedState);
      expect(b.getLastLr()).toEqual(a.getLastLr());
      for (let i = 12; i < 30; i++) {
        stepCase(a, c, i);
        stepCase(b, c, i);
        expect(optB.paramGroups.map((g) => [g.lr, g.momentum, g.betas])).toEqual(optA.paramGroups.map((g) => [g.lr, g.momentum, g.betas]));
      }
      expect(b.stateDict()).toEqual(a.stateDict());
      freeParams(optA);
      freeParams(optB);
    });
  }

  it('ReduceLROnPlateau keeps an infinite best value through JSON', () => {
    const opt = sgd();
    const s = new ReduceLROnPlateau(opt);
    const sd = JSON.parse(JSON.stringify(s.stateDict())) as SchedulerStateDict;
    expect(sd.best).toBe('Infinity');
    const t = new ReduceLROnPlateau(opt, { mode: 'max' });
    t.loadStateDict(sd);
    expect(t.best).toBe(Infinity);
    expect(t.mode).toBe('min');
    freeParams(opt);
  });
});

describe('LRScheduler', () => {
  it('sets initialLr and starts at the first value of the schedule', () => {
    const opt = sgd(0.2);
    const s = new LinearLR(opt, { startFactor: 0.5, totalIters: 2 });
    expect(opt.paramGroups[0]!.initialLr).toBe(0.2);
    expect(s.getLastLr()).toEqual([0.1]);
    expect(s.lastEpoch).toBe(0);
    s.getLastLr()[0] = 7; // a copy
    expect(s.getLastLr()).toEqual([0.1]);
    freeParams(opt);
  });

  it('step(epoch) jumps with the closed form', () => {
    const opt = sgd(1);
    const s = new StepLR(opt, { stepSize: 5, gamma: 0.5 });
    s.step(12);
    expect(opt.paramGroups[0]!.lr).toBe(0.25);
    s.step();
    expect(opt.paramGroups[0]!.lr).toBe(0.25);
    const c = new CosineAnnealingLR(opt, { tMax: 10 });
    c.step(5);
    expect(opt.paramGroups[0]!.lr).toBeCloseTo(0.5, 14);
    freeParams(opt);
  });

  it('resuming with lastEpoch needs initialLr in the groups', () => {
    const opt = sgd();
    expect(() => new StepLR(opt, { stepSize: 3, lastEpoch: 5 })).toThrow(/initialLr/);
    opt.paramGroups[0]!.initialLr = 1;
    const s = new StepLR(opt, { stepSize: 3, gamma: 0.1, lastEpoch: 5 });
    expect(s.lastEpoch).toBe(6);
    expect(opt.paramGroups[0]!.lr).toBeCloseTo(0.01, 15);
    freeParams(opt);
  });

  it('composes: two schedulers stepped by hand equal a ChainedScheduler', () => {
    const o1 = sgd();
    const o2 = sgd();
    const a = [new StepLR(o1, { stepSize: 3, gamma: 0.5 }), new ExponentialLR(o1, { gamma: 0.9 })];
    const b = new ChainedScheduler([new StepLR(o2, { stepSize: 3, gamma: 0.5 }), new ExponentialLR(o2, { gamma: 0.9 })]);
    for (let i = 0; i < 10; i++) {
      a.forEach((s) => s.step());
      b.step();
      expect(o2.paramGroups[0]!.lr).toBe(o1.paramGroups[0]!.lr);
    }
    expect(b.getLastLr()).toEqual([o1.paramGroups[0]!.lr]);
    freeParams(o1);
    freeParams(o2);
  });
});

describe('errors', () => {
  it('OneCycleLR throws past totalSteps and without momentum', () => {
    const opt = sgd();
    const s = new OneCycleLR(opt, { maxLr: 1, totalSteps: 3 });
    for (let i = 0; i < 3; i++) s.step();
    expect(() => s.step()).toThrow(/tried to step 5 times/);
    expect(() => new OneCycleLR(opt, { maxLr: 1 })).toThrow(/totalSteps/);
    const ada = new Adagrad([zeros([1])], { lr: 0.1 });
    expect(() => new OneCycleLR(ada, { maxLr: 1, totalSteps: 5 })).toThrow(/cycleMomentum: false/);
    expect(() => new OneCycleLR(ada, { maxLr: 1, totalSteps: 5, cycleMomentum: false })).not.toThrow();
    freeParams(opt);
    freeParams(ada);
  });

  it('SequentialLR and ChainedScheduler check their schedulers', () => {
    const o1 = sgd();
    const o2 = sgd();
    const s1 = new StepLR(o1, { stepSize: 2 });
    const s2 = new StepLR(o2, { stepSize: 2 });
    expect(() => new SequentialLR(o1, { schedulers: [s1, s2], milestones: [3] })).toThrow(/scheduler 1/);
    expect(() => new SequentialLR(o1, { schedulers: [s1], milestones: [3] })).toThrow(/one milestone fewer/);
    expect(() => new ChainedScheduler([s1, s2])).toThrow(/same optimizer/);
    freeParams(o1);
    freeParams(o2);
  });

  it('ReduceLROnPlateau validates its options and accepts tensor metrics', () => {
    const opt = sgd();
    expect(() => new ReduceLROnPlateau(opt, { factor: 1 })).toThrow(/factor/);
    expect(() => new ReduceLROnPlateau(opt, { minLr: [0, 0] })).toThrow(/one per param group/);
    const s = new ReduceLROnPlateau(opt, { patience: 0 });
    const m = zeros([]);
    s.step(m);
    expect(s.best).toBe(0);
    m.dispose();
    freeParams(opt);
  });
});
