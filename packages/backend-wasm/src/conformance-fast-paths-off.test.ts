// The whole conformance suite again with every fast path switched off: each op is checked on
// the wasm backend's primitive kernels through core's compositions.
import '../src/index.js'; // registers the wasm backend
import { runConformance } from '@mapnn/backend-tests';

runConformance({ backend: 'wasm', fastPaths: false });
