#!/usr/bin/env node
/**
 * Bundles scripts/bench-int8.ts with the workspace sources of core and this package (esbuild
 * via tsup, as the test worker is bundled) and runs it: int8 vs float32 kernel timings of the
 * Fashion-MNIST CNN's layers. Needs the kernels and test worker built (run the tests once, or
 * node scripts/build-wasm.mjs && node scripts/build-test-worker.mjs).
 *
 *   node scripts/bench-int8.mjs                 # float32 vs int8
 *   node scripts/bench-int8.mjs --relaxed-simd  # also int8 SIMD128 vs relaxed SIMD (V8 flag for Node 20)
 *   node scripts/bench-int8.mjs --relaxed-simd --no-liftoff  # the same without V8's tier-up
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWasm } from './build-wasm.mjs';
import { buildTestWorker } from './build-test-worker.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await buildWasm();
await buildTestWorker();
const { build } = await import('tsup');
await build({
  entry: { 'bench-int8': join(root, 'scripts', 'bench-int8.ts') },
  outDir: join(root, 'src', 'generated'),
  format: ['esm'],
  outExtension: () => ({ js: '.mjs' }),
  target: 'es2022',
  platform: 'node',
  dts: false,
  sourcemap: false,
  clean: false,
  silent: true,
  config: false,
  noExternal: [/.*/],
  esbuildOptions(o) {
    o.alias = { '@mapnn/core/backend': join(root, '../core/src/backend-entry.ts'), '@mapnn/core': join(root, '../core/src/index.ts') };
  },
});
// --relaxed-simd: V8's flag for Node 20; other flags (e.g. --no-liftoff: every function optimized
// from the start, so two modules are compared without their tier-up) go to node as they are
const flags = process.argv.slice(2).map((a) => (a === '--relaxed-simd' ? '--experimental-wasm-relaxed-simd' : a));
const r = spawnSync(process.execPath, [...flags, join(root, 'src', 'generated', 'bench-int8.mjs')], { stdio: 'inherit' });
process.exit(r.status ?? 1);
