import { defineProject } from 'vitest/config';
import { sharedTest } from '@mapnn/config/vitest';

// One test file; packing and `npm install` happen once in its beforeAll. Not a `test` script:
// .ci/run runs it as its own step after `pnpm test` (`pnpm --filter @mapnn/pack-test pack-test`).
export default defineProject({
  test: { ...sharedTest, name: 'pack-test', include: ['src/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 300_000 },
});
