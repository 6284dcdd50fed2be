import '../src/index.js'; // registers the wasm backend
import { runConformance } from '@mapnn/backend-tests';

runConformance({ backend: 'wasm' });
