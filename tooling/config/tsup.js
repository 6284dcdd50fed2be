// Shared tsup preset: ESM + CJS + .d.ts for every @mapnn library package.
/** @param {Partial<import('tsup').Options>} overrides */
export function libraryConfig(overrides = {}) {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    splitting: false,
    treeshake: true,
    ...overrides,
  };
}
