import '@mapnn/backend-cpu';
import { setBackend } from '@mapnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import fixture from '../fixtures/optimizers.json';
import { optimizerByName } from './registry.js';
import { OneCycleLR } from './schedulers/one-cycle-lr.js';
import { StepLR } from './schedulers/step-lr.js';
import type { Scheduler } from './schedulers/scheduler.js';
import type { Optimizer, ParamGroupInput } from './optimizer.js';
import { backward, makeProblem, mismatches } from '../test/problem.js';

beforeAll(() => setBackend('cpu'));

interface GoldenCase {
  name: string;
  optimizer: string;
  options: Record<string, unknown>;
  groups?: ({ params: string[] } & Record<string, unknown>)[];
  scheduler?: { kind: string; options: Record<string, unknown> };
  losses: number[];
  steps: { W: number[]; b: number[] }[];
}

function makeScheduler(opt: Optimizer, spec: NonNullable<GoldenCase['scheduler']>): Scheduler {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixture options are in mapnn's names
  const o = spec.options as any;
  if (spec.kind === 'OneCycleLR') return new OneCycleLR(opt, o);
  if (spec.kind === 'StepLR') return new StepLR(opt, o);
  throw new Error(`no scheduler ${spec.kind}`);
}

describe('optimizers match PyTorch 1.13 (float64, 20 steps, rtol 1e-6)', () => {
  for (const c of fixture.cases as GoldenCase[]) {
    it(c.name, () => {
      const { W, b, loss, dispose } = makeProblem();
      const byName: Record<string, typeof W> = { W, b };
      const params = c.groups
        ? c.groups.map(({ params: names, ...rest }) => ({ ...rest, params: names.map((n) => byName[n]!) }) as ParamGroupInput)
        : [W, b];
      const opt = optimizerByName(c.optimizer, params, c.options);
      const sched = c.scheduler ? makeScheduler(opt, c.scheduler) : null;
      const errors: string[] = [];
      c.steps.forEach((want, i) => {
        opt.zeroGrad();
        backward(loss);
        opt.step();
        sched?.step();
        errors.push(...mismatches(W.dataSync(), want.W, `step ${i + 1} W`), ...mismatches(b.dataSync(), want.b, `step ${i + 1} b`));
      });
      opt.zeroGrad();
      opt.dispose();
      dispose();
      expect(errors.slice(0, 10)).toEqual([]);
    });
  }
});
