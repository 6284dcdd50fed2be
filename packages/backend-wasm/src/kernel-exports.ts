/**
 * The exports of the kernel module (assembly/index.ts) that JS calls, and the check that an
 * instance has them. Dependency-free: the pool's worker bundle imports it too.
 */

/** The kernel exports, in the order jobs name them (the pool's KERNEL word indexes this list). */
export const KERNEL_NAMES = [
  'unary', 'binary', 'where', 'cast', 'reduce', 'argReduce', 'copyStrided', 'fill', 'padMapped',
  'gather', 'indexSelect', 'scatter', 'matmul', 'unfold2d', 'fold2d', 'conv2d', 'probe', 'adamStep', 'maxPool2d', 'maxPool2dGrad', 'conv2dBackpropInput',
  'qlinearMatmul', 'qlinearConv2d', 'quantizeLinear', 'dequantizeLinear', 'maxPool2dInt8',
] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];

/** Every exported kernel: runs thread `tid`'s share (of `nt`) of the job whose argument slots start at `args`. */
export type Kernel = (args: number, tid: number, nt: number) => void;

/** The module's exports: its set-up entry points and every kernel. */
export type KernelExports = {
  init(stateBase: number): void;
  heapBase(): number;
  gemmScratchBytes(): number;
} & { readonly [K in KernelName]: Kernel };

const ENTRY_POINTS = ['init', 'heapBase', 'gemmScratchBytes'] as const;

function isKernelExports(exports: WebAssembly.Exports): exports is WebAssembly.Exports & KernelExports {
  return [...ENTRY_POINTS, ...KERNEL_NAMES].every((name) => typeof exports[name] === 'function');
}

/** An instance's exports as the kernel module's; throws, naming them, if some are missing. */
export function kernelExports(exports: WebAssembly.Exports): KernelExports {
  if (isKernelExports(exports)) return exports;
  const missing = [...ENTRY_POINTS, ...KERNEL_NAMES].filter((name) => typeof exports[name] !== 'function');
  throw new Error(`wasm backend: the kernel module lacks the exports ${missing.join(', ')} (rebuild it: node scripts/build-wasm.mjs --force)`);
}
