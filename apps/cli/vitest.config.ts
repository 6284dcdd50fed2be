import { existsSync } from 'node:fs';
import { defineProject } from 'vitest/config';
import { sharedTest } from '@mapnn/config/vitest';

// `--backend webgpu` is tested on Dawn; without a GPU, SwiftShader's Vulkan driver from Debian's
// chromium-common gives it a software adapter (as in @mapnn/backend-webgpu). An existing
// VK_ICD_FILENAMES wins.
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
const env: Record<string, string> = { ...sharedTest.env };
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) env.VK_ICD_FILENAMES = SWIFTSHADER;

export default defineProject({
  test: { ...sharedTest, name: 'cli', env },
});
