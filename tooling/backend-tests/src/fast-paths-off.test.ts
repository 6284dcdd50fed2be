import { aroundEach, describe, expect, it } from 'vitest';
import type { RunnerTask } from 'vitest';
import { OPTIONAL_KERNELS, setFastPathsDisabled } from '@mapnn/core';
import { countCases, countsLine, fastPathOnly, fastPathsSwitchedOff, runWithFastPathsOff } from './fast-paths-off.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

describe('fast-paths-off mode: the switch wraps each case', () => {
  aroundEach((runTest, ctx) => runWithFastPathsOff(runTest, ctx.task.name));
  describe('a nested suite', () => {
    it('holds every fast path off for the whole async case', async () => {
      expect(fastPathsSwitchedOff()).toEqual(OPTIONAL_KERNELS);
      await tick();
      expect(fastPathsSwitchedOff()).toEqual(OPTIONAL_KERNELS);
    });
  });
});

describe('runWithFastPathsOff', () => {
  it('switches back to the previous setting after the case, also when it fails', async () => {
    expect(fastPathsSwitchedOff()).toEqual([]);
    await runWithFastPathsOff(tick, 'passes');
    expect(fastPathsSwitchedOff()).toEqual([]);
    await expect(runWithFastPathsOff(async () => {
      await tick();
      throw new Error('the case failed');
    }, 'fails')).rejects.toThrow('the case failed');
    expect(fastPathsSwitchedOff()).toEqual([]);
    setFastPathsDisabled(['sigmoid']);
    try {
      await runWithFastPathsOff(tick, 'inside another setting');
      expect(fastPathsSwitchedOff()).toEqual(['sigmoid']);
    } finally {
      setFastPathsDisabled([]);
    }
  });

  it('fails a case that switches fast paths back on, naming it and the kernels', async () => {
    await expect(runWithFastPathsOff(async () => void setFastPathsDisabled(['matmul']), 'sneaky'))
      .rejects.toThrow(`case 'sneaky' switched fast paths back on (${OPTIONAL_KERNELS.filter((k) => k !== 'matmul').join(', ')})`);
    expect(fastPathsSwitchedOff()).toEqual([]);
  });
});

describe('fastPathOnly', () => {
  fastPathOnly(false, 'the reason', () => {
    it('is declared skipped with fast paths off (it fails if run)', () => {
      throw new Error('ran with fast paths off');
    });
  });
  let declared = false;
  fastPathOnly(true, 'the reason', () => {
    declared = true;
  });
  it('declares the suites with fast paths on', () => expect(declared).toBe(true));
});

describe('countCases', () => {
  const test = (state?: 'pass' | 'fail' | 'skip') => ({ type: 'test', result: state ? { state } : undefined }) as unknown as RunnerTask;
  it('counts the cases under a suite by outcome, not-run ones as skipped', () => {
    const suite = { type: 'suite', tasks: [test('pass'), { type: 'suite', tasks: [test('pass'), test('fail'), test('skip')] }, test()] } as unknown as RunnerTask;
    const c = countCases(suite);
    expect(c).toEqual({ passed: 2, failed: 1, skipped: 2 });
    expect(countsLine('conformance: cpu', c)).toBe('conformance: cpu: 3 cases ran (2 passed, 1 failed), 2 skipped');
  });
});
