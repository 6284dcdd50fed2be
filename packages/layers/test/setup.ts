// Shared test setup for @mapnn/layers: compute on the cpu backend (workspace sources, see
// vitest.config.ts). Import it first in every test file under src: `import '../test/setup.js';`
import '@mapnn/backend-cpu';
import { setBackend } from '@mapnn/core';

setBackend('cpu');
