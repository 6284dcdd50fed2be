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
import type { KernelAttrs } from '@mapnn/core';
import { cpuKernel, FLOATS } from './register.js';

/** The scalars of one Adam step as the composed ops see them (float32 operands round them). */
function adamScalars(a: KernelAttrs, round: (x: number) => number) {
  const num = (k: string) => a[k] as number;
  return {
    b1: round(num('beta1')),
    ob1: round(1 - num('beta1')),
    b2: round(num('beta2')),
    ob2: round(1 - num('beta2')),
    bc2: round(num('bc2Sqrt')),
    eps: round(num('eps')),
    stepSize: round(num('stepSize')),
    wd: round(num('weightDecay')),
    decay: round(num('decoupledScale')),
    l2: !a.decoupled && num('weightDecay') !== 0,
    decayP: !!a.decoupled && num('weightDecay') !== 0,
    sign: a.maximize ? -1 : 1,
  };
}

type Arr = Float32Array | Float64Array;

function adamF32(p: Arr, g: Arr, m: Arr, v: Arr, po: Arr, mo: Arr, vo: Arr, a: KernelAttrs): void {
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

function adamF64(p: Arr, g: Arr, m: Arr, v: Arr, po: Arr, mo: Arr, vo: Arr, a: KernelAttrs): void {
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

cpuKernel(
  'adamStep',
  ([p, g, m, v], attrs, be) => {
    const dt = p!.dtype;
    const [pa, ga, ma, va] = [p, g, m, v].map((t) => be.get(t!.dataId) as Arr) as [Arr, Arr, Arr, Arr];
    const [po, mo, vo] = [0, 1, 2].map(() => be.alloc(p!.shape, dt) as Arr) as [Arr, Arr, Arr];
    (dt === 'float32' ? adamF32 : adamF64)(pa, ga, ma, va, po, mo, vo, attrs);
    return [po, mo, vo].map((o) => be.output(o, p!.shape, dt));
  },
  FLOATS,
);
