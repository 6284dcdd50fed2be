import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { sharedTest } from '@mapnn/config/vitest';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Tests compute on the workspace sources of core and the cpu backend (one shared registry, no
// build needed while editing).
export default defineProject({
  resolve: {
    alias: {
      '@mapnn/core/backend': src('../core/src/backend-entry.ts'), // before '@mapnn/core': aliases match by prefix
      '@mapnn/core': src('../core/src/index.ts'),
      '@mapnn/backend-cpu': src('../backend-cpu/src/index.ts'),
      '@mapnn/layers': src('../layers/src/index.ts'),
      '@mapnn/data': src('../data/src/index.ts'),
      '@mapnn/optimizers': src('../optimizers/src/index.ts'),
    },
  },
  test: { ...sharedTest, name: 'onnx' },
});
