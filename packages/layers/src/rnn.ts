import { add, batchMatmul, relu, tanh, type Tensor } from '@mapnn/core';
import { RecurrentBase, type CellContext, type RecurrentOptions } from './recurrent-utils.js';
import { type ModuleConfig } from './serialization/config.js';

export interface RNNOptions extends RecurrentOptions {
  /** `'tanh'` (default) or `'relu'`. */
  nonlinearity?: 'tanh' | 'relu';
}

/**
 * Elman recurrent network (`torch.nn.RNN`): per layer and time step
 * `hₜ = act(xₜ·W_ihᵀ + b_ih + hₜ₋₁·W_hhᵀ + b_hh)` with `act` tanh or relu.
 *
 * `call(x, h0?)` → `[output, hN]`: x [T, N, inputSize] ([N, T, inputSize] with `batchFirst`, or
 * unbatched [T, inputSize]); h0 and hN [numLayers·numDirections, N, hiddenSize] (never
 * batch-first; zeros when omitted); output [T, N, numDirections·hiddenSize] (the last layer's h
 * at every step, forward and backward directions concatenated).
 *
 * Parameters carry PyTorch's names and layouts (`weight_ih_l0` [H, in], `weight_hh_l0` [H, H],
 * `bias_ih_l0`, `bias_hh_l0`, `…_reverse`), so a PyTorch `state_dict` loads 1:1; init
 * U(±1/√hiddenSize) as PyTorch.
 *
 * @example
 * const rnn = new RNN(10, 20, { numLayers: 2 });
 * const [out, hN] = rnn.call(randn([5, 3, 10]));  // out [5, 3, 20], hN [2, 3, 20]
 */
export class RNN extends RecurrentBase<[x: Tensor, h0?: Tensor | null], [Tensor, Tensor]> {
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    super('RNN', inputSize, hiddenSize, 1, options);
    this.nonlinearity = options.nonlinearity ?? 'tanh';
    if (this.nonlinearity !== 'tanh' && this.nonlinearity !== 'relu') {
      throw new Error(`RNN: nonlinearity must be 'tanh' or 'relu', got '${String(this.nonlinearity)}'`);
    }
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  override getConfig(): ModuleConfig {
    return { ...super.getConfig(), nonlinearity: this.nonlinearity };
  }

  forward(x: Tensor, h0?: Tensor | null): [Tensor, Tensor] {
    const [out, [hN]] = this.runLayers(x, [h0], 1);
    return [out, hN!];
  }

  protected step(xp: Tensor, [h]: Tensor[], { whh }: CellContext): Tensor[] {
    const pre = add(xp, batchMatmul(h!, whh, false, true));
    return [this.nonlinearity === 'tanh' ? tanh(pre) : relu(pre)];
  }

  override describe(): string {
    const base = super.describe();
    return this.nonlinearity === 'relu' ? base.replace(/\)$/, ", nonlinearity='relu')") : base;
  }
}
