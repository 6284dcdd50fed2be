import { runOrThrow } from './run.js';
import type { PackageManifest } from './workspace.js';

/** The files in a package tarball, relative to its `package/` folder. */
export function tarballFiles(tarball: string): string[] {
  return runOrThrow('tar', ['-tzf', tarball], '/').stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
}

/** The package.json inside a tarball (as published: `workspace:*` already rewritten). */
export function tarballManifest(tarball: string): PackageManifest {
  return JSON.parse(runOrThrow('tar', ['-xzOf', tarball, 'package/package.json'], '/').stdout) as PackageManifest;
}

/** Every file path a manifest points at: main, module, types, bin and the exports' targets. */
export function manifestTargets(m: PackageManifest): string[] {
  const out = [m.main, m.module, m.types, ...Object.values(m.bin ?? {})].filter((p): p is string => typeof p === 'string');
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(m.exports);
  return [...new Set(out.map((p) => p.replace(/^\.\//, '')))];
}

/** What is wrong with a packed package, as sentences (empty when nothing is). */
export function tarballProblems(tarball: string): string[] {
  const files = tarballFiles(tarball);
  const m = tarballManifest(tarball);
  const problems: string[] = [];
  const has = new Set(files);
  for (const required of ['LICENSE', 'README.md', 'package.json']) {
    if (!has.has(required)) problems.push(`${m.name}: no ${required} in the tarball`);
  }
  if (m.private) problems.push(`${m.name}: "private": true (npm publish refuses it)`);
  if (m.license !== 'MIT') problems.push(`${m.name}: license is ${JSON.stringify(m.license)}, expected "MIT"`);
  for (const target of manifestTargets(m)) {
    if (!has.has(target)) problems.push(`${m.name}: package.json points at ${target}, which is not in the tarball`);
  }
  for (const [name, target] of Object.entries(m.bin ?? {})) {
    const path = `package/${target.replace(/^\.\//, '')}`;
    const head = has.has(target.replace(/^\.\//, '')) ? runOrThrow('tar', ['-xzOf', tarball, path], '/').stdout.slice(0, 40) : '';
    if (!head.startsWith('#!/usr/bin/env node')) problems.push(`${m.name}: bin ${name} (${target}) does not start with #!/usr/bin/env node`);
  }
  const runtime = { ...m.dependencies, ...m.optionalDependencies };
  for (const [dep, range] of Object.entries(runtime)) {
    if (range.startsWith('workspace:') || range.startsWith('link:')) problems.push(`${m.name}: dependency ${dep} is ${range}`);
  }
  for (const f of files) {
    if (/^(src|test|scripts|fixtures)\//.test(f) || /\.test\.[cm]?[jt]s$/.test(f)) problems.push(`${m.name}: ships ${f}`);
  }
  return problems;
}
