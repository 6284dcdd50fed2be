import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { requireShared } from '../../test/shared-datasets.js';
import { decodeEmbedded } from '../embedded/decode.js';
import { breastCancerCsvGzBase64, BREAST_CANCER_SHA256 } from '../embedded/breast-cancer.js';
import { digitsCsvGzBase64, DIGITS_SHA256 } from '../embedded/digits.js';
import { irisCsvGzBase64, IRIS_SHA256 } from '../embedded/iris.js';
import { wineCsvGzBase64, WINE_SHA256 } from '../embedded/wine.js';
import { bincount } from '../util/labels.js';
import { loadBreastCancer, loadDigits, loadIris, loadWine } from './toy-datasets.js';

const counts = (y: { dataSync(): ArrayLike<number> }) => Array.from(bincount(y.dataSync()));

describe('embedded datasets', () => {
  it('loadDigits: 1797 × 64 float32 in 0–16, labels 0–9', () => {
    const d = loadDigits();
    expect(d.x.shape).toEqual([1797, 64]);
    expect(d.x.dtype).toBe('float32');
    expect(d.y.shape).toEqual([1797]);
    expect(d.y.dtype).toBe('int32');
    const x = d.x.dataSync();
    expect(Math.min(...x)).toBe(0);
    expect(Math.max(...x)).toBe(16);
    expect(x.every((v) => Number.isInteger(v))).toBe(true);
    expect(counts(d.y)).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    expect(Array.from(d.y.dataSync().slice(0, 5))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(x.slice(0, 8))).toEqual([0, 0, 5, 13, 9, 1, 0, 0]);
    expect(d.featureNames[9]).toBe('pixel_1_1');
    expect(d.classNames).toHaveLength(10);
  });

  it('loadIris, loadWine, loadBreastCancer: shapes, names and class counts as scikit-learn', () => {
    const iris = loadIris();
    expect(iris.x.shape).toEqual([150, 4]);
    expect(counts(iris.y)).toEqual([50, 50, 50]);
    expect(iris.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(iris.featureNames[0]).toBe('sepal length (cm)');
    expect(Array.from(iris.x.dataSync().slice(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));
    const wine = loadWine();
    expect(wine.x.shape).toEqual([178, 13]);
    expect(counts(wine.y)).toEqual([59, 71, 48]);
    expect(wine.featureNames).toHaveLength(13);
    expect(wine.classNames).toEqual(['class_0', 'class_1', 'class_2']);
    const bc = loadBreastCancer();
    expect(bc.x.shape).toEqual([569, 30]);
    expect(counts(bc.y)).toEqual([212, 357]);
    expect(bc.classNames).toEqual(['malignant', 'benign']);
    expect(bc.featureNames.slice(0, 2)).toEqual(['mean radius', 'mean texture']);
    expect(bc.featureNames[29]).toBe('worst fractal dimension');
  });

  it('returns fresh tensors on every call', () => {
    const a = loadIris();
    a.x.dispose();
    expect(loadIris().x.shape).toEqual([150, 4]);
  });

  it('embeds exactly the shared CSV files (checked against shared/datasets when present)', (ctx) => {
    const dir = requireShared(ctx, 'uci/iris.csv', 'uci/wine_data.csv', 'uci/breast_cancer.csv', 'uci/digits.csv.gz').replace(/iris\.csv$/, '');
    const cases: [string, () => string, string][] = [
      ['iris.csv', irisCsvGzBase64, IRIS_SHA256],
      ['wine_data.csv', wineCsvGzBase64, WINE_SHA256],
      ['breast_cancer.csv', breastCancerCsvGzBase64, BREAST_CANCER_SHA256],
      ['digits.csv.gz', digitsCsvGzBase64, DIGITS_SHA256],
    ];
    for (const [file, b64, sha] of cases) {
      let bytes: Buffer = readFileSync(dir + file);
      if (file.endsWith('.gz')) bytes = gunzipSync(bytes);
      expect(createHash('sha256').update(bytes).digest('hex'), file).toBe(sha);
      expect(decodeEmbedded(b64(), file)).toBe(bytes.toString('utf8'));
    }
  });
});
