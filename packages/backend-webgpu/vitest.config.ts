import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { sharedTest } from '@mapnn/config/vitest';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Dawn (the `webgpu` package) finds no GPU on CI machines; SwiftShader's Vulkan driver from
// Debian's chromium-common gives it a software adapter. An existing VK_ICD_FILENAMES wins.
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
const env: Record<string, string> = {};
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) env.VK_ICD_FILENAMES = SWIFTSHADER;

// Tests run against the workspace sources of core and the conformance suite, so that one
// registry is shared and no build is needed in the edit–test loop.
export default defineProject({
  resolve: {
    alias: {
      '@mapnn/core/backend': src('../core/src/backend-entry.ts'), // before '@mapnn/core': aliases match by prefix
      '@mapnn/core': src('../core/src/index.ts'),
      '@mapnn/backend-tests': src('../../tooling/backend-tests/src/index.ts'),
    },
  },
  test: {
    ...sharedTest,
    name: 'backend-webgpu',
    env,
    // SwiftShader runs shaders on the CPU: the conformance suite takes minutes, one file at a time
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
