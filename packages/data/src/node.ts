/**
 * @mapnn/data/node — the Node-only part of @mapnn/data: file readers (IDX, CSV, .npy),
 * MNIST / Fashion-MNIST from a folder with verified downloads. Everything else (datasets,
 * loaders, parsers of bytes and strings, embedded datasets, transforms, augmentation,
 * resampling, splits) is in the browser-safe main entry `@mapnn/data`.
 */
export { readBytes, readCsvFile, readCsvTable, readIdxFile, readNpyFile, writeNpyFile } from './node/files.js';
export { downloadVerified, sha256Hex, type DownloadOptions } from './node/download.js';
export { FASHION_MNIST, MNIST, type KnownFile, type KnownIdxDataset } from './node/known-datasets.js';
export {
  defaultDataDir,
  downloadIdxDataset,
  loadFashionMnist,
  loadMnist,
  readIdxPair,
  type MnistData,
  type MnistOptions,
} from './node/mnist.js';
