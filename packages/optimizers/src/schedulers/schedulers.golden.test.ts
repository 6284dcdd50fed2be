import '@mapnn/backend-cpu';
import { setBackend } from '@mapnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import fixture from '../../fixtures/schedulers.json';
import type { Optimizer } from '../optimizer.js';
import { mismatches } from '../../test/problem.js';
import { buildScheduler, schedulerOptimizer, stepCase, type SchedCase } from '../../test/schedulers.js';

beforeAll(() => setBackend('cpu'));

function momentumOf(opt: Optimizer): number[] {
  return opt.paramGroups.map((g) => (Array.isArray(g.betas) ? (g.betas[0] as number) : (g.momentum as number)));
}

describe('schedulers match PyTorch 1.13 (lr of two groups over 30 steps)', () => {
  for (const c of fixture.cases as SchedCase[]) {
    it(c.name, () => {
      const opt = schedulerOptimizer(c.optimizer, c.lrs);
      const s = buildScheduler(opt, c.scheduler);
      const errors: string[] = [];
      const check = (i: number) => {
        errors.push(...mismatches(opt.paramGroups.map((g) => g.lr), c.lr[i]!, `lr after ${i} steps`));
        if (c.momentum) errors.push(...mismatches(momentumOf(opt), c.momentum[i]!, `momentum after ${i} steps`));
      };
      check(0);
      for (let i = 0; i < c.lr.length - 1; i++) {
        opt.step();
        stepCase(s, c, i);
        check(i + 1);
      }
      errors.push(...mismatches(s.getLastLr(), c.lastLr, 'getLastLr()'));
      for (const p of opt.params()) p.dispose();
      expect(errors.slice(0, 10)).toEqual([]);
    });
  }
});
