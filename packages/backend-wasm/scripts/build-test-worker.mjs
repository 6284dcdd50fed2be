/**
 * Bundles src/worker.ts to src/generated/worker.mjs for the tests, which run from the sources
 * (Node 20 cannot start a worker from TypeScript). The published worker is dist/worker.js,
 * built by tsup with the package.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const TEST_WORKER = join(root, 'src', 'generated', 'worker.mjs');

export async function buildTestWorker() {
  const src = join(root, 'src');
  const inputs = readdirSync(src).filter((f) => f.endsWith('.ts')).map((f) => statSync(join(src, f)).mtimeMs);
  if (existsSync(TEST_WORKER) && statSync(TEST_WORKER).mtimeMs >= Math.max(...inputs)) return false;
  const { build } = await import('tsup');
  await build({
    entry: { worker: join(src, 'worker.ts') },
    outDir: join(src, 'generated'),
    format: ['esm'],
    outExtension: () => ({ js: '.mjs' }),
    target: 'es2022',
    platform: 'neutral',
    dts: false,
    sourcemap: false,
    clean: false,
    silent: true,
    config: false,
  });
  return true;
}
