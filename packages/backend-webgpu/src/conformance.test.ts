// The whole conformance suite on `webgpu` (Dawn; SwiftShader on CI).
// float64 is stored and computed in float32 on WebGPU, so the finite-difference gradient checks
// run in float32 (`float64: false`) and golden values use the float32 tolerance 1e-4.
import { runConformance } from '@mapnn/backend-tests';
import { activateWebGPU, requireAdapter } from '../test/adapter.js';

if (requireAdapter(await activateWebGPU())) {
  runConformance({ backend: 'webgpu', tolerance: 1e-4, float64: false });
}
