import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { FLOORS, floorOf } from './floors.js';

const PACKAGES_MD = fileURLToPath(new URL('../../../../shared/design/packages.md', import.meta.url));

/** The floors table of packages.md as `{ 'packages/core': 1, 'tooling/*': 5, … }`. */
function floorsOfDesign(text: string): Record<string, number> {
  const floors: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const floor = Number(cells[1]?.match(/^(\d+) —/)?.[1]);
    if (!floor) continue;
    for (const [, name] of cells[2]!.matchAll(/`([^`]+)`/g)) floors[name!.includes('/') ? name! : `packages/${name}`] = floor;
  }
  return floors;
}

test.skipIf(!existsSync(PACKAGES_MD))('floors.ts holds the floors table of ../shared/design/packages.md (checked where that file is beside the repository)', () => {
  const design = floorsOfDesign(readFileSync(PACKAGES_MD, 'utf8'));
  expect(Object.keys(design).length).toBeGreaterThan(10);
  expect(FLOORS).toEqual(design);
});

test('a package is placed by its directory, a tooling package by tooling/*; an unknown one is not placed', () => {
  expect(floorOf('packages/core')).toBe(1);
  expect(floorOf('packages/onnx')).toBe(3);
  expect(floorOf('tooling/layering')).toBe(5);
  expect(floorOf('packages/unknown')).toBeUndefined();
});
