import { defineConfig } from 'tsup';
import { libraryConfig } from '@mapnn/config/tsup';

// Two entries: the browser-safe main entry and the Node-only `@mapnn/onnx/node`.
// Splitting puts the shared code in one chunk, so both entries share one OnnxImportError class.
export default defineConfig(libraryConfig({ entry: ['src/index.ts', 'src/node.ts'], splitting: true }));
