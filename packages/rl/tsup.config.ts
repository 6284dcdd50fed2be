import { defineConfig } from 'tsup';
import { libraryConfig } from '@mapnn/config/tsup';

export default defineConfig(libraryConfig());
