/**
 * The floors table of the package layering, as data. The source of truth is the floors table of
 * `../shared/design/packages.md` (beside this repository, "mapnn package layering"; linked from
 * docs/architecture.md): keep the two in step. A new workspace package is placed here (and in that table)
 * before the layering test passes.
 *
 *   5 apps and tools   apps/cli, apps/docs, tooling/*   anything below
 *   4 capabilities     compression, rl, meta, viz, robustness   floors 1–3, not each other
 *   3 workflows        train, onnx                      floors 1–2, not each other
 *   2 building blocks  backends, layers, optimizers, data, metrics   core only
 *   1 ground           core                             nothing of ours
 *
 * No package imports one of its own floor: the table's "may import" column always names floors
 * strictly below.
 */
export const FLOORS: Readonly<Record<string, number>> = {
  'packages/core': 1,
  'packages/backend-cpu': 2,
  'packages/backend-wasm': 2,
  'packages/backend-webgpu': 2,
  'packages/layers': 2,
  'packages/optimizers': 2,
  'packages/data': 2,
  'packages/metrics': 2,
  'packages/train': 3,
  'packages/onnx': 3,
  'packages/compression': 4,
  'packages/rl': 4,
  'packages/meta': 4,
  'packages/viz': 4,
  'packages/robustness': 4,
  'apps/cli': 5,
  'apps/docs': 5,
  'tooling/*': 5,
};

/** The floors' names, as packages.md heads them. */
export const FLOOR_NAMES: Readonly<Record<number, string>> = {
  5: 'apps and tools',
  4: 'capabilities',
  3: 'workflows',
  2: 'building blocks',
  1: 'ground',
};

/**
 * Dev tooling that tests, vitest configs and scripts of any floor may import (packages.md:
 * "Tests and dev tooling … may import tooling/config and tooling/backend-tests from any floor;
 * published code may not"). Tests also need a backend to run tensors at all, so a test may use
 * the backends as its runtime; published code may not.
 */
export const DEV_TOOLING = ['tooling/config', 'tooling/backend-tests'] as const;
export const TEST_RUNTIMES = ['packages/backend-cpu', 'packages/backend-wasm', 'packages/backend-webgpu'] as const;

/** The floor of a workspace package directory, or undefined when the table does not place it. */
export function floorOf(dir: string): number | undefined {
  if (dir in FLOORS) return FLOORS[dir];
  const group = `${dir.split('/')[0]}/*`;
  return FLOORS[group];
}
