// The whole conformance suite again with every fast path switched off: each op is checked on
// the cpu backend's primitive kernels through core's compositions.
import '../src/index.js'; // registers the cpu backend
import { runConformance } from '@mapnn/backend-tests';

runConformance({ backend: 'cpu', fastPaths: false });
