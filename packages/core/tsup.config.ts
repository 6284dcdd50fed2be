import { defineConfig } from 'tsup';
import { libraryConfig } from '@mapnn/config/tsup';

// Three entries sharing chunks (one Tensor class, one registry): `@mapnn/core` installs the Tensor
// methods, `@mapnn/core/functions` is the side-effect-free functions-only API and
// `@mapnn/core/backend` what a backend author imports.
export default defineConfig(libraryConfig({ entry: ['src/index.ts', 'src/functions.ts', 'src/backend-entry.ts'], splitting: true }));
