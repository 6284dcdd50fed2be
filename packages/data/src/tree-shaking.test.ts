import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { breastCancerCsvGzBase64 } from './embedded/breast-cancer.js';
import { digitsCsvGzBase64 } from './embedded/digits.js';
import { irisCsvGzBase64 } from './embedded/iris.js';
import { wineCsvGzBase64 } from './embedded/wine.js';

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The minified ESM bundle an app gets from `code`, bundled from this package's sources.
 * `ignoreAnnotations` disables `sideEffects: false` (which would drop whole unused source files):
 * the published dist/index.js is one flat file, so only statement-level tree-shaking can remove
 * the datasets there, and this bundle sees the same.
 */
async function appBundle(code: string): Promise<string> {
  const result = await build({
    stdin: { contents: code, resolveDir: PACKAGE_ROOT, sourcefile: 'app.ts', loader: 'ts' },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    external: ['@mapnn/core', 'fflate'],
    ignoreAnnotations: true,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** 100 characters of each embedded dataset's base64 from within one of its 120-character source lines. */
const MARKERS = {
  digits: digitsCsvGzBase64().slice(4800, 4900),
  breastCancer: breastCancerCsvGzBase64().slice(4800, 4900),
  wine: wineCsvGzBase64().slice(960, 1060),
  iris: irisCsvGzBase64().slice(480, 580),
};

/** Which embedded datasets are in a bundle. */
const datasetsIn = (bundle: string) => Object.entries(MARKERS).filter(([, m]) => bundle.includes(m)).map(([name]) => name);

describe('tree-shaking of the embedded datasets', () => {
  it('an app importing only DataLoader bundles none of the ~140 KB of embedded tables', async () => {
    const bundle = await appBundle("import { DataLoader } from './src/index.ts'; console.log(DataLoader);");
    expect(datasetsIn(bundle)).toEqual([]);
    expect(bundle, 'no gzip base64 (H4sI…) in the bundle').not.toContain('H4sI');
    expect(bundle.length, `DataLoader bundle is ${bundle.length} bytes`).toBeLessThan(30_000);
  });

  it('an app calling loadDigits bundles the digits table and no other', async () => {
    const bundle = await appBundle("import { loadDigits } from './src/index.ts'; console.log(loadDigits().x.shape);");
    expect(datasetsIn(bundle)).toEqual(['digits']);
    expect(bundle.length).toBeGreaterThan(digitsCsvGzBase64().length);
  });

  it('each loader brings exactly its own table', async () => {
    const cases = [
      ['loadIris', 'iris'],
      ['loadWine', 'wine'],
      ['loadBreastCancer', 'breastCancer'],
    ] as const;
    for (const [loader, dataset] of cases) {
      const bundle = await appBundle(`import { ${loader} } from './src/index.ts'; console.log(${loader}());`);
      expect(datasetsIn(bundle), loader).toEqual([dataset]);
    }
  });
});
