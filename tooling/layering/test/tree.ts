import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onTestFinished } from 'vitest';

export interface PlantedPackage {
  /** package.json fields beside `name` (dependencies, devDependencies, private …). */
  json?: Record<string, unknown>;
  /** Source files by their path inside the package. */
  files?: Record<string, string>;
}

/**
 * Writes a synthetic workspace (no real repository) to a fresh temporary directory and returns
 * its root: `{ 'packages/core': { files: { 'src/index.ts': '…' } } }`. A package's name is
 * `@mapnn/<last segment of its directory>` unless `json.name` says otherwise. The directory is
 * removed when the test finishes.
 */
export function plantWorkspace(pkgs: Record<string, PlantedPackage>): string {
  const root = mkdtempSync(join(tmpdir(), 'layering-'));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  for (const [dir, p] of Object.entries(pkgs)) {
    const json = { name: `@mapnn/${dir.split('/').pop()}`, ...p.json };
    write(join(root, dir, 'package.json'), JSON.stringify(json));
    for (const [path, text] of Object.entries(p.files ?? {})) write(join(root, dir, path), text);
  }
  return root;
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** A workspace that keeps every rule: core at the bottom, a backend and layers on it, train above. */
export function cleanWorkspace(): Record<string, PlantedPackage> {
  const core = { '@mapnn/core': 'workspace:*' };
  return {
    'packages/core': {
      files: {
        'src/index.ts': "export * from './tensor.js';\nexport { add } from './ops/add.js';\n",
        'src/tensor.ts': 'export class Tensor {}\n',
        'src/ops/add.ts': "import { Tensor } from '../tensor.js';\nexport const add = () => new Tensor();\n",
        'test/setup.ts': "import '../../backend-cpu/src/index.js';\n",
      },
    },
    'packages/backend-cpu': { json: { dependencies: core }, files: { 'src/index.ts': "import { add } from '@mapnn/core';\n" } },
    'packages/layers': {
      json: { dependencies: core, devDependencies: { '@mapnn/backend-cpu': 'workspace:*', '@mapnn/config': 'workspace:*' } },
      files: {
        'src/index.ts': "import type { Tensor } from '@mapnn/core';\nimport { add } from '@mapnn/core/functions';\n",
        'src/linear.test.ts': "import '@mapnn/backend-cpu';\nimport '@mapnn/config/vitest';\n",
        'vitest.config.ts': "import { sharedTest } from '@mapnn/config/vitest';\n",
      },
    },
    'packages/train': {
      json: { dependencies: { ...core, '@mapnn/layers': 'workspace:*' } },
      files: { 'src/fit.ts': "import { Linear } from '@mapnn/layers';\nconst later = () => import('@mapnn/core');\n" },
    },
    'tooling/config': { json: { private: true }, files: { 'vitest.js': 'export const sharedTest = {};\n' } },
  };
}
