import { defineProject } from 'vitest/config';
import { sharedTest } from '@mapnn/config/vitest';

export default defineProject({
  test: { ...sharedTest, name: 'layering' },
});
