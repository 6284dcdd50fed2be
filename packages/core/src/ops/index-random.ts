// Public ops of the 'random' group (random sampling, seeding and ranges); one file per op.
export { Generator, manualSeed, getDefaultGenerator, setDefaultGenerator, DEFAULT_SEED } from '../random/generator.js';
export type { GeneratorState } from '../random/generator.js';
export type { RandomOptions } from '../random/sample.js';
export { rand } from './rand.js';
export { randn } from './randn.js';
export { uniform } from './uniform.js';
export { normal } from './normal.js';
export { randint } from './randint.js';
export { bernoulli } from './bernoulli.js';
export { randperm } from './randperm.js';
export { arange } from './arange.js';
export { linspace } from './linspace.js';
export { eye } from './eye.js';
