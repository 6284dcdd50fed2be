import { fromStorage, type Tensor } from '@mapnn/core';
import { breastCancerCsvGzBase64 } from '../embedded/breast-cancer.js';
import { decodeEmbedded } from '../embedded/decode.js';
import { digitsCsvGzBase64 } from '../embedded/digits.js';
import { irisCsvGzBase64 } from '../embedded/iris.js';
import { wineCsvGzBase64 } from '../embedded/wine.js';
import { parseCsv } from '../readers/csv.js';

/** A small classification dataset: features, labels and names. */
export interface ToyDataset {
  /** Features, float32 `[samples, features]`. */
  x: Tensor;
  /** Class ids, int32 `[samples]`. */
  y: Tensor;
  featureNames: string[];
  classNames: string[];
}

interface Parsed {
  x: Float32Array;
  y: Int32Array;
  n: number;
  f: number;
  classNames: string[];
}

const cache = new Map<string, Parsed>();

/**
 * Parses an embedded scikit-learn style CSV: a first line `n_samples,n_features,class names…`
 * (absent for digits), then rows of features with the class id last. The data comes from a
 * function, and nothing at module level computes anything: a bundle that never calls a loader
 * drops its data (packages/data/src/tree-shaking.test.ts checks it).
 */
function parsed(key: string, base64: () => string, hasHeader: boolean, classNames?: string[]): Parsed {
  const hit = cache.get(key);
  if (hit) return hit;
  const text = decodeEmbedded(base64(), `embedded ${key}`);
  let n: number | undefined;
  let f: number | undefined;
  let names = classNames ?? [];
  let body = text;
  if (hasHeader) {
    const nl = text.indexOf('\n');
    const head = text.slice(0, nl).trim().split(',');
    n = Number(head[0]);
    f = Number(head[1]);
    names = head.slice(2);
    body = text.slice(nl + 1);
  }
  const table = parseCsv(body, { header: false, name: `embedded ${key}` });
  const rows = table.rows.length;
  const cols = table.rows[0]!.length - 1;
  if ((n !== undefined && rows !== n) || (f !== undefined && cols !== f)) {
    throw new Error(`embedded ${key}: expected ${n} × ${f}, read ${rows} × ${cols}`);
  }
  const x = new Float32Array(rows * cols);
  const y = new Int32Array(rows);
  table.rows.forEach((row, r) => {
    for (let j = 0; j < cols; j++) x[r * cols + j] = Number(row[j]);
    y[r] = Number(row[cols]);
  });
  const out = { x, y, n: rows, f: cols, classNames: names };
  cache.set(key, out);
  return out;
}

function toDataset(p: Parsed, featureNames: string[]): ToyDataset {
  return {
    x: fromStorage(p.x.slice(), [p.n, p.f], 'float32', 'loadDataset'),
    y: fromStorage(p.y.slice(), [p.n], 'int32', 'loadDataset'),
    featureNames: [...featureNames],
    classNames: [...p.classNames],
  };
}

const IRIS_FEATURES = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'];

const WINE_FEATURES = [
  'alcohol',
  'malic_acid',
  'ash',
  'alcalinity_of_ash',
  'magnesium',
  'total_phenols',
  'flavanoids',
  'nonflavanoid_phenols',
  'proanthocyanins',
  'color_intensity',
  'hue',
  'od280/od315_of_diluted_wines',
  'proline',
];

const CANCER_MEASURES = [
  'radius',
  'texture',
  'perimeter',
  'area',
  'smoothness',
  'compactness',
  'concavity',
  'concave points',
  'symmetry',
  'fractal dimension',
];
const breastCancerFeatures = () => [
  ...CANCER_MEASURES.map((m) => `mean ${m}`),
  ...CANCER_MEASURES.map((m) => `${m} error`),
  ...CANCER_MEASURES.map((m) => `worst ${m}`),
];

const digitsFeatures = () => Array.from({ length: 64 }, (_, i) => `pixel_${Math.floor(i / 8)}_${i % 8}`);
const digitClasses = () => Array.from({ length: 10 }, (_, i) => String(i));

/**
 * UCI optical handwritten digits (scikit-learn's `load_digits`): 1,797 images of 8×8 pixels with
 * values 0–16, flattened to 64 features (`pixel_row_col`), classes 0–9. Embedded in the package
 * (no file access); reshape `x` to `[1797, 1, 8, 8]` for convolutions.
 *
 * @example
 * const { x, y } = loadDigits(); // x float32 [1797, 64], y int32 [1797]
 */
export function loadDigits(): ToyDataset {
  return toDataset(parsed('digits', digitsCsvGzBase64, false, digitClasses()), digitsFeatures());
}

/**
 * Fisher's iris (scikit-learn's `load_iris`): 150 flowers × 4 measurements in cm, 3 classes
 * (setosa, versicolor, virginica; 50 each). Embedded in the package.
 *
 * @example const { x, y, classNames } = loadIris(); // [150, 4], [150], ['setosa', 'versicolor', 'virginica']
 */
export function loadIris(): ToyDataset {
  return toDataset(parsed('iris', irisCsvGzBase64, true), IRIS_FEATURES);
}

/**
 * Wisconsin diagnostic breast cancer (scikit-learn's `load_breast_cancer`): 569 samples × 30
 * features, 2 imbalanced classes (0 = malignant: 212, 1 = benign: 357). Embedded in the package.
 *
 * @example const { x, y } = loadBreastCancer(); // [569, 30], [569]
 */
export function loadBreastCancer(): ToyDataset {
  return toDataset(parsed('breast-cancer', breastCancerCsvGzBase64, true), breastCancerFeatures());
}

/**
 * Wine recognition (scikit-learn's `load_wine`): 178 wines × 13 chemical measurements, 3
 * cultivars (class_0: 59, class_1: 71, class_2: 48). Embedded in the package.
 *
 * @example const { x, y } = loadWine(); // [178, 13], [178]
 */
export function loadWine(): ToyDataset {
  return toDataset(parsed('wine', wineCsvGzBase64, true), WINE_FEATURES);
}
