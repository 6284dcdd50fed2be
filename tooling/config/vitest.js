// Shared vitest options: tests live beside the code as src/**/*.test.ts.
// Every run also writes test-results/vitest.json, which .ci/run sums into its final line.
export const sharedTest = {
  environment: 'node',
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  testTimeout: 60_000,
  reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
};
