// Exports of the 'sequence' group: recurrent and attention layers.
export { RecurrentBase } from './recurrent-utils.js';
export type { CellContext, RecurrentCellWeights, RecurrentOptions } from './recurrent-utils.js';
export * from './rnn.js';
export * from './lstm.js';
export * from './gru.js';
export * from './multi-head-attention.js';
export * from './transformer-encoder-layer.js';
