import { posix } from 'node:path';
import { circlesOf, loopThrough } from './cycles.js';
import { DEV_TOOLING, TEST_RUNTIMES, floorOf } from './floors.js';
import { mapnnPackageOf, type ImportRef } from './imports.js';
import type { CodeKind, SourceFile, WorkspacePackage } from './model.js';

const PLACE_IT = 'place it in the floors table of ../shared/design/packages.md and in tooling/layering/src/floors.ts';

/** Whether code of `kind` in package `from` may import package `to` (directories). */
export function mayImport(from: string, to: string, kind: CodeKind): boolean {
  if (from === to) return true;
  const [a, b] = [floorOf(from), floorOf(to)];
  if (a === undefined || b === undefined) return false;
  const devOnly = (DEV_TOOLING as readonly string[]).includes(to);
  if (kind === 'published') return !devOnly && b < a;
  return b < a || devOnly || (TEST_RUNTIMES as readonly string[]).includes(to);
}

function why(from: string, to: string, kind: CodeKind): string {
  const [a, b] = [floorOf(from), floorOf(to)];
  if ((DEV_TOOLING as readonly string[]).includes(to)) return `${to} is dev tooling, which published code may not import`;
  if (a === b) return `both are on floor ${a}, and a package may not import one of its own floor`;
  return `${to} is on floor ${b}, above ${from} (floor ${a})${kind === 'dev' ? ', even for tests' : ''}`;
}

/** Every package directory the floors table does not place. */
export function unplacedPackages(pkgs: readonly WorkspacePackage[]): string[] {
  return pkgs
    .filter((p) => floorOf(p.dir) === undefined)
    .map((p) => `${p.dir} (${p.name}) has no floor: ${PLACE_IT}`);
}

/**
 * The package a relative import of `file` lands in when it leaves `pkg` (`../../backend-cpu/src/index.js`
 * from `packages/core/test/setup.ts` → `packages/backend-cpu`); '' when it lands in no package;
 * undefined when it stays inside `pkg`.
 */
export function relativeReach(pkg: WorkspacePackage, file: SourceFile, specifier: string, pkgs: readonly WorkspacePackage[]): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = posix.normalize(posix.join(pkg.dir, posix.dirname(file.path), specifier));
  const inside = (dir: string) => target.startsWith(`${dir}/`);
  if (inside(pkg.dir)) return undefined;
  return pkgs.find((p) => inside(p.dir))?.dir ?? '';
}

/**
 * The rules `file` keeps: a private package (tooling) is never published, so all of its code is
 * dev code, which may use the dev tooling.
 */
const ruleKind = (pkg: WorkspacePackage, kind: CodeKind): CodeKind => (pkg.private ? 'dev' : kind);

/** What `file` of `pkg` may import from our packages: its dependencies, and its devDependencies too unless it ships. */
function declaredFor(pkg: WorkspacePackage, file: SourceFile): { names: string[]; field: string } {
  if (ruleKind(pkg, file.kind) === 'published') return { names: pkg.dependencies, field: 'dependencies' };
  return { names: [...pkg.dependencies, ...pkg.devDependencies], field: 'dependencies or devDependencies' };
}

function packageImportViolation(pkg: WorkspacePackage, file: SourceFile, ref: ImportRef, dirOf: ReadonlyMap<string, string>): string | undefined {
  const target = mapnnPackageOf(ref.specifier);
  if (!target || target === pkg.name) return undefined;
  const where = `${pkg.dir}/${file.path} imports ${ref.specifier}`;
  const to = dirOf.get(target);
  if (!to) return `${where}: ${target} is no workspace package; ${PLACE_IT}`;
  const kind = ruleKind(pkg, file.kind);
  if (!mayImport(pkg.dir, to, kind)) return `${where}: ${why(pkg.dir, to, kind)}`;
  const declared = declaredFor(pkg, file);
  if (!declared.names.includes(target)) return `${where}, which ${pkg.dir}/package.json does not list in ${declared.field}`;
  return undefined;
}

function relativeImportViolation(pkg: WorkspacePackage, file: SourceFile, ref: ImportRef, pkgs: readonly WorkspacePackage[]): string | undefined {
  const to = relativeReach(pkg, file, ref.specifier, pkgs);
  if (to === undefined) return undefined;
  const where = `${pkg.dir}/${file.path} imports ${ref.specifier}`;
  if (file.kind === 'published') return `${where}: published code may not reach out of its package by a relative path (its build would copy ${to || 'that file'} in); import the package by name`;
  if (to === '') return `${where}: it lands in no workspace package`;
  if (!mayImport(pkg.dir, to, 'dev')) return `${where}: ${why(pkg.dir, to, 'dev')}`;
  return undefined;
}

/**
 * Imports in source files that go upward or sideways, that reach dev tooling from published code,
 * that name a package the package.json does not declare, or that reach into another package by a
 * relative path (dev code may, within the floors: core's tests run on the cpu backend's sources).
 */
export function importViolations(pkgs: readonly WorkspacePackage[]): string[] {
  const dirOf = new Map(pkgs.map((p) => [p.name, p.dir]));
  const out: string[] = [];
  for (const p of pkgs) {
    for (const f of p.files) {
      for (const ref of f.imports) {
        const v = packageImportViolation(p, f, ref, dirOf) ?? relativeImportViolation(p, f, ref, pkgs);
        if (v) out.push(v);
      }
    }
  }
  return out;
}

/** package.json dependencies that disagree with the floors. */
export function dependencyViolations(pkgs: readonly WorkspacePackage[]): string[] {
  const dirOf = new Map(pkgs.map((p) => [p.name, p.dir]));
  const out: string[] = [];
  for (const p of pkgs) {
    const lists: [string[], CodeKind, string][] = [
      [p.dependencies, ruleKind(p, 'published'), 'dependencies'],
      [p.devDependencies, 'dev', 'devDependencies'],
    ];
    for (const [names, kind, field] of lists) {
      for (const name of names) {
        const to = dirOf.get(name);
        if (!to) out.push(`${p.dir}/package.json ${field} has ${name}, no workspace package; ${PLACE_IT}`);
        else if (!mayImport(p.dir, to, kind)) out.push(`${p.dir}/package.json ${field} has ${name}: ${why(p.dir, to, kind)}`);
      }
    }
  }
  return out;
}

/**
 * Circles between packages, over dependencies, devDependencies and imports by name together
 * (a test's relative reach into a backend's sources is no package edge: pnpm links nothing for it).
 */
export function packageCircles(pkgs: readonly WorkspacePackage[]): string[] {
  const graph = new Map<string, string[]>();
  for (const p of pkgs) {
    const imported = p.files.flatMap((f) => f.imports.map((r) => mapnnPackageOf(r.specifier) ?? ''));
    const edges = new Set([...p.dependencies, ...p.devDependencies, ...imported].filter((n) => n && n !== p.name));
    graph.set(p.name, [...edges]);
  }
  return circlesOf(graph).map((c) => `packages import each other: ${loopThrough(graph, c).join(' → ')}`);
}
