import { defineConfig } from 'tsup';
import { libraryConfig } from '@mapnn/config/tsup';

// Two entries: the browser-safe main entry and the Node-only `@mapnn/data/node` (file system,
// zlib, crypto, downloads), built for the node platform so its built-ins stay external.
export default defineConfig([
  libraryConfig({ entry: { index: 'src/index.ts' } }),
  libraryConfig({ entry: { node: 'src/node.ts' }, platform: 'node', clean: false }),
]);
