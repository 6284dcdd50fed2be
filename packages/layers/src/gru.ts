import { add, batchMatmul, mul, split, sub, tanh, type Tensor } from '@mapnn/core';
import {
  RecurrentBase,
  sigmoidOfDouble,
  type CellContext,
  type RecurrentCellWeights,
  type RecurrentOptions,
} from './recurrent-utils.js';

/**
 * Gated recurrent unit (`torch.nn.GRU`). Per layer and step, with the gates in PyTorch's order
 * r, z, n stacked in the weights' rows:
 *
 * ```
 * r = σ(W_ir x + b_ir + W_hr h + b_hr)      z = σ(W_iz x + b_iz + W_hz h + b_hz)
 * n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn))   h' = (1 − z)⊙n + z⊙h
 * ```
 *
 * (r multiplies the hidden term including its bias, as in PyTorch and cuDNN.)
 *
 * `call(x, h0?)` → `[output, hN]`, shapes as `RNN`. Parameters carry PyTorch's names and
 * layouts (`weight_ih_l0` [3H, in], `weight_hh_l0` [3H, H], `bias_ih_l0`, `bias_hh_l0` [3H],
 * `…_reverse`), so a PyTorch `state_dict` loads 1:1.
 *
 * @example
 * const gru = new GRU(8, 16, { bidirectional: true });
 * const [out, hN] = gru.call(randn([7, 2, 8]), zeros([2, 2, 16])); // out [7, 2, 32], hN [2, 2, 16]
 */
export class GRU extends RecurrentBase<[x: Tensor, h0?: Tensor | null], [Tensor, Tensor]> {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    super('GRU', inputSize, hiddenSize, 3, options);
  }

  forward(x: Tensor, h0?: Tensor | null): [Tensor, Tensor] {
    const [out, [hN]] = this.runLayers(x, [h0], 1);
    return [out, hN!];
  }

  protected override inputBias(w: RecurrentCellWeights): Tensor | null {
    return w.bih; // b_hh stays inside: r multiplies (W_hn h + b_hn)
  }

  protected override hiddenBias(w: RecurrentCellWeights): Tensor | null {
    return w.bhh;
  }

  // r and z pass through σ: their rows are halved once per forward, σ(x) = 0.5·tanh(x/2) + 0.5
  protected override gateScale(): number[] {
    return [0.5, 0.5, 1];
  }

  protected step(xp: Tensor, [h]: Tensor[], { whh, hiddenBias }: CellContext): Tensor[] {
    const H = this.hiddenSize;
    let hp = batchMatmul(h!, whh, false, true);
    if (hiddenBias) hp = add(hp, hiddenBias);
    const [xrz, xn] = split(xp, [2 * H, H], 2);
    const [hrz, hn] = split(hp, [2 * H, H], 2);
    const [r, z] = split(sigmoidOfDouble(add(xrz!, hrz!)), H, 2);
    const n = tanh(add(xn!, mul(r!, hn!)));
    return [add(n, mul(z!, sub(h!, n)))];
  }
}
