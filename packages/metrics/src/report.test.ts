import { describe, expect, it } from 'vitest';
import { expectClose, isError, loadFixture } from '../test/fixtures.js';
import { classificationReport, ClassificationReport } from './report.js';
import { setWarningHandler } from './warnings.js';

describe('classificationReport vs scikit-learn (fixtures/classification_report.json)', () => {
  const { datasets, cases } = loadFixture('classification_report');
  it.each(cases.map((c, i) => [`${c.data as string} #${i}`, c]))('%s', (_, c) => {
    const d = datasets[c.data];
    const opts = { ...c.options, ...(d.sampleWeight ? { sampleWeight: d.sampleWeight } : {}) };
    const prev = setWarningHandler(null);
    try {
      if (isError(c.text)) {
        expect(() => classificationReport(d.yTrue, d.yPred, opts)).toThrow();
        return;
      }
      expect(classificationReport(d.yTrue, d.yPred, opts)).toBe(c.text);
      expectClose(classificationReport(d.yTrue, d.yPred, { ...opts, outputDict: true }), c.dict, 1e-9, 'dict');
    } finally {
      setWarningHandler(prev);
    }
  });
});

describe('classificationReport', () => {
  it('prints the documented example', () => {
    const prev = setWarningHandler(null);
    const text = classificationReport([0, 1, 2, 2, 2], [0, 0, 2, 2, 1], { targetNames: ['class 0', 'class 1', 'class 2'] });
    setWarningHandler(prev);
    expect(text).toBe(
      [
        '              precision    recall  f1-score   support',
        '',
        '     class 0       0.50      1.00      0.67         1',
        '     class 1       0.00      0.00      0.00         1',
        '     class 2       1.00      0.67      0.80         3',
        '',
        '    accuracy                           0.60         5',
        '   macro avg       0.50      0.56      0.49         5',
        'weighted avg       0.70      0.60      0.61         5',
        '',
      ].join('\n'),
    );
  });

  it('streams', () => {
    const m = new ClassificationReport({ outputDict: true, zeroDivision: 0 });
    m.update(['a', 'b'], ['a', 'a']);
    m.update(['b', 'c'], ['b', 'c'], [2, 1]);
    expect(m.compute()).toEqual(
      classificationReport(['a', 'b', 'b', 'c'], ['a', 'a', 'b', 'c'], { outputDict: true, zeroDivision: 0, sampleWeight: [1, 1, 2, 1] }),
    );
  });
});
