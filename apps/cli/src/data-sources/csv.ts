import { existsSync } from 'node:fs';
import { tensor, type Tensor } from '@mapnn/core';
import { trainTestSplit } from '@mapnn/data';
import { readCsvFile } from '@mapnn/data/node';
import { CliError } from '../errors.js';
import { DEFAULT_TEST_SIZE, type DataSpec, type LoadOptions, type LoadedData } from './types.js';
import { limitRows } from './util.js';

/** `label` as given on the command line: a column name, or an index when it is an integer. */
export function labelColumn(label: string | undefined): string | number {
  if (label === undefined) return -1;
  return /^-?\d+$/.test(label) ? Number(label) : label;
}

/**
 * A CSV file of numeric features and a label column (default: the last one). Integer or string
 * labels make a classification task (classes = the sorted distinct values); other numbers a
 * regression task.
 */
export function loadCsv(spec: DataSpec, options: LoadOptions): LoadedData {
  const file = spec.path!;
  if (!existsSync(file)) throw new CliError(`CSV file not found: ${file}`);
  const t = readCsvFile(file, { label: labelColumn(spec.label) });
  if (!t.y) throw new CliError(`${file}: no label column`);
  if (t.x.shape[0] === 0) throw new CliError(`${file}: no data rows`);
  const features = t.x.shape[1]!;
  const regression = t.y.dtype === 'float32';
  let y = t.y;
  let classNames: string[] = [];
  if (!regression) {
    if (t.classNames) classNames = t.classNames;
    else {
      // integer labels: classes are the sorted distinct values, mapped to 0 … C-1
      const values = Array.from(t.y.dataSync());
      const distinct = [...new Set(values)].sort((a, b) => a - b);
      const index = new Map(distinct.map((v, i) => [v, i]));
      classNames = distinct.map(String);
      y = tensor(values.map((v) => index.get(v)!), [values.length], 'int32');
      t.y.dispose();
    }
    if (classNames.length < 2) throw new CliError(`${file}: the label column '${t.labelName}' has only one class`);
  }
  const { train, test } = trainTestSplit(
    { x: t.x, y },
    { testSize: options.testSize ?? DEFAULT_TEST_SIZE, stratify: !regression && canStratify(y) ? true : undefined, seed: options.seed },
  );
  t.x.dispose();
  y.dispose();
  return {
    spec,
    kind: 'tabular',
    task: regression ? 'regression' : 'classification',
    sampleShape: [features],
    classNames,
    featureNames: t.featureNames,
    flipInvariant: false,
    train: limitRows(train, options.limit),
    test,
  };
}

/** Stratifying needs at least two samples of every class. */
function canStratify(y: Tensor): boolean {
  const counts = new Map<number, number>();
  for (const v of y.dataSync()) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.values()].every((c) => c >= 2);
}
