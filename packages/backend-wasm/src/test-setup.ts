// vitest setupFiles: the tests run from the sources, so the pool uses the bundled test worker.
import { setWasmWorkerUrl } from './config.js';

setWasmWorkerUrl(new URL('./generated/worker.mjs', import.meta.url));
