/**
 * Kernel utilities: the attribute parsing, shape arithmetic and argument checks that every
 * backend's kernels share (conv geometry, matmul dims, movement and index checks), so that all
 * backends agree on them and throw the same errors.
 */
export * from './conv-geometry.js';
export * from './matmul-shapes.js';
export * from './index-checks.js';
export * from './movement-checks.js';
