import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOrThrow } from './run.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The packages users install: every one of them must be packed, none may be `private`. */
export const PUBLISHED = [
  '@mapnn/backend-cpu',
  '@mapnn/backend-wasm',
  '@mapnn/backend-webgpu',
  '@mapnn/cli',
  '@mapnn/compression',
  '@mapnn/core',
  '@mapnn/data',
  '@mapnn/layers',
  '@mapnn/metrics',
  '@mapnn/onnx',
  '@mapnn/optimizers',
  '@mapnn/rl',
  '@mapnn/train',
] as const;

export interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
  main?: string;
  module?: string;
  types?: string;
  bin?: Record<string, string>;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  [field: string]: unknown;
}

export interface WorkspacePackage {
  dir: string;
  manifest: PackageManifest;
}

/** The workspace packages under packages/ and apps/ (tooling and examples are never published). */
export function libraryPackages(): WorkspacePackage[] {
  const out: WorkspacePackage[] = [];
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(REPO_ROOT, group)).sort()) {
      const file = join(REPO_ROOT, group, name, 'package.json');
      if (!existsSync(file)) continue;
      out.push({ dir: join(REPO_ROOT, group, name), manifest: JSON.parse(readFileSync(file, 'utf8')) as PackageManifest });
    }
  }
  return out;
}

/** The tarball name `npm pack` / `pnpm pack` gives a package: `@mapnn/core@0.1.0` → `mapnn-core-0.1.0.tgz`. */
export function tarballName(m: PackageManifest): string {
  return `${m.name.replace(/^@/, '').replace('/', '-')}-${m.version}.tgz`;
}

/** Runs `pnpm pack` in `pkg` (which rewrites `workspace:*` to versions) and returns the tarball's path. */
export function packPackage(pkg: WorkspacePackage, destination: string): string {
  if (!existsSync(join(pkg.dir, 'dist'))) {
    throw new Error(`${pkg.manifest.name}: no dist/ in ${pkg.dir} — run \`pnpm build\` before the pack test`);
  }
  runOrThrow('pnpm', ['pack', '--pack-destination', destination], pkg.dir, { env: process.env, timeoutMs: 120_000 });
  const tarball = join(destination, tarballName(pkg.manifest));
  if (!existsSync(tarball)) throw new Error(`${pkg.manifest.name}: pnpm pack wrote no ${tarball}`);
  return tarball;
}
