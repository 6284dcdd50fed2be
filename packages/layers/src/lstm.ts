import { add, batchMatmul, broadcastTo, mul, reshape, split, tanh, tensor, type Tensor } from '@mapnn/core';
import {
  RecurrentBase,
  sigmoidOfDouble,
  type CellContext,
  type RecurrentCellWeights,
  type RecurrentOptions,
} from './recurrent-utils.js';
import { type ModuleConfig } from './serialization/config.js';

export interface LSTMOptions extends RecurrentOptions {
  /**
   * mapnn extension (not in PyTorch): peephole connections as in Gers & Schmidhuber (2000) —
   * per-gate diagonal weights from the cell state, `weight_ci_l*`, `weight_cf_l*`,
   * `weight_co_l*` (each [hiddenSize], init U(±1/√hiddenSize)):
   * i = σ(… + w_ci⊙cₜ₋₁), f = σ(… + w_cf⊙cₜ₋₁), o = σ(… + w_co⊙cₜ). Off by default, so the
   * parameters match PyTorch's 1:1.
   */
  peephole?: boolean;
}

/**
 * Long short-term memory (`torch.nn.LSTM`). Per layer and step, with the gates in PyTorch's
 * order i, f, g, o stacked in the weights' rows:
 *
 * ```
 * i = σ(W_ii x + b_ii + W_hi h + b_hi)   f = σ(W_if x + b_if + W_hf h + b_hf)
 * g = tanh(W_ig x + b_ig + W_hg h + b_hg) o = σ(W_io x + b_io + W_ho h + b_ho)
 * c' = f⊙c + i⊙g                         h' = o⊙tanh(c')
 * ```
 *
 * `call(x, [h0, c0]?)` → `[output, [hN, cN]]`: x [T, N, inputSize] ([N, T, inputSize] with
 * `batchFirst`, or unbatched [T, inputSize]); states [numLayers·numDirections, N, hiddenSize]
 * (never batch-first; zeros when omitted); output [T, N, numDirections·hiddenSize].
 *
 * Parameters carry PyTorch's names and layouts (`weight_ih_l0` [4H, in], `weight_hh_l0`
 * [4H, H], `bias_ih_l0`, `bias_hh_l0` [4H], `…_reverse`), so a PyTorch `state_dict` loads 1:1.
 * The optional `peephole` connections are a mapnn extension (see `LSTMOptions.peephole`).
 *
 * @example
 * const lstm = new LSTM(10, 20, { numLayers: 2, bidirectional: true, batchFirst: true });
 * const [out, [hN, cN]] = lstm.call(randn([3, 5, 10])); // out [3, 5, 40], hN, cN [4, 3, 20]
 */
export class LSTM extends RecurrentBase<[x: Tensor, state?: [Tensor, Tensor] | null], [Tensor, [Tensor, Tensor]]> {
  readonly peephole: boolean;

  constructor(inputSize: number, hiddenSize: number, options: LSTMOptions = {}) {
    super('LSTM', inputSize, hiddenSize, 4, options, (_l, sfx): Record<string, [string, number[]]> =>
      options.peephole
        ? {
            ci: [`weight_ci_${sfx}`, [hiddenSize]],
            cf: [`weight_cf_${sfx}`, [hiddenSize]],
            co: [`weight_co_${sfx}`, [hiddenSize]],
          }
        : {},
    );
    this.peephole = options.peephole ?? false;
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  override getConfig(): ModuleConfig {
    return { ...super.getConfig(), peephole: this.peephole };
  }

  forward(x: Tensor, state?: [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]] {
    const [out, [hN, cN]] = this.runLayers(x, [state?.[0], state?.[1]], 2);
    return [out, [hN!, cN!]];
  }

  // i, f, o pass through σ: their rows are halved once per forward, so σ(x) = 0.5·tanh(x/2) + 0.5
  // and one tanh serves all four gates.
  protected override gateScale(): number[] {
    return [0.5, 0.5, 1, 0.5];
  }

  // Tensors used at every step, expanded to [1, N, ·] once so the step needs no broadcasting.
  protected override prepareExtra(w: RecurrentCellWeights, n: number): Record<string, Tensor> {
    const H = this.hiddenSize;
    if (this.peephole) {
      const half = (t: Tensor) => broadcastTo(reshape(mul(t, 0.5), [1, 1, H]), [1, n, H]);
      return { ci: half(w.extra.ci!), cf: half(w.extra.cf!), co: half(w.extra.co!) };
    }
    const vec = (v: number[]) => {
      const row = Array.from({ length: 4 * H }, (_, k) => v[Math.floor(k / H)]!);
      return tensor(Array.from({ length: n }, () => row).flat(), [1, n, 4 * H], w.whh.dtype);
    };
    return { mul: vec([0.5, 0.5, 1, 0.5]), add: vec([0.5, 0.5, 0, 0.5]) };
  }

  protected step(xp: Tensor, [h, c]: Tensor[], { whh, extra: p }: CellContext): Tensor[] {
    const H = this.hiddenSize;
    const gates = add(xp, batchMatmul(h!, whh, false, true)); // [x_i/2, x_f/2, x_g, x_o/2]
    if (!this.peephole) {
      // [σ(x_i), σ(x_f), tanh(x_g), σ(x_o)] = tanh(gates)·[½, ½, 1, ½] + [½, ½, 0, ½]
      const [i, f, g, o] = split(add(mul(tanh(gates), p.mul!), p.add!), H, 2);
      const c2 = add(mul(f!, c!), mul(i!, g!));
      return [mul(o!, tanh(c2)), c2];
    }
    const [gi, gf, gg, go] = split(gates, H, 2);
    const i = sigmoidOfDouble(add(gi!, mul(c!, p.ci!)));
    const f = sigmoidOfDouble(add(gf!, mul(c!, p.cf!)));
    const c2 = add(mul(f, c!), mul(i, tanh(gg!)));
    const o = sigmoidOfDouble(add(go!, mul(c2, p.co!)));
    return [mul(o, tanh(c2)), c2];
  }

  override describe(): string {
    const base = super.describe();
    return this.peephole ? base.replace(/\)$/, ', peephole=true)') : base;
  }
}
