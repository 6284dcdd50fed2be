/**
 * Entry of the kernel module. Every kernel export has the signature `(args, tid, nt) => void`
 * (see common.ts); `init`, `heapBase` and `gemmScratchBytes` are setup helpers.
 */
export { init } from './common';
export { unary, binary, where } from './elementwise';
export { cast } from './cast';
export { reduce, argReduce } from './reduce';
export { copyStrided, fill, padMapped, gather, indexSelect, scatter } from './movement';
export { matmul, gemmScratchBytes } from './gemm';
export { unfold2d, fold2d, conv2d, conv2dBackpropInput } from './conv';
export { probe } from './probe';
export { adamStep } from './optim';
export { maxPool2d, maxPool2dGrad, maxPool2dInt8 } from './pool';
export { qlinearMatmul, qlinearConv2d, quantizeLinear, dequantizeLinear } from './qlinear';

/** First byte after the static data; JS places its control block and heap above it. */
export function heapBase(): usize {
  return __heap_base;
}
