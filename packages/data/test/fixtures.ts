import { readFileSync } from 'node:fs';

/** The scikit-learn reference values written by scripts/gen_sklearn_fixtures.py. */
export interface SklearnFixtures {
  generator: string;
  classWeights: { name: string; labels: number[]; classes: number[]; weights: number[] }[];
  kFold: { n: number; k: number; testFolds: number[][] }[];
  stratifiedKFold: { name: string; k: number; labels: number[]; testFolds: number[][] }[];
  trainTestSplit: { name: string; testSize: number; labels: number[]; nTrain: number; nTest: number; testCountsPerClass: number[] }[];
  trainTestSplitSizes: { n: number; testSize: number; nTrain: number; nTest: number }[];
  scalers: {
    x: number[][];
    standard: { mean: number[]; scale: number[]; firstRows: number[][] };
    minmax: { dataMin: number[]; dataMax: number[]; firstRows: number[][] };
    minmaxRange: { range: [number, number]; firstRows: number[][] };
  };
}

export const sklearn: SklearnFixtures = JSON.parse(readFileSync(new URL('../fixtures/sklearn.json', import.meta.url), 'utf8'));
