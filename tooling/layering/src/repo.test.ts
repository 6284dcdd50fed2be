import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { largestFileCircle, layeringViolations } from './check.js';
import { layersSection, withSection } from './layers-doc.js';
import { readWorkspace, trackedPackageDirs } from './workspace.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const DOC = `${REPO}docs/architecture.md`;
const tracked = trackedPackageDirs(REPO);
const workspace = readWorkspace(REPO, (dir) => tracked?.has(dir) ?? true);

test('the repository keeps the layering of ../shared/design/packages.md', () => {
  expect(workspace.map((p) => p.dir)).toContain('packages/core');
  expect(workspace.find((p) => p.dir === 'packages/core')!.files.length).toBeGreaterThan(50);
  expect(layeringViolations(workspace)).toEqual([]);
  const circles = workspace.map((p) => ({ dir: p.dir, ...largestFileCircle(p) })).filter((c) => c.files > 0);
  console.log(`largest file circle per package:\n${circles.map((c) => `  ${c.dir}: ${c.files} files, ${c.loop}`).join('\n')}`);
});

test('docs/architecture.md shows the layers as they are (MAPNN_WRITE_LAYERS=1 rewrites it)', () => {
  const doc = readFileSync(DOC, 'utf8');
  const current = withSection(doc, layersSection(workspace));
  if (process.env.MAPNN_WRITE_LAYERS === '1') writeFileSync(DOC, current);
  else expect(doc, 'docs/architecture.md is stale: run MAPNN_WRITE_LAYERS=1 pnpm --filter @mapnn/layering test').toBe(current);
});
