import { add, concat, fmtShape, linear, mul, narrow, reshape, sigmoid, split, stack, sub, swapAxes, tanh, zeros, type Tensor } from '@mapnn/core';
import { buffer, GRU, LSTM, Module } from '@mapnn/layers';
import type { QuantDType } from '../quantization/qparams.js';
import { dynamicFakeQuantize, loadWeight, storeWeight, type StoredWeight } from './dynamic-activation.js';

/** The stored weights of one layer and direction. */
interface QuantizedCell {
  wih: StoredWeight;
  whh: StoredWeight;
  bih: Tensor | null;
  bhh: Tensor | null;
}

/**
 * Base of the dynamically quantized LSTM and GRU (`torch.ao.nn.quantized.dynamic.LSTM` / `GRU`):
 * every `weight_ih_l*` / `weight_hh_l*` is stored as int8 per gate row (`…_int8`, `…_scale`),
 * biases in float32; at every time step the step's input and the previous hidden state are
 * each quantized per tensor from their own range (uint8 by default) before their products with
 * the dequantized weights, as PyTorch's dynamic cells do. Inference only (eval semantics: no
 * inter-layer dropout). Same call signature and shapes as the float layer.
 */
abstract class DynamicQuantizedRecurrent<I extends unknown[], O> extends Module<I, O> {
  [buffer: string]: unknown;

  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly batchFirst: boolean;
  readonly bidirectional: boolean;
  protected readonly cells: QuantizedCell[][] = [];

  constructor(
    rnn: LSTM | GRU,
    readonly layer: string,
    readonly activationDtype: QuantDType,
  ) {
    super();
    this.inputSize = rnn.inputSize;
    this.hiddenSize = rnn.hiddenSize;
    this.numLayers = rnn.numLayers;
    this.batchFirst = rnn.batchFirst;
    this.bidirectional = rnn.bidirectional;
    const src = rnn as unknown as Record<string, Tensor | undefined>;
    for (let l = 0; l < this.numLayers; l++) {
      const row: QuantizedCell[] = [];
      for (let d = 0; d < (this.bidirectional ? 2 : 1); d++) {
        const sfx = `l${l}${d === 1 ? '_reverse' : ''}`;
        const store = (kind: 'ih' | 'hh') => {
          const w = storeWeight(src[`weight_${kind}_${sfx}`]!, `${layer}.weight_${kind}_${sfx}`);
          this[`weight_${kind}_${sfx}_int8`] = w.values;
          this[`weight_${kind}_${sfx}_scale`] = w.scales;
          return w;
        };
        const bias = (kind: 'ih' | 'hh') => {
          const b = src[`bias_${kind}_${sfx}`];
          return b ? (this[`bias_${kind}_${sfx}`] = buffer(b.detach())) : null;
        };
        row.push({ wih: store('ih'), whh: store('hh'), bih: bias('ih'), bhh: bias('hh') });
      }
      this.cells.push(row);
    }
  }

  /** One step from the gate pre-activations of the input (gi) and hidden (gh) products, [N, gates·H]. */
  protected abstract step(gi: Tensor, gh: Tensor, state: Tensor[]): Tensor[];

  /** Runs all layers and directions; `init` the initial states ([layers·dirs, (N,) H] or null). */
  protected run(x: Tensor, init: (Tensor | null | undefined)[]): [Tensor, Tensor[]] {
    const name = this.constructor.name;
    if (x.rank !== 2 && x.rank !== 3) throw new Error(`${name}: expected input of rank 2 (unbatched) or 3, got ${fmtShape(x.shape)}`);
    if (x.shape[x.rank - 1] !== this.inputSize) throw new Error(`${name}: input ${fmtShape(x.shape)} has ${x.shape[x.rank - 1]} features, expected inputSize ${this.inputSize}`);
    const unbatched = x.rank === 2;
    let seq = unbatched ? reshape(x, [x.shape[0]!, 1, x.shape[1]!]) : this.batchFirst ? swapAxes(x, 0, 1) : x;
    const [T, N] = [seq.shape[0]!, seq.shape[1]!];
    const H = this.hiddenSize;
    const D = this.bidirectional ? 2 : 1;
    const LD = this.numLayers * D;
    const initial = init.map((s) => {
      if (!s) return null;
      const want = unbatched ? [LD, H] : [LD, N, H];
      if (s.rank !== want.length || s.shape.some((v, i) => v !== want[i])) throw new Error(`${name}: initial state has shape ${fmtShape(s.shape)}, expected ${fmtShape(want)}`);
      return reshape(s, [LD, N, H]);
    });
    const finals: Tensor[][] = init.map(() => []);
    for (let l = 0; l < this.numLayers; l++) {
      const outs: Tensor[] = [];
      for (let d = 0; d < D; d++) {
        const c = this.cells[l]![d]!;
        const wih = loadWeight(c.wih.values, c.wih.scales);
        const whh = loadWeight(c.whh.values, c.whh.scales);
        let state = initial.map((s) => (s ? reshape(narrow(s, 0, l * D + d, 1), [N, H]) : zeros([N, H])));
        const out: Tensor[] = new Array(T);
        const F = seq.shape[2]!;
        for (let i = 0; i < T; i++) {
          const t = d === 0 ? i : T - 1 - i;
          const xt = reshape(narrow(seq, 0, t, 1), [N, F]);
          const gi = linear(dynamicFakeQuantize(xt, this.activationDtype, this.layer), wih, c.bih);
          const gh = linear(dynamicFakeQuantize(state[0]!, this.activationDtype, this.layer), whh, c.bhh);
          state = this.step(gi, gh, state);
          out[t] = state[0]!;
        }
        state.forEach((s, k) => finals[k]!.push(s));
        outs.push(stack(out, 0));
      }
      seq = D === 1 ? outs[0]! : concat(outs, 2);
    }
    const output = unbatched ? reshape(seq, [T, D * H]) : this.batchFirst ? swapAxes(seq, 0, 1) : seq;
    return [output, finals.map((f) => (unbatched ? reshape(stack(f, 0), [LD, H]) : stack(f, 0)))];
  }

  override describe(): string {
    return `${this.constructor.name}(${this.inputSize}, ${this.hiddenSize}, numLayers=${this.numLayers}${this.bidirectional ? ', bidirectional' : ''}, int8 weights, dynamic ${this.activationDtype} activations)`;
  }
}

/** A dynamically quantized `LSTM`: `call(x, [h0, c0]?)` → `[output, [hN, cN]]` (gates i, f, g, o). */
export class DynamicQuantizedLSTM extends DynamicQuantizedRecurrent<[x: Tensor, state?: [Tensor, Tensor] | null], [Tensor, [Tensor, Tensor]]> {
  constructor(lstm: LSTM, layer = 'lstm', activationDtype: QuantDType = 'uint8') {
    if (lstm.peephole) throw new Error(`quantizeDynamic: layer '${layer}' is an LSTM with peephole connections, which cannot be dynamically quantized`);
    super(lstm, layer, activationDtype);
  }

  forward(x: Tensor, state?: [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]] {
    const [out, [h, c]] = this.run(x, [state?.[0], state?.[1]]);
    return [out, [h!, c!]];
  }

  protected step(gi: Tensor, gh: Tensor, [, c]: Tensor[]): Tensor[] {
    const [i, f, g, o] = split(add(gi, gh), this.hiddenSize, 1);
    const c2 = add(mul(sigmoid(f!), c!), mul(sigmoid(i!), tanh(g!)));
    return [mul(sigmoid(o!), tanh(c2)), c2];
  }
}

/** A dynamically quantized `GRU`: `call(x, h0?)` → `[output, hN]` (gates r, z, n). */
export class DynamicQuantizedGRU extends DynamicQuantizedRecurrent<[x: Tensor, h0?: Tensor | null], [Tensor, Tensor]> {
  constructor(gru: GRU, layer = 'gru', activationDtype: QuantDType = 'uint8') {
    super(gru, layer, activationDtype);
  }

  forward(x: Tensor, h0?: Tensor | null): [Tensor, Tensor] {
    const [out, [h]] = this.run(x, [h0]);
    return [out, h!];
  }

  protected step(gi: Tensor, gh: Tensor, [h]: Tensor[]): Tensor[] {
    const H = this.hiddenSize;
    const [ir, iz, inn] = split(gi, H, 1);
    const [hr, hz, hn] = split(gh, H, 1);
    const r = sigmoid(add(ir!, hr!));
    const z = sigmoid(add(iz!, hz!));
    const n = tanh(add(inn!, mul(r, hn!)));
    return [add(n, mul(z, sub(h!, n)))];
  }
}
