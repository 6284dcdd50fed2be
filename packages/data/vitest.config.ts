import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { sharedTest } from '@mapnn/config/vitest';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Tests compute on the workspace sources of core and the cpu backend (one shared registry, no
// build needed while editing); test/setup.ts imports the cpu backend and selects it.
export default defineProject({
  resolve: {
    alias: {
      '@mapnn/core/backend': src('../core/src/backend-entry.ts'), // before '@mapnn/core': aliases match by prefix
      '@mapnn/core': src('../core/src/index.ts'),
      '@mapnn/backend-cpu': src('../backend-cpu/src/index.ts'),
    },
  },
  test: { ...sharedTest, name: 'data', setupFiles: ['./test/setup.ts'] },
});
