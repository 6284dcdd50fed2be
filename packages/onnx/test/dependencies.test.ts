// The installed dependency tree of @mapnn/onnx: no package in it may run an install script
// (protobufjs 6, through onnx-proto, had a postinstall step).
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

interface Manifest {
  name: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];

/** The folder of `name` as Node resolves it from `fromDir` (node_modules of it and its parents). */
function packageDir(name: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) throw new Error(`dependency '${name}' is not installed (looked up from ${fromDir})`);
  }
}

/** Every package reachable through dependencies/optionalDependencies from `rootDir`, by folder. */
function dependencyTree(rootDir: string): Map<string, Manifest> {
  const seen = new Map<string, Manifest>();
  const visit = (dir: string) => {
    if (seen.has(dir)) return;
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    seen.set(dir, manifest);
    for (const name of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      try {
        visit(packageDir(name, dir));
      } catch (e) {
        if (!manifest.optionalDependencies?.[name]) throw e; // an optional one for another platform
      }
    }
  };
  visit(realpathSync(fileURLToPath(new URL('..', import.meta.url))));
  return seen;
}

describe('the dependency tree of @mapnn/onnx', () => {
  it('runs no install scripts', () => {
    const tree = dependencyTree(fileURLToPath(new URL('..', import.meta.url)));
    expect(tree.size).toBeGreaterThan(1);
    const withScripts = [...tree.values()]
      .filter((m) => INSTALL_SCRIPTS.some((s) => m.scripts?.[s]))
      .map((m) => `${m.name}: ${INSTALL_SCRIPTS.filter((s) => m.scripts?.[s]).join(', ')}`);
    expect(withScripts).toEqual([]);
  });
});
