import { circlesOf, loopThrough, type Graph } from './cycles.js';
import type { SourceFile, WorkspacePackage } from './model.js';

/** `./tensor.js` from `src/ops/add.ts` → `src/tensor.ts` (or `…/index.ts`), when that file is in `files`. */
export function resolveRelative(from: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const parts = from.split('/').slice(0, -1);
  for (const seg of specifier.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  const base = parts.join('/').replace(/\.(js|ts|mjs)$/, '');
  return [`${base}.ts`, `${base}/index.ts`].find((c) => files.has(c));
}

/** The evaluation-order graph of a package's published files (type-only and dynamic imports left out). */
export function fileGraph(files: readonly SourceFile[]): Graph {
  const published = files.filter((f) => f.kind === 'published');
  const paths = new Set(published.map((f) => f.path));
  const graph = new Map<string, string[]>();
  for (const f of published) {
    const edges = f.imports
      .filter((r) => !r.typeOnly && !r.dynamic)
      .map((r) => resolveRelative(f.path, r.specifier, paths))
      .filter((p): p is string => p !== undefined);
    graph.set(f.path, [...new Set(edges)]);
  }
  return graph;
}

export interface FileCircles {
  /** Each circle's files, sorted; the circles sorted by their first file. */
  circles: string[][];
  /** Files that lie on some circle. */
  files: number;
  /** One loop per circle, for messages. */
  loops: string[];
}

/** The import circles between the published files of one package. */
export function fileCircles(files: readonly SourceFile[]): FileCircles {
  const graph = fileGraph(files);
  const circles = circlesOf(graph);
  return {
    circles,
    files: circles.reduce((n, c) => n + c.length, 0),
    loops: circles.map((c) => `${c.length} files, e.g. ${loopThrough(graph, c).join(' → ')}`),
  };
}

/** A file circle the layering test lets stand, with the reason it is not untied. */
export interface KnownCircle {
  /** Package directory: `packages/core`. */
  dir: string;
  /** The circle's files inside the package, sorted. A found circle must lie within them. */
  files: readonly string[];
  why: string;
}

/**
 * Circles that are not known (or grew past their known files), circles through a file that must
 * lie on none, and known circles that are gone (so the list cannot keep room for one to come back).
 */
export function fileCircleViolations(
  pkgs: readonly WorkspacePackage[],
  known: readonly KnownCircle[],
  onNoCircle: readonly string[],
): string[] {
  const out: string[] = [];
  const matched = new Set<KnownCircle>();
  for (const p of pkgs) {
    const graph = fileGraph(p.files);
    for (const circle of circlesOf(graph)) {
      const loop = loopThrough(graph, circle).join(' → ');
      const pinned = circle.map((f) => `${p.dir}/${f}`).filter((f) => onNoCircle.includes(f));
      for (const f of pinned) out.push(`${f} must lie on no import circle, but lies on one of ${circle.length} files: ${loop}`);
      const allowed = known.find((k) => k.dir === p.dir && circle.every((f) => k.files.includes(f)));
      if (allowed) matched.add(allowed);
      else if (!pinned.length) out.push(`${p.dir} has a new import circle of ${circle.length} files: ${loop}; untie it (move what both sides need into a third file)`);
    }
  }
  for (const k of known) {
    if (!matched.has(k)) out.push(`the known circle ${k.dir}: ${k.files.join(', ')} is gone; delete it from tooling/layering/src/known-circles.ts`);
  }
  return out;
}
