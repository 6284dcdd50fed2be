import { OPTIONAL_KERNELS } from './contract.js';
import { isFastKernel } from './kernel-spec.js';

/**
 * Optional kernels switched off: `hasKernel` reports them missing, so every op composes them
 * from the remaining kernels as on a backend without them. The conformance suite uses this to
 * compute the composition on the same backend and compare it with the fast path.
 */
const disabled = new Set<string>();

/** Whether `withoutFastPaths`/`setFastPathsDisabled` has switched optional kernel `op` off. */
export function fastPathDisabled(op: string): boolean {
  return disabled.size > 0 && disabled.has(op);
}

function checkOptional(names: readonly string[], fn: string): void {
  for (const n of names) {
    if (!isFastKernel(n)) {
      throw new Error(`${fn}: '${n}' is not an optional kernel (optional: ${OPTIONAL_KERNELS.join(', ')})`);
    }
  }
}

/**
 * Switches the optional kernels `names` off (all of them by default) until called again;
 * `[]` switches every fast path back on. Returns the previous list. Primitives cannot be
 * switched off. For whole test runs (the conformance suite's `fastPaths: false`).
 */
export function setFastPathsDisabled(names: readonly string[] = OPTIONAL_KERNELS): string[] {
  checkOptional(names, 'setFastPathsDisabled');
  const previous = [...disabled];
  disabled.clear();
  for (const n of names) disabled.add(n);
  return previous;
}

/**
 * Runs `fn` with the optional kernels `names` (all of them by default) switched off, so ops
 * use their core composition; gradients composed inside `fn` (call `backward()` there) too.
 * `fn` must be synchronous; the previous setting is restored afterwards.
 *
 * @example const ref = withoutFastPaths(() => conv2d(x, w), ['conv2d', 'fusedConv2d'])
 */
export function withoutFastPaths<T>(fn: () => T, names: readonly string[] = OPTIONAL_KERNELS): T {
  checkOptional(names, 'withoutFastPaths');
  const previous = [...disabled];
  for (const n of names) disabled.add(n);
  try {
    return fn();
  } finally {
    disabled.clear();
    for (const n of previous) disabled.add(n);
  }
}
