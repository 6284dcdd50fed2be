import '@mapnn/backend-cpu';
import { describe, expect, it } from 'vitest';
import { memory, setBackend } from '@mapnn/core';
import { loadDigits } from './digits.js';
import { trainDigitsMlp } from './train-mlp.js';

describe('placeholder main job', () => {
  it('loads the embedded digits', () => {
    const d = loadDigits();
    expect(d.n).toBe(1797);
    expect(Math.max(...d.features)).toBe(1);
    expect(new Set(d.labels).size).toBe(10);
  });

  it('trains an MLP on the digits to over 95% held-out accuracy without leaking tensors', () => {
    setBackend('cpu');
    const before = memory().numTensors;
    const r = trainDigitsMlp(loadDigits(), { epochs: 15, batchSize: 32, lr: 0.05, seed: 0 });
    expect(r.history[0]!.loss).toBeGreaterThan(r.history.at(-1)!.loss);
    expect(r.testAccuracy).toBeGreaterThan(0.95);
    expect(memory().numTensors).toBe(before);
  });
});
