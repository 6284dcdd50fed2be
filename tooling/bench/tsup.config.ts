import { defineConfig } from 'tsup';

// The bench runner: one ESM file; workspace packages and peer frameworks stay external
// (they are devDependencies, which tsup would otherwise bundle; onnxruntime-node is native).
export default defineConfig({
  entry: { bench: 'src/bench.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  clean: true,
  sourcemap: true,
  dts: false,
  external: [/^@mapnn\//, /^@tensorflow\//, /^@jax-js\//, 'onnxruntime-node'],
});
