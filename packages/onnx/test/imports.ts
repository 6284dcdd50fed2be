// One place for the test files' imports (the package sources plus core).
import '@mapnn/backend-cpu';
export * from '../src/index.js';
export { tensor, setBackend } from '@mapnn/core';
