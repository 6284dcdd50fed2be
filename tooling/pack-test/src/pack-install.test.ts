/**
 * The packages as users get them: `pnpm pack` every published package, install all tarballs
 * into a scratch project outside the workspace with one `npm install`, then run an ESM and a
 * CJS consumer, type-check a strict TypeScript consumer with and without the DOM lib, run the
 * CLI through npx, and bundle the installed @mapnn/data. Needs the built dist/ folders
 * (`pnpm build`) and the npm registry (for the third-party dependencies).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, run } from './run.js';
import { createScratchProject, installTarballs } from './scratch.js';
import { tarballProblems } from './tarball.js';
import { PUBLISHED, libraryPackages, packPackage } from './workspace.js';

const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

let scratch = '';
let packs = '';
const tarballs = new Map<string, string>();

beforeAll(() => {
  packs = mkdtempSync(join(tmpdir(), 'mapnn-packs-'));
  for (const pkg of libraryPackages().filter((p) => !p.manifest.private)) tarballs.set(pkg.manifest.name, packPackage(pkg, packs));
  scratch = createScratchProject();
  installTarballs(scratch, [...tarballs.values()]);
});

afterAll(() => {
  if (process.env.MAPNN_KEEP_PACK_TEST) {
    console.log(`pack test: scratch project kept in ${scratch}, tarballs in ${packs}`);
    return;
  }
  for (const dir of [scratch, packs]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs a command in the scratch project and expects exit 0, showing its output otherwise. */
function expectSuccess(command: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}) {
  const r = run(command, args, scratch, options);
  expect(r.status, r.report).toBe(0);
  return r;
}

describe('packed tarballs installed outside the workspace', () => {
  it('every published package is packed (none private), with LICENSE, README and what package.json points at', () => {
    expect([...tarballs.keys()].sort()).toEqual([...PUBLISHED]);
    const problems = [...tarballs.values()].flatMap(tarballProblems);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('an ESM script imports every entry and uses each package', () => {
    const r = expectSuccess('node', ['app.mjs']);
    expect(r.stdout).toContain('ESM consumer passed');
    expect(r.stdout.match(/^ok - /gm)).toHaveLength(6);
  });

  it('a CJS script requires every entry and uses each package', () => {
    const r = expectSuccess('node', ['app.cjs']);
    expect(r.stdout).toContain('CJS consumer passed');
    expect(r.stdout.match(/^ok - /gm)).toHaveLength(6);
  });

  it('strict TypeScript, lib ES2022 + DOM, no Node types, no skipLibCheck: the main entries type-check', () => {
    expectSuccess('node', [TSC, '-p', 'tsconfig.dom.json']);
  });

  it('strict TypeScript, lib ES2022 + Node types (no DOM), no skipLibCheck: main and node entries type-check', () => {
    expectSuccess('node', [TSC, '-p', 'tsconfig.node.json']);
  });

  it('`npx mapnn --help` runs the installed CLI (npx --no: never from the registry)', () => {
    const r = expectSuccess('npx', ['--no', '--', 'mapnn', '--help']);
    expect(r.stdout).toMatch(/Usage: mapnn/);
    expect(r.stdout).toMatch(/\btrain\b/);
  });

  it('`npx @mapnn/cli train --epochs 1` trains on the embedded digits and writes the model', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mapnn-pack-cli-')), 'run');
    try {
      const r = expectSuccess('npx', ['--no', '--', '@mapnn/cli', 'train', '--epochs', '1', '--out', out, '--json'], { env: cleanEnv({ CI: 'true' }) });
      const result = JSON.parse(r.stdout) as { backend: string; metrics: { accuracy: number } };
      expect(result.backend, 'auto picks the optional wasm backend').toBe('wasm');
      expect(result.metrics.accuracy).toBeGreaterThan(0.5);
      for (const f of ['model.onnx', 'model.safetensors', 'config.json', 'history.json']) expect(existsSync(join(out, f)), f).toBe(true);
    } finally {
      rmSync(join(out, '..'), { recursive: true, force: true });
    }
  });

  it('a bundle of the installed @mapnn/data importing only DataLoader has none of the embedded tables', async () => {
    const bundle = async (code: string) => {
      const r = await build({
        stdin: { contents: code, resolveDir: scratch },
        bundle: true,
        minify: true,
        write: false,
        format: 'esm',
        platform: 'neutral',
        external: ['@mapnn/core', 'fflate'],
        logLevel: 'silent',
      });
      return r.outputFiles[0]!.text;
    };
    const loaderOnly = await bundle("import { DataLoader } from '@mapnn/data'; console.log(DataLoader);");
    const withDigits = await bundle("import { loadDigits } from '@mapnn/data'; console.log(loadDigits());");
    expect(readFileSync(join(scratch, 'node_modules/@mapnn/data/dist/index.js'), 'utf8')).toContain('H4sI');
    expect(loaderOnly, 'gzip base64 (H4sI…) in the DataLoader bundle').not.toContain('H4sI');
    expect(loaderOnly.length, `DataLoader bundle is ${loaderOnly.length} bytes`).toBeLessThan(30_000);
    expect(withDigits.length, 'the digits table is in a loadDigits bundle').toBeGreaterThan(70_000);
  });
});
