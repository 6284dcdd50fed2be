export { Box } from './box.js';
export { Discrete } from './discrete.js';
