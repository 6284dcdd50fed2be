import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { sharedTest } from '@mapnn/config/vitest';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineProject({
  resolve: { alias: { '@mapnn/core/backend': src('../../packages/core/src/backend-entry.ts'), // before '@mapnn/core': aliases match by prefix
 '@mapnn/core': src('../../packages/core/src/index.ts') } },
  test: { ...sharedTest, name: 'backend-tests' },
});
