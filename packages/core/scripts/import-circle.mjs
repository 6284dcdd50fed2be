// Counts the files of core's src that sit on an import circle through a given file (default
// tensor.ts): files reachable from it that also reach it back. Type-only imports count too.
// Usage: node scripts/import-circle.mjs [src-relative-file] [--values: skip `import type`] [--list]
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const VALUES_ONLY = process.argv.includes('--values');
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

function importsOf(file) {
  let text = readFileSync(file, 'utf8');
  if (VALUES_ONLY) text = text.replace(/(?:import|export) type [^;]*;/g, '');
  const specs = [...text.matchAll(/(?:import|export)[^'";]*?from\s*'(\.[^']+)'|import\s*'(\.[^']+)'|declare module '(\.[^']+)'/g)];
  return specs.map((m) => resolve(dirname(file), (m[1] ?? m[2] ?? m[3]).replace(/\.js$/, '.ts')));
}

export function circleThrough(target) {
  const files = sourceFiles(SRC);
  const graph = new Map(files.map((f) => [f, importsOf(f).filter((d) => graph0(files, d))]));
  const reach = (from, edges) => {
    const seen = new Set([from]);
    const stack = [from];
    while (stack.length) for (const d of edges.get(stack.pop()) ?? []) if (!seen.has(d)) seen.add(d), stack.push(d);
    return seen;
  };
  const reverse = new Map(files.map((f) => [f, []]));
  for (const [f, deps] of graph) for (const d of deps) reverse.get(d).push(f);
  const forward = reach(target, graph);
  const backward = reach(target, reverse);
  return [...forward].filter((f) => f !== target && backward.has(f)).map((f) => relative(SRC, f));
}

function graph0(files, d) {
  return files.includes(d);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'tensor.ts';
  const target = resolve(SRC, file);
  const circle = circleThrough(target);
  console.log(`${circle.length} files on an import circle through ${relative(SRC, target)}${VALUES_ONLY ? ' (value imports)' : ' (all imports, type-only included)'}`);
  if (process.argv.includes('--list')) console.log(circle.join('\n'));
}
