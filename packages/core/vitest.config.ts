import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { sharedTest } from '@mapnn/config/vitest';

// Core's own tests compute on the cpu backend's sources; '@mapnn/core' resolves to these
// sources so that both see one registry (core does not depend on any backend package).
export default defineProject({
  resolve: {
    alias: {
      // first: aliases match by prefix
      '@mapnn/core/backend': fileURLToPath(new URL('./src/backend-entry.ts', import.meta.url)),
      '@mapnn/core': fileURLToPath(new URL('./src/index.ts', import.meta.url)),
    },
  },
  test: { ...sharedTest, name: 'core', setupFiles: ['./test/setup.ts'] },
});
