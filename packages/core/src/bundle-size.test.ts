import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('.', import.meta.url));

interface Bundle {
  gzip: number;
  /** Source files of core in the bundle, relative to the package (`src/ops/add.ts`). */
  files: string[];
}

/**
 * A minified browser ESM bundle of `entry` (source text resolved against src/, honouring
 * core's `sideEffects` in package.json), as esbuild makes it for an app.
 */
async function bundle(entry: string): Promise<Bundle> {
  const result = await build({
    stdin: { contents: entry, resolveDir: SRC, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const [output] = Object.values(result.metafile.outputs);
  return { gzip: gzipSync(result.outputFiles[0]!.contents).length, files: Object.keys(output!.inputs) };
}

describe('bundle size of core (esbuild, minified, ESM, browser, gzip)', () => {
  it('a bundle naming only `tensor` from @mapnn/core/functions is at most 30 % of all of core', async () => {
    const tensorOnly = await bundle(`import { tensor } from './functions.ts'; console.log(tensor([1]));`);
    const everything = await bundle(`export * from './index.ts';`);
    const ratio = tensorOnly.gzip / everything.gzip;
    console.log(`core bundle: tensor only ${tensorOnly.gzip} B, everything ${everything.gzip} B gzip (${(ratio * 100).toFixed(1)} %)`);
    expect(everything.files).toContain('src/ops/conv2d.ts');
    expect(tensorOnly.files).not.toContain('src/ops/conv2d.ts');
    expect(tensorOnly.files).not.toContain('src/autograd/backward.ts');
    expect(ratio).toBeLessThanOrEqual(0.3);
  }, 30_000);

  it('`tensor` and `add` keep add and drop the unused ops', async () => {
    const { files } = await bundle(`import { tensor, add } from './functions.ts'; console.log(add(tensor([1]), 2));`);
    expect(files).toContain('src/ops/add.ts');
    expect(files).not.toContain('src/ops/matmul.ts');
  }, 30_000);

  it('the package entry keeps its side effect: the Tensor methods are installed', async () => {
    const { files } = await bundle(`import { tensor } from './index.ts'; console.log(tensor([1]).relu);`);
    expect(files).toContain('src/tensor-methods.ts');
    expect(files).toContain('src/ops/relu.ts');
  }, 30_000);
});
