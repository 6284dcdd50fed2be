import { defineConfig } from 'tsup';
import { libraryConfig } from '@mapnn/config/tsup';

// Two outputs: the library (ESM + CJS + .d.ts, kernels embedded base64 via src/generated/) and
// the pool's worker, dist/worker.js (ESM), which the library finds as
// `new URL('./worker.js', import.meta.url)` — `shims` gives the CJS build an import.meta.url.
export default defineConfig([
  libraryConfig({ shims: true, clean: ['!worker.js', '!worker.js.map'] }),
  {
    entry: { worker: 'src/worker.ts' },
    format: ['esm'],
    target: 'es2022',
    platform: 'neutral',
    dts: false,
    sourcemap: true,
    clean: false,
    splitting: false,
  },
]);
