import { describe, expect, it } from 'vitest';
import { sklearn } from '../../test/fixtures.js';
import { classWeights, sampleWeights } from './class-weights.js';

describe('classWeights', () => {
  it("'balanced' matches scikit-learn's compute_class_weight", () => {
    expect(sklearn.classWeights.map((c) => c.name)).toEqual(['breast_cancer', 'wine', 'synthetic', 'gapped']);
    for (const c of sklearn.classWeights) {
      const w = classWeights(c.labels, 'balanced', c.name === 'gapped' ? { classes: c.classes } : {});
      expect(w.length, c.name).toBe(c.weights.length);
      c.weights.forEach((v, i) => expect(w[i], `${c.name} class ${c.classes[i]}`).toBeCloseTo(v, 14));
    }
  });

  it('explicit weights, sample weights and errors', () => {
    expect(Array.from(classWeights([0, 1, 2, 2], { 2: 5 }))).toEqual([1, 1, 5]);
    expect(Array.from(sampleWeights([0, 0, 0, 1]))).toEqual([2 / 3, 2 / 3, 2 / 3, 2]);
    expect(() => classWeights([0, 0], 'balanced', { classes: [0, 1] })).toThrow(/class 1 has no samples/);
    expect(() => classWeights([0, 3], 'balanced', { classes: [0] })).toThrow(/label 3 is not in classes \[0\]/);
  });
});
