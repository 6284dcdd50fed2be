import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { sharedTest } from '@mapnn/config/vitest';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Tests run against the workspace sources of core and the conformance suite, so that one
// registry is shared and no build is needed in the edit–test loop. The global setup compiles
// the AssemblyScript kernels (src/generated/) and bundles the pool's worker when stale.
export default defineProject({
  resolve: {
    alias: {
      '@mapnn/core/backend': src('../core/src/backend-entry.ts'), // before '@mapnn/core': aliases match by prefix
      '@mapnn/core': src('../core/src/index.ts'),
      '@mapnn/backend-tests': src('../../tooling/backend-tests/src/index.ts'),
    },
  },
  test: {
    ...sharedTest,
    name: 'backend-wasm',
    globalSetup: ['./scripts/test-global-setup.mjs'],
    setupFiles: ['./src/test-setup.ts'],
  },
});
