/**
 * Fused optimizer updates (optional multi-output fast paths, run by core's `adamStep` through
 * `runKernelMulti`): one threaded pass over parameter, gradient and moments in the kernel
 * module (assembly/optim.ts). The rule is owned by core's `adamStep`
 * (packages/core/src/ops/adam-step.ts); the conformance suite's fast-path cases check the kernel.
 */
import { sizeOf } from '@mapnn/core/backend';
import { DTYPE_CODE } from '../dtype-codes.js';
import type { WasmKernel, WasmKernels } from './register.js';

const adamStep: WasmKernel<'adamStep'> = ([p, g, m, v], a, be) => {
  const dt = p!.dtype;
  const n = sizeOf(p!.shape);
  const outs = [be.alloc(p!.shape, dt), be.alloc(p!.shape, dt), be.alloc(p!.shape, dt)];
  if (n > 0) {
    const flags = (a.maximize ? 1 : 0) | (!a.decoupled && a.weightDecay !== 0 ? 2 : 0) | (a.decoupled && a.weightDecay !== 0 ? 4 : 0);
    be.run(
      'adamStep',
      [
        DTYPE_CODE[dt], be.ptr(p!), be.ptr(g!), be.ptr(m!), be.ptr(v!), outs[0]!.ptr, outs[1]!.ptr, outs[2]!.ptr, n, flags,
        a.weightDecay, a.decoupledScale, a.beta1, 1 - a.beta1, a.beta2, 1 - a.beta2, a.bc2Sqrt, a.eps, a.stepSize,
      ],
      n * 8,
    );
  }
  return outs.map((o) => be.output(o, p!.shape, dt));
};

export const optimizerKernels = { adamStep } satisfies WasmKernels;
