// Shared vitest options: tests live beside the code as src/**/*.test.ts.
// Every run also writes test-results/vitest.json, which .ci/run sums into its final line.
export const sharedTest = {
  environment: 'node',
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  testTimeout: 60_000,
  // many test processes share few cores: the wasm backend's idle workers sleep at once instead
  // of spinning for a millisecond (its thread-pool test sets the spin wait explicitly)
  env: { MAPNN_WASM_SPIN_WAIT: '0' },
  reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
};
