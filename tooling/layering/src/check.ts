import { fileCircleViolations, fileGraph, type KnownCircle } from './file-circles.js';
import { circlesOf, loopThrough } from './cycles.js';
import { KNOWN_FILE_CIRCLES, NO_CIRCLE_THROUGH } from './known-circles.js';
import type { WorkspacePackage } from './model.js';
import { dependencyViolations, importViolations, packageCircles, unplacedPackages } from './rules.js';

export interface CircleRules {
  /** File circles that stand (default: known-circles.ts). */
  known: readonly KnownCircle[];
  /** Files on no circle, from the repository root (default: core's tensor.ts). */
  onNoCircle: readonly string[];
}

const REPO_CIRCLE_RULES: CircleRules = { known: KNOWN_FILE_CIRCLES, onNoCircle: NO_CIRCLE_THROUGH };

/** Everything that breaks the layering of ../shared/design/packages.md, one line each; empty when it holds. */
export function layeringViolations(pkgs: readonly WorkspacePackage[], circles: CircleRules = REPO_CIRCLE_RULES): string[] {
  return [
    ...unplacedPackages(pkgs),
    ...importViolations(pkgs),
    ...dependencyViolations(pkgs),
    ...packageCircles(pkgs),
    ...fileCircleViolations(pkgs, circles.known, circles.onNoCircle),
  ];
}

export interface LargestCircle {
  /** Files on the package's largest import circle (0 when it has none). */
  files: number;
  /** One loop through it: `src/a.ts → src/b.ts → src/a.ts`; '' when there is none. */
  loop: string;
}

/** The largest import circle between the published files of `pkg`. */
export function largestFileCircle(pkg: WorkspacePackage): LargestCircle {
  const graph = fileGraph(pkg.files);
  const largest = circlesOf(graph).reduce<string[]>((a, c) => (c.length > a.length ? c : a), []);
  return { files: largest.length, loop: largest.length ? loopThrough(graph, largest).join(' → ') : '' };
}
