import '@mapnn/backend-cpu';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator, noGrad, setBackend, tensor } from '@mapnn/core';
import { Linear, Sequential } from '@mapnn/layers';
import { SGD } from '@mapnn/optimizers';
import { EarlyStopping } from './early-stopping.js';
import { isImprovement } from './improvement.js';
import { ModelCheckpoint } from './model-checkpoint.js';
import { loadCheckpoint } from '../checkpoint.js';
import type { TrainingContext } from '../types.js';

beforeAll(() => setBackend('cpu'));
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mapnn-nan-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function context(): TrainingContext {
  const model = new Sequential(new Linear(2, 2, { generator: new Generator(1) }));
  return { model, optimizer: new SGD(model.parameters(), { lr: 0.1 }), stopTraining: false, epochs: 10, history: { epochs: [], logs: {} } };
}
const poison = (ctx: TrainingContext) => noGrad(() => ctx.model.parameters()[0]!.assign(tensor([[NaN, 1], [Infinity, 2]])));
const pointer = (dir: string, tag: string) => (existsSync(join(dir, tag)) ? readFileSync(join(dir, tag), 'utf8') : null);

describe('isImprovement', () => {
  it.each(['min', 'max'] as const)('treats NaN and ±Infinity as worse than any number (mode %s)', (mode) => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      expect(isImprovement(bad, undefined, mode)).toBe(false);
      expect(isImprovement(bad, 0.5, mode)).toBe(false);
    }
    expect(isImprovement(0.5, undefined, mode)).toBe(true);
    expect(isImprovement(mode === 'min' ? 0.4 : 0.6, 0.5, mode)).toBe(true);
    expect(isImprovement(mode === 'min' ? 0.6 : 0.4, 0.5, mode)).toBe(false);
  });
});

describe('ModelCheckpoint and non-finite values', () => {
  it('never writes non-finite weights over a finite checkpoint: skips with one warning', () => {
    const dir = tmp();
    const ctx = context();
    const warnings: string[] = [];
    const ck = new ModelCheckpoint(dir, { saveBest: true, monitor: 'loss', log: (m) => warnings.push(m) });
    ck.setContext(ctx);
    ck.onEpochEnd(0, { loss: 1 });
    expect(pointer(dir, 'latest')).toBe('latest-epoch-000001');
    poison(ctx);
    ck.onEpochEnd(1, { loss: 0.5 }); // a better metric, but the weights are NaN
    expect(pointer(dir, 'latest')).toBe('latest-epoch-000001');
    expect(pointer(dir, 'best')).toBe('best-epoch-000001');
    expect(existsSync(join(dir, 'latest-epoch-000002'))).toBe(false);
    expect(ck.skipped).toEqual([{ epoch: 1, nonFinite: [{ name: '0.weight', count: 2 }] }]);
    expect(warnings).toEqual([
      `ModelCheckpoint: epoch 1 not saved: the model has 2 NaN/Inf values in 1 tensors (0.weight (2)); the previous checkpoint in ${dir} is kept`,
    ]);
    const w = loadCheckpoint(dir).weights['0.weight']!.data;
    expect(Array.from(w).every(Number.isFinite)).toBe(true);
  });

  it.each([
    ['min', 'loss', [NaN, 0.5, NaN, 0.7, 0.4]],
    ['max', 'accuracy', [NaN, 0.5, NaN, 0.3, 0.6]],
  ] as const)('saveBestOnly (mode %s) treats a NaN metric as worse than any number', (mode, monitor, values) => {
    const dir = tmp();
    const ck = new ModelCheckpoint(dir, { saveBestOnly: true, monitor, mode });
    ck.setContext(context());
    const bestAfter = values.map((v, epoch) => {
      ck.onEpochEnd(epoch, { [monitor]: v });
      return pointer(dir, 'best');
    });
    expect(bestAfter).toEqual([null, 'best-epoch-000002', 'best-epoch-000002', 'best-epoch-000002', 'best-epoch-000005']);
    expect(pointer(dir, 'latest')).toBe(null);
    expect(ck.stateDict()).toEqual({ best: values[4] });
  });
});

describe('EarlyStopping and NaN', () => {
  it.each([
    ['min', 'loss', [NaN, 0.5, NaN, 0.4]],
    ['max', 'accuracy', [NaN, 0.5, NaN, 0.6]],
  ] as const)('a NaN metric is no improvement and never the best epoch (mode %s)', (mode, monitor, values) => {
    const ctx = context();
    const es = new EarlyStopping({ monitor, mode, patience: 1 });
    es.setContext(ctx);
    const waits = values.map((v, epoch) => {
      es.onEpochEnd(epoch, { [monitor]: v });
      return (es.stateDict() as { wait: number }).wait;
    });
    expect(waits).toEqual([1, 0, 1, 0]);
    expect(es.bestEpoch).toBe(3);
    expect(ctx.stopTraining).toBe(false);
    es.onEpochEnd(4, { [monitor]: NaN });
    es.onEpochEnd(5, { [monitor]: NaN });
    expect(ctx.stopTraining).toBe(true);
    expect(es.stoppedEpoch).toBe(5);
    expect(es.stateDict()).toEqual({ best: values[3], wait: 2, bestEpoch: 3 });
  });

  it('restoreBestWeights never restores the weights of a NaN epoch', () => {
    const ctx = context();
    const es = new EarlyStopping({ monitor: 'loss', patience: 5, restoreBestWeights: true });
    es.setContext(ctx);
    poison(ctx);
    es.onEpochEnd(0, { loss: NaN }); // diverged: not a best epoch to go back to
    noGrad(() => ctx.model.parameters()[0]!.assign(tensor([[1, 2], [3, 4]])));
    es.onEpochEnd(1, { loss: NaN });
    es.onTrainEnd();
    expect(es.bestEpoch).toBe(-1);
    expect(Array.from(ctx.model.parameters()[0]!.dataSync())).toEqual([1, 2, 3, 4]);
  });
});
