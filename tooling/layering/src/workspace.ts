import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { importsOf } from './imports.js';
import type { CodeKind, SourceFile, WorkspacePackage } from './model.js';

/** The workspace globs of pnpm-workspace.yaml that hold our packages (examples are consumers). */
const GROUPS = ['packages', 'apps', 'tooling'];
const SOURCE = /\.(ts|mts|js|mjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'fixtures', 'test-results', 'build']);

/**
 * Tests, browser test pages (`*.page.ts`), test helpers, configs and scripts: they are not
 * published, so they may also import the dev tooling (and a backend to run on).
 */
export function kindOf(path: string): CodeKind {
  if (/\.(test|page)\.[mc]?[jt]s$/.test(path)) return 'dev';
  if (/(^|\/)(test|tests|scripts|testing)\//.test(path)) return 'dev';
  if (/(^|\/)test-utils?\.ts$/.test(path)) return 'dev';
  if (!path.includes('/') && /\.config\.[mc]?[jt]s$/.test(path)) return 'dev';
  return path.startsWith('src/') ? 'published' : 'dev';
}

function walk(dir: string, root: string, out: string[]): void {
  for (const entry of readdirSync(dir)) {
    if (SKIP_DIRS.has(entry) || entry.startsWith('.')) continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) walk(full, root, out);
    else if (SOURCE.test(entry) && !entry.endsWith('.d.ts')) out.push(relative(root, full));
  }
}

function ours(deps: Record<string, string> | undefined): string[] {
  return Object.keys(deps ?? {}).filter((n) => n.startsWith('@mapnn/'));
}

function readPackage(repo: string, dir: string): WorkspacePackage {
  const root = join(repo, dir);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const paths: string[] = [];
  for (const top of readdirSync(root)) {
    const full = join(root, top);
    if (SKIP_DIRS.has(top) || top.startsWith('.')) continue;
    if (statSync(full).isDirectory()) { if (['src', 'test', 'scripts'].includes(top)) walk(full, root, paths); }
    else if (SOURCE.test(top) && !top.endsWith('.d.ts')) paths.push(top);
  }
  const files: SourceFile[] = paths.sort().map((path) => ({
    path,
    kind: kindOf(path),
    imports: importsOf(readFileSync(join(root, path), 'utf8'), path),
  }));
  return {
    dir,
    name: pkg.name,
    private: pkg.private === true,
    dependencies: [...new Set([...ours(pkg.dependencies), ...ours(pkg.peerDependencies), ...ours(pkg.optionalDependencies)])],
    devDependencies: ours(pkg.devDependencies),
    files,
  };
}

/**
 * Every package of the workspace under packages/, apps/ and tooling/, with its source files'
 * imports; with `only`, the package directories it accepts.
 */
export function readWorkspace(repo: string, only: (dir: string) => boolean = () => true): WorkspacePackage[] {
  const pkgs: WorkspacePackage[] = [];
  for (const group of GROUPS) {
    const base = join(repo, group);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      if (existsSync(join(base, name, 'package.json')) && only(`${group}/${name}`)) pkgs.push(readPackage(repo, `${group}/${name}`));
    }
  }
  return pkgs;
}

/**
 * The package directories whose package.json git tracks (so a package someone has begun but not
 * added is left out, as a fresh checkout in CI leaves it out); undefined outside a git checkout.
 */
export function trackedPackageDirs(repo: string): Set<string> | undefined {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--', ...GROUPS.map((g) => `${g}/*/package.json`)], { cwd: repo, encoding: 'utf8' });
    return new Set(out.split('\0').filter(Boolean).map((p) => p.split('/').slice(0, 2).join('/')));
  } catch {
    return undefined;
  }
}
