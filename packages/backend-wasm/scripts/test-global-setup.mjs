// vitest globalSetup: compile the kernels and bundle the test worker when their sources changed.
import { buildWasm } from './build-wasm.mjs';
import { buildTestWorker } from './build-test-worker.mjs';

export default async function setup() {
  await buildWasm();
  await buildTestWorker();
}
