// Public ops of the 'reduce' group; one file per op.
export { mean } from './mean.js';
export { max } from './max.js';
export { min } from './min.js';
export { prod } from './prod.js';
export { argmax } from './argmax.js';
export { argmin } from './argmin.js';
export { logsumexp } from './logsumexp.js';
export { variance, type VarianceOptions } from './variance.js';
export { std } from './std.js';
export { all } from './all.js';
export { any } from './any.js';
export { softmax } from './softmax.js';
export { logSoftmax } from './log-softmax.js';
export { cumsum } from './cumsum.js';
export { norm } from './norm.js';
export { dot } from './dot.js';
export { outer } from './outer.js';
