import type { KnownCircle } from './file-circles.js';

/**
 * Files that must lie on no import circle (value imports): core's `Tensor` knows storage, shape,
 * dtype and lifetime, imports no op, and gets its methods installed by the package entry.
 */
export const NO_CIRCLE_THROUGH: readonly string[] = ['packages/core/src/tensor.ts'];

/**
 * The import circles between files of one package that stand, each with its reason. A new
 * circle, or one that grows past its files here, fails the layering test; so does an entry whose
 * circle is gone. Every one here is a pair of ops whose gradients are written with each other:
 * the calls happen inside backward closures, never while the modules are evaluated.
 */
export const KNOWN_FILE_CIRCLES: readonly KnownCircle[] = [
  {
    dir: 'packages/core',
    files: ['src/ops/broadcast-to.ts', 'src/ops/sum-to-shape.ts', 'src/ops/sum.ts'],
    why: "broadcastTo's gradient is sumToShape (a sum); sum's gradient broadcasts back",
  },
  {
    dir: 'packages/core',
    files: ['src/ops/conv2d-backprop-filter.ts', 'src/ops/conv2d-backprop-input.ts', 'src/ops/conv2d.ts'],
    why: "conv2d's gradients are its two backprops, whose gradients are conv2d and each other",
  },
  {
    dir: 'packages/core',
    files: ['src/ops/cos.ts', 'src/ops/sin.ts'],
    why: "sin' = cos, cos' = −sin",
  },
  {
    dir: 'packages/core',
    files: ['src/ops/fold2d.ts', 'src/ops/unfold2d.ts'],
    why: 'fold2d and unfold2d are adjoint: each is the gradient of the other',
  },
  {
    dir: 'packages/core',
    files: ['src/ops/gather.ts', 'src/ops/pad.ts', 'src/ops/scatter-add.ts', 'src/ops/slice.ts'],
    why: "gather's gradient is scatterAdd and back; slice's gradient is a pad and pad's a slice (both through scatterAdd)",
  },
  {
    dir: 'packages/layers',
    files: ['src/serialization/architecture.ts', 'src/serialization/builtins.ts', 'src/serialization/module-registry.ts'],
    why: "(de)serializing looks up the registry, which registers the built-ins on first use; TransformerEncoder's built-in config (de)serializes its nested layers",
  },
];
