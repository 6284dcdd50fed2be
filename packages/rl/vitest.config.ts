import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { sharedTest } from '@mapnn/config/vitest';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Workspace packages whose sources the tests run on (one shared registry, no build needed while editing). */
const sources: Record<string, string> = {
  '@mapnn/core/backend': '../core/src/backend-entry.ts',
  '@mapnn/core': '../core/src/index.ts',
  '@mapnn/backend-cpu': '../backend-cpu/src/index.ts',
  '@mapnn/layers': '../layers/src/index.ts',
  '@mapnn/optimizers': '../optimizers/src/index.ts',
  '@mapnn/train': '../train/src/index.ts',
  '@mapnn/onnx': '../onnx/src/index.ts',
};

export default defineProject({
  resolve: {
    // exact matches, so that a sub-path entry (`@mapnn/core/backend`) is not read as `index.ts/backend`
    alias: Object.entries(sources).map(([name, path]) => ({ find: new RegExp(`^${name.replace('/', '\\/')}$`), replacement: src(path) })),
  },
  test: { ...sharedTest, name: 'rl' },
});
