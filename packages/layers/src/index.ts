/**
 * @mapnn/layers — modules, layers, losses, initializers and regularizers, written against
 * @mapnn/core ops only, so they run and train on every conforming backend.
 */
export * from './module.js';
export * from './index-basic.js';
export * from './index-sequence.js';
export * from './index-losses.js';
export * from './index-serialization.js';
