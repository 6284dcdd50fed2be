/**
 * Energy per operation at 45 nm, 0.9 V, from M. Horowitz, "Computing's energy problem (and what
 * we can do about it)", ISSCC 2014 (the figures Han et al. use for Deep Compression), in pJ.
 */
export const HOROWITZ_45NM = Object.freeze({
  fp32Mult: 3.7,
  fp32Add: 0.9,
  int8Mult: 0.2,
  int8Add: 0.03,
  /** One 32-bit word read from a small (8 KB) on-chip SRAM. */
  sram32Read: 5,
  /** One 32-bit word read from off-chip DRAM. */
  dram32Read: 640,
});

export type CostTable = typeof HOROWITZ_45NM;

/** The arithmetic precision the energy estimate assumes. */
export type Precision = 'fp32' | 'int8';

/** Energy of one forward pass, in pJ, split as the cost model does. */
export interface Energy {
  /** Multiplies and adds at the chosen precision. */
  compute: number;
  /** Weights (parameters and buffers) read once from DRAM, 32 bits a word. */
  weights: number;
  /** The layer's input read and its output written once through SRAM, 32 bits a word (writes costed as reads). */
  activations: number;
  total: number;
}

/** The operation counts and bytes energy is computed from. */
export interface CostInputs {
  mults: number;
  adds: number;
  weightBytes: number;
  activationBytesIn: number;
  activationBytesOut: number;
}

/** Energy (pJ) of `c` under `table` at `precision`. */
export function energyOf(c: CostInputs, precision: Precision, table: CostTable = HOROWITZ_45NM): Energy {
  const [mult, add] = precision === 'int8' ? [table.int8Mult, table.int8Add] : [table.fp32Mult, table.fp32Add];
  const compute = c.mults * mult + c.adds * add;
  const weights = (c.weightBytes / 4) * table.dram32Read;
  const activations = ((c.activationBytesIn + c.activationBytesOut) / 4) * table.sram32Read;
  return { compute, weights, activations, total: compute + weights + activations };
}
