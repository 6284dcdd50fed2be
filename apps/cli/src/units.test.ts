// Unit tests of the CLI's building blocks (the built command line is tested in e2e.test.ts).
import '@mapnn/backend-cpu';
import { describe, expect, it } from 'vitest';
import { memory, randn, setBackend, tensor, tidy } from '@mapnn/core';
import { parseDataSpec } from './data-sources/parse.js';
import { normalize } from './data-sources/normalize.js';
import { oneLine, UsageError } from './errors.js';
import { buildModel } from './models/build.js';
import { inputShapeFor } from './models/shapes.js';
import { MODEL_KINDS } from './models/spec.js';
import { classificationMetrics, formatMetrics } from './output/metrics.js';
import { table } from './output/table.js';
import { AugmentedBatches } from './training/augment.js';
import { argmaxRows, probabilities } from './training/evaluate.js';
import { DivergedError } from './training/nan-guard.js';
import { divergedMessage, formatRate } from './training/settings.js';

setBackend('cpu');

describe('--data parsing', () => {
  it('reads names, paths and CSV files', () => {
    expect(parseDataSpec('digits')).toEqual({ name: 'digits' });
    expect(parseDataSpec('Breast_Cancer')).toEqual({ name: 'breast-cancer' });
    expect(parseDataSpec('fashion-mnist=/data/fm')).toEqual({ name: 'fashion-mnist', path: '/data/fm' });
    expect(parseDataSpec('csv=/tmp/a.csv', 'species')).toEqual({ name: 'csv', path: '/tmp/a.csv', label: 'species' });
    expect(parseDataSpec('/tmp/b.csv')).toMatchObject({ name: 'csv', path: '/tmp/b.csv' });
  });

  it('rejects unknown sources and misplaced options as usage errors', () => {
    expect(() => parseDataSpec('cifar')).toThrow(UsageError);
    expect(() => parseDataSpec('csv')).toThrow(/csv=FILE/);
    expect(() => parseDataSpec('iris=/x')).toThrow(/embedded/);
    expect(() => parseDataSpec('digits', 'y')).toThrow(/--label/);
  });
});

describe('models', () => {
  it('every architecture builds for its data and maps a batch to one output per class', () => {
    for (const kind of MODEL_KINDS) {
      for (const sample of [[1, 8, 8], [1, 28, 28]]) {
        const inputShape = inputShapeFor(kind, sample, 'image');
        const model = buildModel({ kind, inputShape, outputs: 10 });
        model.eval();
        const shape = tidy(() => model.call(randn([2, ...inputShape])).shape);
        expect(shape, `${kind} ${sample}`).toEqual([2, 10]);
        model.dispose();
      }
    }
  });

  it('convolutional models need images; mlp and lstm take tabular rows', () => {
    expect(() => inputShapeFor('cnn', [4], 'tabular')).toThrow(/needs image data/);
    expect(inputShapeFor('mlp', [1, 8, 8], 'image')).toEqual([64]);
    expect(inputShapeFor('lstm', [13], 'tabular')).toEqual([13, 1]);
    expect(inputShapeFor('lstm', [1, 28, 28], 'image')).toEqual([28, 28]);
  });

  it('the same seed gives the same initial weights', () => {
    const a = buildModel({ kind: 'mlp', inputShape: [4], outputs: 3 }, 7);
    const b = buildModel({ kind: 'mlp', inputShape: [4], outputs: 3 }, 7);
    expect(Array.from(a.stateDict()['0.weight']!.dataSync())).toEqual(Array.from(b.stateDict()['0.weight']!.dataSync()));
    a.dispose();
    b.dispose();
  });
});

describe('data handling', () => {
  it('normalises by scale or per-feature statistics', () => {
    const x = tensor([[0, 16], [8, 4]]);
    expect(Array.from(normalize(x, { type: 'scale', scale: 1 / 16 }).dataSync())).toEqual([0, 1, 0.5, 0.25]);
    expect(Array.from(normalize(x, { type: 'standard', mean: [4, 10], std: [4, 6] }).dataSync())).toEqual([-1, 1, 1, -1]);
  });

  it('augmented batches are reproducible per (seed, epoch), cover every sample and free their temporaries', () => {
    const x = tidy(() => randn([10, 1, 8, 8]).abs().clip(0, 1));
    const y = tensor(Array.from({ length: 10 }, (_, i) => i % 3), [10], 'int32');
    const batches = new AugmentedBatches(x, y, { batchSize: 4, seed: 3, flip: true, padding: 1, noise: 0.05 });
    const epoch = (e: number) => {
      batches.setEpoch(e);
      const out: number[][] = [];
      for (const b of batches) {
        const { x: bx, y: by } = b as { x: typeof x; y: typeof y };
        out.push([...Array.from(by.dataSync()), tidy(() => bx.sum().item())]);
        bx.dispose();
        by.dispose();
      }
      return out;
    };
    const before = memory().numTensors;
    const a = epoch(1);
    expect(memory().numTensors).toBe(before);
    expect(batches.length).toBe(3);
    expect(a.map((r) => r.length - 1).reduce((s, n) => s + n, 0)).toBe(10);
    expect(epoch(1)).toEqual(a);
    expect(epoch(2)).not.toEqual(a);
  });
});

describe('output', () => {
  it('errors print on one line without an "Error:" prefix', () => {
    expect(oneLine('Error: bad thing\n  more detail\n')).toBe('bad thing more detail');
  });

  it('tables align columns under a rule', () => {
    expect(table(['name', 'n'], [['a', 1], ['bbb', 22]])).toBe('name   n\n────  ──\na      1\nbbb   22');
  });

  it('probabilities keep distributions and softmax logits; argmax per row', async () => {
    const p = await probabilities(tensor([[0.2, 0.8], [1, 0]]));
    expect(Array.from(p.dataSync())).toEqual([0.2, 0.8, 1, 0].map(Math.fround));
    const q = await probabilities(tensor([[0, 0], [2, 2]]));
    expect(Array.from(q.dataSync())).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(Array.from(argmaxRows([0.1, 0.9, 0.7, 0.3], 2))).toEqual([1, 0]);
  });

  it('classification metrics: accuracy, macro scores and the confusion matrix', () => {
    const m = classificationMetrics([0, 0, 1, 1, 2], [0, 1, 1, 1, 2], ['a', 'b', 'c']);
    expect(m.accuracy).toBeCloseTo(0.8);
    expect(m.confusionMatrix).toEqual([[1, 1, 0], [0, 2, 0], [0, 0, 1]]);
    expect(m.recall).toBeCloseTo((0.5 + 1 + 1) / 3);
    const text = formatMetrics(m, { report: true });
    expect(text).toMatch(/accuracy\s+80\.00 %/);
    expect(text).toMatch(/macro avg/);
  });
});

describe('divergence', () => {
  it('names epoch and batch (1-based), the learning rate as written, and a rate to try', () => {
    expect(formatRate(1e6)).toBe('1e6');
    expect(formatRate(0.002)).toBe('0.002');
    expect(formatRate(5e-7)).toBe('5e-7');
    const e = new DivergedError(0, 2, 'loss became NaN');
    expect(divergedMessage(e, { lr: 1e6, optimizer: 'adam' }, 'no model was written')).toBe(
      'loss became NaN at epoch 1, batch 3 — the learning rate (1e6) is probably too high; try --lr 0.002; no model was written',
    );
    // at or below the optimizer's default rate, a tenth of it
    expect(divergedMessage(new DivergedError(4, -1, '3 weights became NaN or infinite'), { lr: 0.05, optimizer: 'sgd' }, 'x')).toBe(
      '3 weights became NaN or infinite at epoch 5 — the learning rate (0.05) is probably too high; try --lr 0.005; x',
    );
  });
});
