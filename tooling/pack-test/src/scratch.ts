import { copyFileSync, mkdtempSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanEnv, runOrThrow } from './run.js';
import { REPO_ROOT } from './workspace.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Types for the Node consumer (the version the workspace builds with); from the npm registry. */
export const NODE_TYPES = '@types/node@20.19.43';

/**
 * A fresh project in the system temp folder, outside the workspace (so nothing resolves through
 * the workspace's node_modules), holding the consumer fixtures.
 */
export function createScratchProject(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'mapnn-pack-test-')));
  if (dir.startsWith(realpathSync(REPO_ROOT))) throw new Error(`scratch project ${dir} is inside the workspace ${REPO_ROOT}`);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'mapnn-pack-scratch', private: true, type: 'module' }, null, 2)}\n`);
  for (const f of readdirSync(FIXTURES)) copyFileSync(join(FIXTURES, f), join(dir, f));
  return dir;
}

/**
 * Installs all tarballs in one `npm install`, as a user would from the registry: @mapnn/* from
 * the tarballs (their dependencies on each other are plain versions after `pnpm pack`),
 * third-party dependencies from the npm registry.
 */
export function installTarballs(dir: string, tarballs: string[]): void {
  runOrThrow('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...tarballs, NODE_TYPES], dir, {
    env: cleanEnv(),
    timeoutMs: 240_000,
  });
}
