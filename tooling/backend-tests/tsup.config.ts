import { defineConfig } from 'tsup';
import { libraryConfig } from '@mapnn/config/tsup';

// browser-page: the page half of the backends' browser tests (core only, no vitest)
export default defineConfig(libraryConfig({ entry: ['src/index.ts', 'src/browser-page.ts'] }));
