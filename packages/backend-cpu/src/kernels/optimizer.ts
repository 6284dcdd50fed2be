/**
 * Fused optimizer updates (optional fast paths with several outputs, run by core's `adamStep`
 * through `runKernelMulti`): one pass over the parameter, its gradient and its moments instead
 * of a dozen elementwise kernels. Float32 rounds every intermediate as the composed ops would,
 * so the results equal core's composition bit for bit.
 *
 * The rule is owned by core's `adamStep` (packages/core/src/ops/adam-step.ts); the conformance
 * suite's fast-path cases (tooling/backend-tests/src/fast-paths.ts) compare this kernel with that
 * composition and with the scalar `referenceAdamStep` (tooling/backend-tests/src/adam-reference.ts).
 */
import type { AdamStepAttrs } from '@mapnn/core/backend';
import type { FloatArray } from '../cpu-backend.js';
import type { CpuKernel, CpuKernels } from './register.js';

/** The scalars of one Adam step as the composed ops see them (float32 operands round them). */
function adamScalars(a: AdamStepAttrs, round: (x: number) => number) {
  return {
    b1: round(a.beta1),
    ob1: round(1 - a.beta1),
    b2: round(a.beta2),
    ob2: round(1 - a.beta2),
    bc2: round(a.bc2Sqrt),
    eps: round(a.eps),
    stepSize: round(a.stepSize),
    wd: round(a.weightDecay),
    decay: round(a.decoupledScale),
    l2: !a.decoupled && a.weightDecay !== 0,
    decayP: !!a.decoupled && a.weightDecay !== 0,
    sign: a.maximize ? -1 : 1,
  };
}

type Arr = FloatArray;

function adamF32(p: Arr, g: Arr, m: Arr, v: Arr, po: Arr, mo: Arr, vo: Arr, a: AdamStepAttrs): void {
  const f = Math.fround;
  const s = adamScalars(a, f);
  for (let i = 0; i < p.length; i++) {
    let gi = s.sign * g[i]!;
    if (s.l2) gi = f(gi + f(p[i]! * s.wd));
    const pi = s.decayP ? f(p[i]! * s.decay) : p[i]!;
    const mi = f(f(m[i]! * s.b1) + f(gi * s.ob1));
    const vi = f(f(v[i]! * s.b2) + f(f(gi * gi) * s.ob2));
    const denom = f(f(f(Math.sqrt(vi)) / s.bc2) + s.eps);
    po[i] = pi - f(f(mi / denom) * s.stepSize);
    mo[i] = mi;
    vo[i] = vi;
  }
}

function adamF64(p: Arr, g: Arr, m: Arr, v: Arr, po: Arr, mo: Arr, vo: Arr, a: AdamStepAttrs): void {
  const s = adamScalars(a, (x) => x);
  for (let i = 0; i < p.length; i++) {
    let gi = s.sign * g[i]!;
    if (s.l2) gi = gi + p[i]! * s.wd;
    const pi = s.decayP ? p[i]! * s.decay : p[i]!;
    const mi = m[i]! * s.b1 + gi * s.ob1;
    const vi = v[i]! * s.b2 + gi * gi * s.ob2;
    const denom = Math.sqrt(vi) / s.bc2 + s.eps;
    po[i] = pi - (mi / denom) * s.stepSize;
    mo[i] = mi;
    vo[i] = vi;
  }
}

const adamStep: CpuKernel<'adamStep'> = ([p, g, m, v], attrs, be) => {
  const dt = p!.dtype;
  const [pa, ga, ma, va] = [be.floats(p!.dataId), be.floats(g!.dataId), be.floats(m!.dataId), be.floats(v!.dataId)];
  const [po, mo, vo] = [be.allocFloats(p!.shape, dt), be.allocFloats(p!.shape, dt), be.allocFloats(p!.shape, dt)];
  (dt === 'float32' ? adamF32 : adamF64)(pa, ga, ma, va, po, mo, vo, attrs);
  return [po, mo, vo].map((o) => be.output(o, p!.shape, dt));
};

/** The fused optimizer kernels of the cpu backend (float32, float64). */
export const optimizerKernels = { adamStep } satisfies CpuKernels;
