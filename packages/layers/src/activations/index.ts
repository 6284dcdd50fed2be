// Activation modules.
export * from './relu.js';
export * from './leaky-relu.js';
export * from './elu.js';
export * from './selu.js';
export * from './gelu.js';
export * from './sigmoid.js';
export * from './tanh.js';
export * from './softmax.js';
export * from './log-softmax.js';
export * from './softplus.js';
export * from './silu.js';
export * from './prelu.js';
