import { defineConfig } from 'tsup';
import { libraryConfig } from '@mapnn/config/tsup';

// Two entries: the browser-safe main one and `@mapnn/train/node` (file-system checkpoints).
export default defineConfig(libraryConfig({ entry: ['src/index.ts', 'src/node.ts'] }));
