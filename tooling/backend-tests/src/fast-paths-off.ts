import { describe } from 'vitest';
import type { RunnerTask } from 'vitest';
import { OPTIONAL_KERNELS, setFastPathsDisabled } from '@mapnn/core';

/**
 * The conformance suite's fast-paths-off mode (`runConformance({ fastPaths: false })`): every
 * case runs with all optional kernels switched off, so each op is computed from the backend's
 * primitive kernels through core's compositions (and core refuses to run a switched-off kernel).
 */

/** Why the fast-path suites are skipped with fast paths off (shown in their suite name). */
export const FAST_PATH_ONLY_REASON = 'they compare a fast path with its composition, and with fast paths off both sides are the composition';

/** The optional kernels switched off now (reads the setting without changing it). */
export function fastPathsSwitchedOff(): string[] {
  const now = setFastPathsDisabled([]);
  setFastPathsDisabled(now);
  return now;
}

/**
 * Runs one case (`runTest`, awaited) with every fast path switched off, and switches back to
 * the previous setting afterwards, also when the case fails. A case that switches fast paths
 * back on fails: it would not have run on primitives only.
 */
export async function runWithFastPathsOff(runTest: () => Promise<void>, name: string): Promise<void> {
  const previous = setFastPathsDisabled();
  try {
    await runTest();
    const on = OPTIONAL_KERNELS.filter((k) => !fastPathsSwitchedOff().includes(k));
    if (on.length > 0) throw new Error(`case '${name}' switched fast paths back on (${on.join(', ')}): it did not run on primitives only`);
  } finally {
    setFastPathsDisabled(previous);
  }
}

/**
 * Declares suites that only make sense with fast paths on; with them off they are declared
 * skipped, under a name that gives `reason`.
 */
export function fastPathOnly(fastPaths: boolean, reason: string, declare: () => void): void {
  if (fastPaths) declare();
  else describe.skip(`skipped with fast paths off: ${reason}`, declare);
}

export interface CaseCounts {
  passed: number;
  failed: number;
  skipped: number;
}

/** Counts the test cases under `task` by outcome (cases not run count as skipped). */
export function countCases(task: Readonly<RunnerTask>, counts: CaseCounts = { passed: 0, failed: 0, skipped: 0 }): CaseCounts {
  if (task.type === 'suite') {
    for (const t of task.tasks) countCases(t, counts);
    return counts;
  }
  const state = task.result?.state;
  if (state === 'pass') counts.passed++;
  else if (state === 'fail') counts.failed++;
  else counts.skipped++;
  return counts;
}

/** One line for the run's output: how many cases ran, passed, failed and were skipped. */
export function countsLine(title: string, c: CaseCounts): string {
  return `${title}: ${c.passed + c.failed} cases ran (${c.passed} passed, ${c.failed} failed), ${c.skipped} skipped`;
}
