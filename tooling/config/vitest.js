// Shared vitest options: tests live beside the code as src/**/*.test.ts.
export const sharedTest = {
  environment: 'node',
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  testTimeout: 60_000,
};
