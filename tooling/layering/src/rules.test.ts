import { describe, expect, test } from 'vitest';
import { cleanWorkspace, plantWorkspace, type PlantedPackage } from '../test/tree.js';
import { layeringViolations } from './check.js';
import { readWorkspace } from './workspace.js';

type Tree = Record<string, PlantedPackage>;

const violationsOf = (tree: Tree) =>
  layeringViolations(readWorkspace(plantWorkspace(tree)), { known: [], onNoCircle: ['packages/core/src/tensor.ts'] });

/** The clean workspace with `file` of package `dir` added (and package.json fields merged in). */
function plant(dir: string, file: Record<string, string>, json: Record<string, unknown> = {}): Tree {
  const tree = cleanWorkspace();
  const p = tree[dir] ?? {};
  tree[dir] = { json: { ...p.json, ...json }, files: { ...p.files, ...file } };
  return tree;
}

const core = { '@mapnn/core': 'workspace:*' };

test('the clean synthetic workspace keeps every rule (so each planted violation below is the only one)', () => {
  expect(violationsOf(cleanWorkspace())).toEqual([]);
});

describe('imports by name', () => {
  test('an upward import fails, naming file, specifier and floors', () => {
    const tree = plant('packages/layers', { 'src/fit-helper.ts': "import { fit } from '@mapnn/train';\n" }, { dependencies: { ...core, '@mapnn/train': 'workspace:*' } });
    expect(violationsOf(tree)).toContain('packages/layers/src/fit-helper.ts imports @mapnn/train: packages/train is on floor 3, above packages/layers (floor 2)');
  });

  test('core importing anything of ours fails (a backend too)', () => {
    const tree = plant('packages/core', { 'src/engine.ts': "import '@mapnn/backend-cpu';\n" }, { dependencies: { '@mapnn/backend-cpu': 'workspace:*' } });
    expect(violationsOf(tree)).toContain('packages/core/src/engine.ts imports @mapnn/backend-cpu: packages/backend-cpu is on floor 2, above packages/core (floor 1)');
  });

  test('a sideways import on one floor fails', () => {
    const tree = plant('packages/layers', { 'src/cpu.ts': "import '@mapnn/backend-cpu';\n" }, { dependencies: { ...core, '@mapnn/backend-cpu': 'workspace:*' } });
    expect(violationsOf(tree)).toContain('packages/layers/src/cpu.ts imports @mapnn/backend-cpu: both are on floor 2, and a package may not import one of its own floor');
  });

  test('upward through `export … from` and through a dynamic import() fails', () => {
    const tree = plant('packages/backend-cpu', {
      'src/reexport.ts': "export { Linear } from '@mapnn/layers';\n",
      'src/lazy.ts': "export const load = () => import('@mapnn/train');\n",
    }, { dependencies: { ...core, '@mapnn/layers': 'workspace:*', '@mapnn/train': 'workspace:*' } });
    const v = violationsOf(tree);
    expect(v).toContain('packages/backend-cpu/src/reexport.ts imports @mapnn/layers: both are on floor 2, and a package may not import one of its own floor');
    expect(v).toContain('packages/backend-cpu/src/lazy.ts imports @mapnn/train: packages/train is on floor 3, above packages/backend-cpu (floor 2)');
  });

  test('even a type-only import may not go upward', () => {
    const tree = plant('packages/layers', { 'src/types.ts': "import type { FitOptions } from '@mapnn/train';\n" }, { devDependencies: { '@mapnn/train': 'workspace:*' } });
    expect(violationsOf(tree)).toContain('packages/layers/src/types.ts imports @mapnn/train: packages/train is on floor 3, above packages/layers (floor 2)');
  });

  test('published code may not import the dev tooling; its tests may', () => {
    const tree = plant('packages/layers', { 'src/config.ts': "import { sharedTest } from '@mapnn/config/vitest';\n" });
    expect(violationsOf(tree)).toEqual(['packages/layers/src/config.ts imports @mapnn/config/vitest: tooling/config is dev tooling, which published code may not import']);
  });

  test('browser test pages (*.page.ts) are test code: they may import the dev tooling', () => {
    const tree = plant('packages/backend-cpu', { 'src/browser.page.ts': "import '@mapnn/config/browser-test';\n" }, { devDependencies: { '@mapnn/config': 'workspace:*' } });
    expect(violationsOf(tree)).toEqual([]);
  });

  test('an import the package.json does not declare fails; published code needs it in dependencies', () => {
    const tree = plant('packages/train', { 'src/optim.ts': "import { Adam } from '@mapnn/optimizers';\n" }, { devDependencies: { '@mapnn/optimizers': 'workspace:*' } });
    tree['packages/optimizers'] = { json: { dependencies: core }, files: { 'src/index.ts': "import '@mapnn/core';\n" } };
    expect(violationsOf(tree)).toEqual(['packages/train/src/optim.ts imports @mapnn/optimizers, which packages/train/package.json does not list in dependencies']);
  });

  test('a private tooling package may import its devDependencies from src (it is never published)', () => {
    const bench = { json: { private: true, dependencies: core, devDependencies: { '@mapnn/train': 'workspace:*' } }, files: { 'src/peers/train.ts': "import '@mapnn/train';\n" } };
    expect(violationsOf({ ...cleanWorkspace(), 'tooling/bench': bench })).toEqual([]);
    const published = { ...bench, json: { ...bench.json, private: false } };
    expect(violationsOf({ ...cleanWorkspace(), 'tooling/bench': published })).toEqual([
      'tooling/bench/src/peers/train.ts imports @mapnn/train, which tooling/bench/package.json does not list in dependencies',
    ]);
  });

  test('a private tooling package is dev tooling itself: its src may import tooling/config', () => {
    const suite = { json: { private: true, dependencies: core, devDependencies: { '@mapnn/config': 'workspace:*' } }, files: { 'src/util.ts': "import '@mapnn/config/random';\n" } };
    expect(violationsOf({ ...cleanWorkspace(), 'tooling/backend-tests': suite })).toEqual([]);
    const published = { ...suite, json: { ...suite.json, private: false } };
    expect(violationsOf({ ...cleanWorkspace(), 'tooling/backend-tests': published })).toEqual([
      'tooling/backend-tests/src/util.ts imports @mapnn/config/random: tooling/config is dev tooling, which published code may not import',
    ]);
  });

  test('a package of ours that is no workspace package, and a package the floors table does not place, fail', () => {
    const tree = plant('packages/train', { 'src/x.ts': "import '@mapnn/nowhere';\n" });
    tree['packages/mystery'] = { json: { dependencies: core } };
    const v = violationsOf(tree);
    expect(v.some((l) => l.startsWith('packages/train/src/x.ts imports @mapnn/nowhere: @mapnn/nowhere is no workspace package'))).toBe(true);
    expect(v.some((l) => l.startsWith('packages/mystery (@mapnn/mystery) has no floor'))).toBe(true);
  });
});

describe('relative imports that leave the package', () => {
  test('published code may not reach into another package by path', () => {
    const tree = plant('packages/train', { 'src/reach.ts': "import { add } from '../../core/src/ops/add.js';\n" });
    expect(violationsOf(tree)).toEqual([
      'packages/train/src/reach.ts imports ../../core/src/ops/add.js: published code may not reach out of its package by a relative path (its build would copy packages/core in); import the package by name',
    ]);
  });

  test('a test may reach a lower package or a backend (core runs its tests on the cpu sources), never upward', () => {
    const tree = plant('packages/core', { 'test/train.ts': "import '../../train/src/fit.js';\n" });
    expect(violationsOf(tree)).toEqual([
      'packages/core/test/train.ts imports ../../train/src/fit.js: packages/train is on floor 3, above packages/core (floor 1), even for tests',
    ]);
  });
});

describe('package.json and circles between packages', () => {
  test('an upward dependency in package.json fails even when no file imports it', () => {
    const tree = plant('packages/core', {}, { dependencies: { '@mapnn/layers': 'workspace:*' } });
    expect(violationsOf(tree)).toContain('packages/core/package.json dependencies has @mapnn/layers: packages/layers is on floor 2, above packages/core (floor 1)');
  });

  test('two packages that depend on each other fail as a circle', () => {
    const tree = plant('packages/core', {}, { devDependencies: { '@mapnn/backend-cpu': 'workspace:*' } });
    expect(violationsOf(tree)).toContain('packages import each other: @mapnn/backend-cpu → @mapnn/core → @mapnn/backend-cpu');
  });

  test("a test's relative reach into a backend is no package edge (no circle core ↔ backend-cpu)", () => {
    // the clean tree has core/test/setup.ts importing ../../backend-cpu/src/index.js
    expect(cleanWorkspace()['packages/core']!.files!['test/setup.ts']).toContain('../../backend-cpu/src');
    expect(violationsOf(cleanWorkspace()).filter((l) => l.includes('each other'))).toEqual([]);
  });
});
