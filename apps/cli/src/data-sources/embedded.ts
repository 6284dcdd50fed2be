import { loadBreastCancer, loadDigits, loadIris, loadWine, trainTestSplit, type ToyDataset } from '@mapnn/data';
import { DEFAULT_TEST_SIZE, type DataSpec, type LoadOptions, type LoadedData } from './types.js';
import { limitRows } from './util.js';

const LOADERS: Record<string, () => ToyDataset> = {
  digits: loadDigits,
  iris: loadIris,
  'breast-cancer': loadBreastCancer,
  wine: loadWine,
};

/** The datasets embedded in @mapnn/data, split into train and a stratified held-out test set. */
export function loadEmbedded(spec: DataSpec, options: LoadOptions): LoadedData {
  const d = LOADERS[spec.name]!();
  const { train, test } = trainTestSplit({ x: d.x, y: d.y }, { testSize: options.testSize ?? DEFAULT_TEST_SIZE, stratify: true, seed: options.seed });
  d.x.dispose();
  d.y.dispose();
  const image = spec.name === 'digits';
  const reshape = (s: { x: typeof d.x; y: typeof d.y }) => (image ? { x: s.x.reshape([-1, 1, 8, 8]), y: s.y } : s);
  return {
    spec,
    kind: image ? 'image' : 'tabular',
    task: 'classification',
    sampleShape: image ? [1, 8, 8] : [d.x.shape[1]!],
    classNames: d.classNames,
    featureNames: image ? undefined : d.featureNames,
    rawMax: image ? 16 : undefined,
    flipInvariant: false,
    train: limitRows(reshape(train), options.limit),
    test: reshape(test),
  };
}
