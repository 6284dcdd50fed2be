import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as data from './index.js';
import * as node from './node.js';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Every source file reachable from `entry` through relative imports, with its bare imports. */
function importGraph(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    const specs = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2]!);
    seen.set(file, specs.filter((s) => !s.startsWith('.')));
    for (const s of specs.filter((s) => s.startsWith('.'))) visit(join(dirname(file), s.replace(/\.js$/, '.ts')));
  };
  visit(entry);
  return seen;
}

describe('entries', () => {
  it('the main entry is browser-safe: only @mapnn/core and fflate, no Node globals', () => {
    const graph = importGraph(join(SRC, 'index.ts'));
    expect(graph.size).toBeGreaterThan(30);
    for (const [file, bare] of graph) {
      expect(file, 'no test files in the entry').not.toMatch(/\.test\.ts$/);
      expect(file.includes(`${SRC}/node/`), `${file} is Node-only`).toBe(false);
      for (const spec of bare) expect(['@mapnn/core', 'fflate'], `${file} imports ${spec}`).toContain(spec);
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(code, `${file} uses a Node global`).not.toMatch(/\b(process|Buffer|require|__dirname)\b/);
    }
  });

  it('the node entry adds the file helpers and MNIST loaders', () => {
    const bare = [...importGraph(join(SRC, 'node.ts')).values()].flat();
    expect(bare.some((s) => s.startsWith('node:'))).toBe(true);
    expect(Object.keys(node).sort()).toEqual(
      [
        'FASHION_MNIST',
        'MNIST',
        'defaultDataDir',
        'downloadIdxDataset',
        'downloadVerified',
        'loadFashionMnist',
        'loadMnist',
        'readBytes',
        'readCsvFile',
        'readCsvTable',
        'readIdxFile',
        'readIdxPair',
        'readNpyFile',
        'sha256Hex',
        'writeNpyFile',
      ].sort(),
    );
  });

  it('the main entry exports the documented API', () => {
    for (const name of [
      'TensorDataset',
      'ArrayDataset',
      'Subset',
      'DataLoader',
      'defaultCollate',
      'RandomSampler',
      'parseIdx',
      'parseCsv',
      'csvToTensors',
      'parseNpy',
      'encodeNpy',
      'loadDigits',
      'loadIris',
      'loadBreastCancer',
      'loadWine',
      'StandardScaler',
      'MinMaxScaler',
      'oneHotEncode',
      'randomHorizontalFlip',
      'randomRotation',
      'randomCrop',
      'gaussianNoise',
      'cutout',
      'randomErasing',
      'mixup',
      'cutmix',
      'randomOverSample',
      'randomUnderSample',
      'smote',
      'WeightedRandomSampler',
      'classWeights',
      'trainTestSplit',
      'kFold',
      'stratifiedKFold',
      'crossValidate',
    ]) {
      expect(data, name).toHaveProperty(name);
    }
    expect(data).not.toHaveProperty('foldsFrom');
  });
});
