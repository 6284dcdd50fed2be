import { defineConfig } from 'tsup';
import { libraryConfig } from '@mapnn/config/tsup';

// Two entries: the browser-safe main entry and the Node entry, which imports the `webgpu`
// package (Dawn) that users install themselves.
export default defineConfig(libraryConfig({ entry: ['src/index.ts', 'src/node.ts'], external: ['webgpu'] }));
