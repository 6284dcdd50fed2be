import { existsSync } from 'node:fs';
import { defaultDataDir, loadFashionMnist, loadMnist, type MnistData } from '@mapnn/data/node';
import { CliError } from '../errors.js';
import type { DataSpec, LoadOptions, LoadedData } from './types.js';
import { limitRows } from './util.js';

/** MNIST or Fashion-MNIST from a folder of IDX files (their own 60,000 / 10,000 split). */
export async function loadIdxSource(spec: DataSpec, options: LoadOptions): Promise<LoadedData> {
  const fashion = spec.name === 'fashion-mnist';
  const dir = spec.path ?? defaultDataDir(fashion ? 'fashion-mnist' : 'mnist');
  if (!options.download && !existsSync(dir)) {
    throw new CliError(`${spec.name}: folder not found: ${dir} (pass --data ${spec.name}=DIR, set MAPNN_DATA_DIR, or add --download)`);
  }
  const load = (split: 'train' | 'test'): Promise<MnistData> =>
    (fashion ? loadFashionMnist : loadMnist)({ dir, split, channelDim: true, download: options.download });
  const train = await load('train');
  const test = await load('test');
  return {
    spec: { ...spec, path: dir },
    kind: 'image',
    task: 'classification',
    sampleShape: [1, 28, 28],
    classNames: train.classNames,
    rawMax: 1,
    flipInvariant: fashion,
    train: limitRows({ x: train.x, y: train.y }, options.limit),
    test: { x: test.x, y: test.y },
  };
}
