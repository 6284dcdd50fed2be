// The whole conformance suite again with every kernel split across 3 threads (no size
// threshold), so each op's parallel path is checked against the same golden values.
import { setWasmParallelThreshold, setWasmThreads } from '../src/index.js';
import { runConformance } from '@mapnn/backend-tests';

setWasmParallelThreshold(0);
await setWasmThreads(3);
runConformance({ backend: 'wasm' });
