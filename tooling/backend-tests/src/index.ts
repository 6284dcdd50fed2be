/**
 * @mapnn/backend-tests — the conformance suite every mapnn backend runs:
 *
 * ```ts
 * import '@mapnn/backend-cpu';
 * import { runConformance } from '@mapnn/backend-tests';
 * runConformance({ backend: 'cpu' });
 * ```
 *
 * Golden values and gradients from PyTorch (fixtures/, written by scripts/gen_golden.py),
 * finite-difference gradient checks in float64 (first and second order), broadcasting, empty
 * tensors, dtype rules, memory (no leaks), and kernel registration.
 */
import { afterAll, aroundEach, beforeAll, describe } from 'vitest';
import { setBackendAsync } from '@mapnn/core';
import { coverageSuite } from './coverage.js';
import { edgeSuite } from './edge.js';
import { gradCheckSuite } from './fd.js';
import { goldenSuite } from './golden.js';
import { fastPathSuite } from './fast-paths.js';
import { fastPathCompareSuite } from './fast-path-compare.js';
import { countCases, countsLine, FAST_PATH_ONLY_REASON, fastPathOnly, runWithFastPathsOff } from './fast-paths-off.js';
import { kernelSuite } from './kernels.js';
import { memorySuite } from './memory.js';
import { referenceSuite } from './references.js';
import { resolveOptions, type ConformanceOptions } from './types.js';

/**
 * Declares the whole conformance suite (vitest describe/it blocks) for `options.backend`; with
 * `fastPaths: false` every case runs with the optional kernels switched off (primitives only).
 * The run prints how many cases ran, passed, failed and were skipped.
 */
export function runConformance(options: ConformanceOptions): void {
  const o = resolveOptions(options);
  const title = `conformance: ${o.backend}${o.fastPaths ? '' : ', fast paths off (primitives only)'}`;
  describe(title, () => {
    beforeAll(async () => {
      await setBackendAsync(o.backend);
    });
    if (!o.fastPaths) aroundEach((runTest, ctx) => runWithFastPathsOff(runTest, ctx.task.name));
    // vitest reads the first parameter as fixtures: it must be a destructuring pattern
    afterAll(({}, suite) => {
      console.log(countsLine(title, countCases(suite)));
    });
    coverageSuite();
    goldenSuite(o);
    gradCheckSuite(o);
    referenceSuite(o);
    edgeSuite(o);
    memorySuite(o);
    kernelSuite(o);
    fastPathOnly(o.fastPaths, FAST_PATH_ONLY_REASON, () => {
      fastPathSuite(o);
      fastPathCompareSuite(o);
    });
  });
}

export { gradCheck } from './gradcheck.js';
export type { GradCheckOptions, GradCheckResult } from './gradcheck.js';
export type { ConformanceOptions, GoldenCase, GoldenFile, TensorSpec, OpMapping, CaseTable } from './types.js';
export { CASES, GOLDEN, GRAD_CHECK_EXCLUSIONS, SECOND_ORDER_CASES, DOCUMENTED_OPS, allCases } from './cases/index.js';
export { PRIMITIVE_KERNELS, FLOAT16_KERNELS } from './kernels.js';
export { xorshift32, seededData, naiveMatmul, expectMatmulMatchesNaive, MATMUL_SHAPES } from './testing.js';
export { matmulKernelTests, type MatmulCheck, type MatmulKernelTestExtras } from './matmul-kernel-tests.js';
