import { defineConfig } from 'tsup';
import { libraryConfig } from '@mapnn/config/tsup';

// Two entries sharing chunks (one Tensor class): `@mapnn/core` installs the Tensor methods,
// `@mapnn/core/functions` is the side-effect-free functions-only API.
export default defineConfig(libraryConfig({ entry: ['src/index.ts', 'src/functions.ts'], splitting: true }));
