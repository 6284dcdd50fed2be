import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fromHere = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Where the shared test datasets live: `$MAPNN_SHARED_DATASETS` if set; else `shared/datasets`
 * beside the repository (`../shared/datasets` from the project root, per
 * shared/datasets/README.md) or, failing that, inside it.
 */
const CANDIDATES = [fromHere('../../../../shared/datasets/'), fromHere('../../../shared/datasets/')];

export const SHARED_DATASETS = (process.env.MAPNN_SHARED_DATASETS ?? CANDIDATES.find((p) => existsSync(p)) ?? CANDIDATES[0]!).replace(
  /\/?$/,
  '/',
);

/**
 * Makes a test that needs files under `shared/datasets` fail loudly when they are missing in CI
 * (`CI=true`), and otherwise skip with a message that says exactly what is missing — never pass
 * silently. Returns the absolute path of the first file.
 *
 * @example it('parses', (ctx) => { const dir = requireShared(ctx, 'fashion-mnist/'); … })
 */
export function requireShared(ctx: { skip: (note?: string) => void }, ...relPaths: string[]): string {
  const missing = relPaths.filter((p) => !existsSync(SHARED_DATASETS + p));
  if (missing.length > 0) {
    const msg = `test data missing: ${missing.map((p) => SHARED_DATASETS + p).join(', ')} (see shared/datasets/README.md)`;
    if (process.env.CI === 'true') throw new Error(`${msg}; in CI the shared datasets must be present`);
    console.warn(`SKIPPED — ${msg}`);
    ctx.skip(msg);
  }
  return SHARED_DATASETS + relPaths[0];
}
