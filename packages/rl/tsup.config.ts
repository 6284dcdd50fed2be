import { defineConfig } from 'tsup';
import { libraryConfig } from '@mapnn/config/tsup';

// Two entries: the browser-safe main one and `@mapnn/rl/node` (saveAgent / loadAgent on the file system).
export default defineConfig(libraryConfig({ entry: ['src/index.ts', 'src/node.ts'] }));
