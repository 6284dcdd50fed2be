// The whole conformance suite again with every fast path switched off: each op is checked on
// the webgpu backend's primitive kernels through core's compositions (Dawn; SwiftShader on CI).
// As in conformance.test.ts: float64 runs in float32 on WebGPU, golden tolerance 1e-4.
import { runConformance } from '@mapnn/backend-tests';
import { activateWebGPU, requireAdapter } from '../test/adapter.js';

if (requireAdapter(await activateWebGPU())) {
  runConformance({ backend: 'webgpu', tolerance: 1e-4, float64: false, fastPaths: false });
}
