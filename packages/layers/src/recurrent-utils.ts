import {
  add,
  batchMatmul,
  broadcastTo,
  concat,
  dropout,
  fmtShape,
  mul,
  ones,
  reshape,
  split,
  swapAxes,
  tanh,
  tensor,
  uniform,
  zeros,
  type DType,
  type Generator,
  type Tensor,
} from '@mapnn/core';
import { Module, parameter } from './module.js';
import { compactConfig, floatDType, type ModuleConfig } from './serialization/config.js';

/** Options shared by `RNN`, `LSTM` and `GRU` (PyTorch's constructor arguments, camelCased). */
export interface RecurrentOptions {
  /** Stacked recurrent layers (default 1); layer k > 0 reads layer k − 1's output. */
  numLayers?: number;
  /** Learn the biases `bias_ih_l*` and `bias_hh_l*` (default true). */
  bias?: boolean;
  /** Input and output as [N, T, features] instead of [T, N, features] (default false). States stay [layers·dirs, N, H]. */
  batchFirst?: boolean;
  /** Dropout probability on the output of every layer but the last, in training mode (default 0). */
  dropout?: number;
  /** Also run each layer backwards in time and concatenate both outputs (default false). */
  bidirectional?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
  /** Generator for the default init U(±1/√hiddenSize) (default: the global one). */
  generator?: Generator;
}

/** The parameters of one layer in one direction (live references; `loadStateDict` assigns into them). */
export interface RecurrentCellWeights {
  /** [gates·H, in] */
  wih: Tensor;
  /** [gates·H, H] */
  whh: Tensor;
  bih: Tensor | null;
  bhh: Tensor | null;
  /** Extra per-module weights of this layer/direction (the LSTM's peepholes), by short name. */
  extra: Record<string, Tensor>;
}

/**
 * What a cell step gets besides its input and state, prepared once per forward: the recurrent
 * weight as [1, gates·H, H] and the hidden bias expanded to [1, N, gates·H] (the GRU's; null
 * when folded into the input projection), both with the rows scaled by the cell's `gateScale`,
 * and the extra tensors (as `prepareExtra` returns them).
 */
export interface CellContext {
  whh: Tensor;
  hiddenBias: Tensor | null;
  extra: Record<string, Tensor>;
}

/**
 * σ(2z) computed as `0.5·tanh(z) + 0.5`: three primitive kernels instead of core's composite
 * `sigmoid` (eight). The recurrent cells scale their sigmoid gates' pre-activations by ½ in the
 * weights once per forward, so each step pays one tanh for all of its gates.
 */
export function sigmoidOfDouble(z: Tensor): Tensor {
  return add(mul(tanh(z), 0.5), 0.5);
}

/**
 * `x·Wᵀ (+ b)` for x [..., in] and W [out, in] in one matmul over all leading dims, without
 * materialising Wᵀ. The bias rides along as an extra weight column against a column of ones
 * (`[x | 1]·[W | b]ᵀ`), which avoids a broadcasting add over the whole output (and the
 * reduction in its gradient).
 */
export function affine(x: Tensor, w: Tensor, b: Tensor | null): Tensor {
  const lead = x.shape.slice(0, -1);
  const inF = x.shape[x.rank - 1]!;
  const outF = w.shape[0]!;
  if (w.shape[1] !== inF) {
    throw new Error(`affine: input ${fmtShape(x.shape)} has ${inF} features, weight ${fmtShape(w.shape)} expects ${w.shape[1]}`);
  }
  const m = lead.reduce((p, q) => p * q, 1);
  let x3 = reshape(x, [1, m, inF]);
  let w3 = reshape(w, [1, outF, inF]);
  if (b) {
    x3 = concat([x3, ones([1, m, 1], x.dtype)], 2);
    w3 = concat([w3, reshape(b, [1, outF, 1])], 2);
  }
  return reshape(batchMatmul(x3, w3, false, true), [...lead, outF]);
}

/**
 * Splits `x` [T, ...] into T tensors [1, ...] along dim 0. The slice gradient pads each piece's
 * gradient back to the full input, so a flat split costs O(T²) in backward; halving
 * recursively costs O(T log T). Without grad a flat split is used.
 */
export function unstackSteps(x: Tensor): Tensor[] {
  const t = x.shape[0]!;
  if (t === 1) return [x];
  if (!x.requiresGrad) return split(x, 1, 0);
  const h = t >> 1;
  const [a, b] = split(x, [h, t - h], 0);
  return [...unstackSteps(a!), ...unstackSteps(b!)];
}

/**
 * Base of `RNN`, `LSTM` and `GRU`: parameters under PyTorch's names (`weight_ih_l0`,
 * `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, `…_reverse` for the backward direction), shape
 * checks, layer stacking, directions, inter-layer dropout and the time loop. Subclasses give
 * the gate count and the cell step.
 */
export abstract class RecurrentBase<I extends unknown[], O> extends Module<I, O> {
  /** Parameters live under PyTorch's names as own properties, so `stateDict()` keys match. */
  [param: string]: unknown;

  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  /** `cells[layer][direction]`. */
  protected readonly cells: RecurrentCellWeights[][] = [];

  constructor(
    readonly mode: string,
    readonly inputSize: number,
    readonly hiddenSize: number,
    protected readonly gates: number,
    options: RecurrentOptions,
    extraParams: (layer: number, suffix: string) => Record<string, [name: string, shape: number[]]> = () => ({}),
  ) {
    super();
    this.numLayers = options.numLayers ?? 1;
    this.bias = options.bias ?? true;
    this.batchFirst = options.batchFirst ?? false;
    this.dropout = options.dropout ?? 0;
    this.bidirectional = options.bidirectional ?? false;
    for (const [n, v] of [['inputSize', inputSize], ['hiddenSize', hiddenSize], ['numLayers', this.numLayers]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new Error(`${mode}: ${n} must be a positive integer, got ${v}`);
    }
    if (!(this.dropout >= 0 && this.dropout <= 1)) throw new Error(`${mode}: dropout must be in [0, 1], got ${this.dropout}`);
    const k = 1 / Math.sqrt(hiddenSize);
    const opts = { dtype: options.dtype ?? 'float32', generator: options.generator };
    const init = (shape: number[]) => parameter(uniform(shape, -k, k, opts));
    const dirs = this.bidirectional ? 2 : 1;
    const gh = gates * hiddenSize;
    for (let l = 0; l < this.numLayers; l++) {
      const row: RecurrentCellWeights[] = [];
      const inF = l === 0 ? inputSize : hiddenSize * dirs;
      for (let d = 0; d < dirs; d++) {
        const sfx = `l${l}${d === 1 ? '_reverse' : ''}`;
        const w: RecurrentCellWeights = {
          wih: (this[`weight_ih_${sfx}`] = init([gh, inF])),
          whh: (this[`weight_hh_${sfx}`] = init([gh, hiddenSize])),
          bih: this.bias ? (this[`bias_ih_${sfx}`] = init([gh])) : null,
          bhh: this.bias ? (this[`bias_hh_${sfx}`] = init([gh])) : null,
          extra: {},
        };
        for (const [short, [name, shape]] of Object.entries(extraParams(l, sfx))) {
          w.extra[short] = this[name] = init(shape);
        }
        row.push(w);
      }
      this.cells.push(row);
    }
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return compactConfig({
      inputSize: this.inputSize, hiddenSize: this.hiddenSize, numLayers: this.numLayers, bias: this.bias, batchFirst: this.batchFirst,
      dropout: this.dropout, bidirectional: this.bidirectional, dtype: floatDType(this),
    });
  }

  /** Number of directions (2 when bidirectional). */
  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  /**
   * The biases added to the input projection of a whole layer ([T, N, in] → [T, N, gates·H] in
   * one matmul): b_ih + b_hh, except where b_hh must stay inside the step (the GRU).
   */
  protected inputBias(w: RecurrentCellWeights): Tensor | null {
    return w.bih && w.bhh ? add(w.bih, w.bhh) : null;
  }

  /** The bias added to the recurrent product inside each step (null: folded into `inputBias`). */
  protected hiddenBias(_w: RecurrentCellWeights): Tensor | null {
    return null;
  }

  /**
   * Factor per gate applied to the rows of the weights and biases before the time loop (null:
   * none). Gates passed through a sigmoid use ½, so the step computes them with
   * `sigmoidOfDouble` (one tanh for all gates).
   */
  protected gateScale(): number[] | null {
    return null;
  }

  /**
   * The extra tensors the step wants, made once per forward for batch size `n` (e.g. scaled
   * peepholes, or constants expanded to [1, n, ·] so the step's elementwise ops need no
   * broadcasting); default the stored extra weights.
   */
  protected prepareExtra(w: RecurrentCellWeights, _n: number): Record<string, Tensor> {
    return w.extra;
  }

  /**
   * One time step: `xp` is the input projection of this step [1, N, gates·H] (scaled as
   * `gateScale` says), `state` the previous state (each [1, N, H]; `state[0]` is h). Returns
   * the new state; its first entry is the step's output.
   */
  protected abstract step(xp: Tensor, state: Tensor[], ctx: CellContext): Tensor[];

  /**
   * Runs all layers and directions. `x` is the module input as given; `init` lists the initial
   * states ([layers·dirs, N, H] each, or [layers·dirs, H] for unbatched input), `null` for
   * zeros, `count` how many state tensors the cell carries. Returns the output and the final
   * states in the caller's layout.
   */
  protected runLayers(x: Tensor, init: (Tensor | null | undefined)[], count: number): [Tensor, Tensor[]] {
    const name = this.constructor.name;
    const unbatched = x.rank === 2;
    if (x.rank !== 2 && x.rank !== 3) {
      throw new Error(`${name}: expected input of rank 2 (unbatched [T, ${this.inputSize}]) or 3, got ${fmtShape(x.shape)}`);
    }
    if (x.shape[x.rank - 1] !== this.inputSize) {
      throw new Error(
        `${name}: input ${fmtShape(x.shape)} has ${x.shape[x.rank - 1]} features, expected inputSize ${this.inputSize}` +
          (unbatched ? '' : ` (layout ${this.batchFirst ? '[N, T, F]' : '[T, N, F]'})`),
      );
    }
    // time-major [T, N, F]
    let seq = unbatched ? reshape(x, [x.shape[0]!, 1, x.shape[1]!]) : this.batchFirst ? swapAxes(x, 0, 1) : x;
    const [T, N] = [seq.shape[0]!, seq.shape[1]!];
    if (T === 0 || N === 0) throw new Error(`${name}: input ${fmtShape(x.shape)} has no time steps or no batch entries`);
    const H = this.hiddenSize;
    const D = this.numDirections;
    const LD = this.numLayers * D;
    const states: Tensor[][] = []; // states[k] = pieces per layer·dir
    for (let k = 0; k < count; k++) {
      const s = init[k];
      if (!s) {
        states.push(Array.from({ length: LD }, () => zeros([1, N, H], this.cells[0]![0]!.whh.dtype)));
        continue;
      }
      const want = unbatched ? [LD, H] : [LD, N, H];
      if (s.rank !== want.length || s.shape.some((d, i) => d !== want[i])) {
        throw new Error(
          `${name}: initial state ${k} has shape ${fmtShape(s.shape)}, expected ${fmtShape(want)} ` +
            `([numLayers·numDirections, ${unbatched ? '' : 'N, '}hiddenSize]; never batch-first)`,
        );
      }
      states.push(split(reshape(s, [LD, N, H]), 1, 0));
    }
    const finals: Tensor[][] = Array.from({ length: count }, () => []);
    for (let l = 0; l < this.numLayers; l++) {
      const outs: Tensor[] = [];
      for (let d = 0; d < D; d++) {
        const w = this.cells[l]![d]!;
        const scale = this.scaleVector(w.whh.dtype);
        const rows = (t: Tensor | null) => (t && scale ? mul(t, t.rank === 2 ? reshape(scale, [scale.size, 1]) : scale) : t);
        const xp = affine(seq, rows(w.wih)!, rows(this.inputBias(w))); // [T, N, gates·H]
        const steps = unstackSteps(xp);
        const hb = rows(this.hiddenBias(w));
        const ctx: CellContext = {
          whh: reshape(rows(w.whh)!, [1, this.gates * H, H]),
          // expanded once, so the per-step add needs no broadcasting (one reduction in backward)
          hiddenBias: hb ? broadcastTo(reshape(hb, [1, 1, hb.size]), [1, N, hb.size]) : null,
          extra: this.prepareExtra(w, N),
        };
        let state = states.map((s) => s[l * D + d]!);
        const out: Tensor[] = new Array(T);
        for (let i = 0; i < T; i++) {
          const t = d === 0 ? i : T - 1 - i;
          state = this.step(steps[t]!, state, ctx);
          out[t] = state[0]!;
        }
        state.forEach((s, k) => finals[k]!.push(s));
        outs.push(T === 1 ? out[0]! : concat(out, 0));
      }
      seq = D === 1 ? outs[0]! : concat(outs, 2);
      if (this.dropout > 0 && this.training && l < this.numLayers - 1) seq = dropout(seq, this.dropout, true);
    }
    const output = unbatched ? reshape(seq, [T, D * H]) : this.batchFirst ? swapAxes(seq, 0, 1) : seq;
    const last = finals.map((f) => {
      const s = LD === 1 ? f[0]! : concat(f, 0);
      return unbatched ? reshape(s, [LD, H]) : s;
    });
    return [output, last];
  }

  /** `gateScale` expanded to one factor per row of the weights ([gates·H]), or null. */
  private scaleVector(dtype: DType): Tensor | null {
    const g = this.gateScale();
    if (!g) return null;
    const H = this.hiddenSize;
    return tensor(
      Array.from({ length: this.gates * H }, (_, k) => g[Math.floor(k / H)]!),
      [this.gates * H],
      dtype,
    );
  }

  override describe(): string {
    const opts = [
      this.numLayers !== 1 ? `numLayers=${this.numLayers}` : '',
      !this.bias ? 'bias=false' : '',
      this.batchFirst ? 'batchFirst=true' : '',
      this.dropout ? `dropout=${this.dropout}` : '',
      this.bidirectional ? 'bidirectional=true' : '',
    ].filter(Boolean);
    return `${this.constructor.name}(${[this.inputSize, this.hiddenSize, ...opts].join(', ')})`;
  }
}
