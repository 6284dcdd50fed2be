export { Box } from './box.js';
export { Discrete } from './discrete.js';
export { MultiDiscrete } from './multi-discrete.js';
export { flatDim } from './flat-dim.js';
export { checkAction } from './check-action.js';
