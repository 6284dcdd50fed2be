/**
 * The *built* package (dist/, as installed from npm) in the two setups outside testing found
 * broken: a script on stdin under `node --input-type=module` (the workers inherited
 * `--input-type` and all failed), and an app bundled with esbuild, which does not carry
 * `worker.js` along (one clear warning must name the missing file and the fix). Needs
 * `pnpm --filter @mapnn/backend-wasm... build` first; without dist/ the tests fail.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const DIST = { core: here('../../core/dist/index.js'), coreBackend: here('../../core/dist/backend-entry.js'), wasm: here('../dist/index.js'), worker: here('../dist/worker.js') };
const tmp = mkdtempSync(join(tmpdir(), 'mapnn-wasm-dist-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function requireDist(): void {
  for (const f of Object.values(DIST)) {
    if (!existsSync(f)) throw new Error(`${f} is missing: build first (pnpm --filter @mapnn/backend-wasm... build)`);
  }
}

/** An app: 2 threads, a matmul, then one JSON line with the threads used and a value. */
const app = (core: string, wasm: string) => `import { getBackend, matmul, ones, setBackendAsync } from ${JSON.stringify(core)};
import { setWasmThreads } from ${JSON.stringify(wasm)};
(async () => {
  await setWasmThreads(2);
  await setBackendAsync('wasm');
  const v = matmul(ones([64, 32]), ones([32, 16])).dataSync()[0];
  console.log(JSON.stringify({ threads: getBackend().memory().threads, v }));
})();
`;

function runNode(args: string[], input?: string) {
  const r = spawnSync(process.execPath, args, { input, encoding: 'utf8', timeout: 60_000 });
  const lines = r.stdout.trim().split('\n');
  return { status: r.status, stderr: r.stderr, out: JSON.parse(lines[lines.length - 1] || 'null') as { threads: number; v: number } | null };
}

/** The part of esbuild's API used here. */
interface EsbuildApi {
  build(o: { entryPoints: string[]; outfile: string; bundle: boolean; platform: 'node'; format: 'esm' | 'cjs'; logLevel: 'silent'; alias: Record<string, string> }): Promise<unknown>;
}

/** Bundles the app with esbuild (tsup's copy) into `dir`, without copying worker.js. */
async function bundle(dir: string, format: 'esm' | 'cjs'): Promise<string> {
  // esbuild is not a dependency of this package: take the copy tsup (a root dev dependency) uses
  const esbuild = createRequire(createRequire(here('../../../package.json')).resolve('tsup'))('esbuild') as EsbuildApi;
  const entry = join(dir, 'main.mjs');
  writeFileSync(entry, app('@mapnn/core', '@mapnn/backend-wasm'));
  const outfile = join(dir, format === 'esm' ? 'app.mjs' : 'app.cjs');
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format,
    logLevel: 'silent',
    alias: { '@mapnn/core/backend': DIST.coreBackend, '@mapnn/core': DIST.core, '@mapnn/backend-wasm': DIST.wasm }, // the subpath first: an alias applies to its subpaths too
  });
  return outfile;
}

describe('the built package in Node', () => {
  it('starts 2 threads for a script on stdin under node --input-type=module', () => {
    requireDist();
    const r = runNode(['--input-type=module'], app(pathToFileURL(DIST.core).href, pathToFileURL(DIST.wasm).href));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.out).toEqual({ threads: 2, v: 32 });
  });

  for (const format of ['esm', 'cjs'] as const) {
    it(`an esbuild ${format} bundle without worker.js warns once, naming the file and the fix; with it, runs 2 threads`, async () => {
      requireDist();
      const dir = mkdtempSync(join(tmp, `${format}-`));
      const outfile = await bundle(dir, format);
      const missing = runNode([outfile]);
      expect(missing.status).toBe(0);
      expect(missing.out).toEqual({ threads: 1, v: 32 });
      const warnings = missing.stderr.trim().split('\n');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`running with 1 of 2 threads`);
      expect(warnings[0]).toContain(`worker script not found: ${join(dir, 'worker.js')}`);
      expect(warnings[0]).toContain('copy @mapnn/backend-wasm/dist/worker.js next to your bundle');
      expect(warnings[0]).toContain('setWasmWorkerUrl(url)');
      copyFileSync(DIST.worker, join(dir, 'worker.js'));
      const fixed = runNode([outfile]);
      expect(fixed.stderr).toBe('');
      expect(fixed.out).toEqual({ threads: 2, v: 32 });
    });
  }
});
