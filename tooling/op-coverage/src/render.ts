import '@mapnn/backend-cpu';
import '@mapnn/backend-wasm';
import { coverageMarkdown, registeredBackends } from '@mapnn/core';

/** The full text of docs/op-coverage.md for every backend registered by the imports above. */
export function renderCoverage(): string {
  const backends = registeredBackends();
  return (
    '# Kernel coverage: op × dtype × backend\n\n' +
    'Generated from the registry by `pnpm --filter @mapnn/op-coverage coverage`; a test fails when\n' +
    'this file is out of date. A primitive marked **missing** breaks the backend contract; a fast\n' +
    'path marked *composed* is computed by core from primitives. float16 (f16) is a storage dtype:\n' +
    'where no f16 kernel is listed, core computes in float32 and rounds back.\n\n' +
    `Backends: ${backends.join(', ')}\n\n` +
    coverageMarkdown(backends)
  );
}
