import {
  add,
  batchMatmul,
  div,
  dropout,
  fmtShape,
  mean,
  reshape,
  softmax,
  split,
  swapAxes,
  transpose,
  tidy,
  triu,
  ones,
  where,
  zeros,
  type DType,
  type Generator,
  type Tensor,
} from '@mapnn/core';
import { xavierUniform } from './init.js';
import { Linear } from './linear.js';
import { Module, parameter } from './module.js';
import { affine } from './recurrent-utils.js';
import { compactConfig, floatDType, type ModuleConfig } from './serialization/config.js';

export interface MultiHeadAttentionOptions {
  /** Dropout probability on the attention weights, in training mode (default 0). */
  dropout?: number;
  /** Learn `in_proj_bias` and `out_proj.bias` (default true; both start at zero). */
  bias?: boolean;
  /** Feature size of the keys (default embedDim). */
  kdim?: number;
  /** Feature size of the values (default embedDim). */
  vdim?: number;
  /** Inputs and output as [N, L, E] instead of [L, N, E] (default false). */
  batchFirst?: boolean;
  dtype?: DType;
  /** Generator for the init (default: the global one). */
  generator?: Generator;
}

export interface AttentionCallOptions {
  /**
   * [N, S] (or [S] unbatched): bool with true = ignore this key (padding), or float, added to
   * the scores.
   */
  keyPaddingMask?: Tensor | null;
  /**
   * [L, S] or [N·numHeads, L, S]: bool with true = may not attend (see `causalMask`), or float,
   * added to the scores (see `generateSquareSubsequentMask`).
   */
  attnMask?: Tensor | null;
  /** Also return the attention weights (default true, as PyTorch). */
  needWeights?: boolean;
  /** Average the returned weights over heads ([N, L, S]) or not ([N, numHeads, L, S]); default true. */
  averageAttnWeights?: boolean;
}

/**
 * Boolean causal mask [L, S] for `attnMask`: true above the diagonal (position i may not attend
 * to keys j > i).
 *
 * @example
 * causalMask(3).arraySync() // [[false, true, true], [false, false, true], [false, false, false]]
 */
export function causalMask(size: number, keySize = size): Tensor {
  return tidy(() => triu(ones([size, keySize]), 1).cast('bool'));
}

/**
 * Float causal mask [sz, sz] with −∞ above the diagonal and 0 elsewhere
 * (`nn.Transformer.generate_square_subsequent_mask`), added to the attention scores.
 *
 * @example generateSquareSubsequentMask(3) // [[0, -inf, -inf], [0, 0, -inf], [0, 0, 0]]
 */
export function generateSquareSubsequentMask(size: number, dtype: DType = 'float32'): Tensor {
  return tidy(() => where(causalMask(size), -Infinity, zeros([], dtype)));
}

/** Masks `scores` [N, H, L, S] with a bool (true → −∞) or float (added) mask broadcastable to it. */
function applyMask(scores: Tensor, mask: Tensor): Tensor {
  return mask.dtype === 'bool' ? where(mask, -Infinity, scores) : add(scores, mask);
}

/**
 * Multi-head attention (`torch.nn.MultiheadAttention`): the query, key and value are projected,
 * split into `numHeads` heads of size embedDim/numHeads, attended with scaled dot products
 * `softmax(q·kᵀ/√d + mask)·v`, concatenated and projected by `out_proj`.
 *
 * `call(query, key?, value?, options?)` → `[output, weights | null]`; the key defaults to the
 * query (self-attention) and the value to the key. Shapes (batchFirst false): query [L, N, E], key [S, N, kdim],
 * value [S, N, vdim], output [L, N, E] ([N, L, E] / [N, S, ·] with `batchFirst`; unbatched
 * [L, E] works too). Weights [N, L, S] averaged over heads, or [N, numHeads, L, S]. A query
 * whose keys are all masked gets NaN, as in PyTorch.
 *
 * Parameters as PyTorch: `in_proj_weight` [3E, E] (or `q_proj_weight`, `k_proj_weight`,
 * `v_proj_weight` when kdim or vdim differ from E), `in_proj_bias` [3E], `out_proj.weight`,
 * `out_proj.bias`; init xavier-uniform projections, zero biases, out_proj.weight as Linear.
 * (PyTorch's `add_bias_kv` and `add_zero_attn` are not supported.)
 *
 * @example
 * const mha = new MultiHeadAttention(16, 4, { batchFirst: true });
 * const x = randn([2, 5, 16]);
 * const [y, w] = mha.call(x, x, x, { attnMask: causalMask(5) }); // y [2, 5, 16], w [2, 5, 5]
 */
export class MultiHeadAttention extends Module<
  [query: Tensor, key?: Tensor | null, value?: Tensor | null, options?: AttentionCallOptions],
  [Tensor, Tensor | null]
> {
  readonly kdim: number;
  readonly vdim: number;
  readonly headDim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  /** [3E, E] when kdim = vdim = E, else null. */
  in_proj_weight: Tensor | null = null;
  q_proj_weight: Tensor | null = null;
  k_proj_weight: Tensor | null = null;
  v_proj_weight: Tensor | null = null;
  in_proj_bias: Tensor | null = null;
  out_proj: Linear;

  constructor(
    readonly embedDim: number,
    readonly numHeads: number,
    options: MultiHeadAttentionOptions = {},
  ) {
    super();
    if (!Number.isInteger(embedDim) || embedDim <= 0 || !Number.isInteger(numHeads) || numHeads <= 0 || embedDim % numHeads !== 0) {
      throw new Error(`MultiHeadAttention: embedDim ${embedDim} must be a positive multiple of numHeads ${numHeads}`);
    }
    this.kdim = options.kdim ?? embedDim;
    this.vdim = options.vdim ?? embedDim;
    this.headDim = embedDim / numHeads;
    this.dropout = options.dropout ?? 0;
    if (!(this.dropout >= 0 && this.dropout <= 1)) throw new Error(`MultiHeadAttention: dropout must be in [0, 1], got ${this.dropout}`);
    this.batchFirst = options.batchFirst ?? false;
    const io = { dtype: options.dtype, generator: options.generator };
    const E = embedDim;
    if (this.kdim === E && this.vdim === E) {
      this.in_proj_weight = parameter(xavierUniform([3 * E, E], io));
    } else {
      this.q_proj_weight = parameter(xavierUniform([E, E], io));
      this.k_proj_weight = parameter(xavierUniform([E, this.kdim], io));
      this.v_proj_weight = parameter(xavierUniform([E, this.vdim], io));
    }
    const bias = options.bias ?? true;
    if (bias) this.in_proj_bias = parameter(zeros([3 * E], options.dtype));
    this.out_proj = new Linear(E, E, { bias, dtype: options.dtype, generator: options.generator });
    if (this.out_proj.bias) {
      const z = zeros([E], options.dtype);
      this.out_proj.bias.assign(z);
      z.dispose();
    }
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return compactConfig({
      embedDim: this.embedDim, numHeads: this.numHeads, kdim: this.kdim, vdim: this.vdim, dropout: this.dropout, batchFirst: this.batchFirst,
      bias: this.in_proj_bias !== null, dtype: floatDType(this),
    });
  }

  forward(
    query: Tensor,
    key?: Tensor | null,
    value?: Tensor | null,
    options: AttentionCallOptions = {},
  ): [Tensor, Tensor | null] {
    const E = this.embedDim;
    const Hn = this.numHeads;
    const d = this.headDim;
    key ??= query;
    value ??= key;
    const unbatched = query.rank === 2;
    const rank = unbatched ? 2 : 3;
    for (const [n, t, f] of [['query', query, E], ['key', key, this.kdim], ['value', value, this.vdim]] as const) {
      if (t.rank !== rank || t.shape[rank - 1] !== f) {
        throw new Error(
          `MultiHeadAttention: ${n} ${fmtShape(t.shape)} should be ${unbatched ? '[len, ' : this.batchFirst ? '[N, len, ' : '[len, N, '}${f}]` +
            (n === 'query' ? '' : ` (rank ${rank}, as the query ${fmtShape(query.shape)})`),
        );
      }
    }
    // batch-major [N, len, F]
    const toNLF = (t: Tensor) => (unbatched ? reshape(t, [1, ...t.shape]) : this.batchFirst ? t : swapAxes(t, 0, 1));
    const qIn = toNLF(query);
    const kIn = key === query ? qIn : toNLF(key);
    const vIn = value === key ? kIn : value === query ? qIn : toNLF(value);
    const [N, L] = [qIn.shape[0]!, qIn.shape[1]!];
    const S = kIn.shape[1]!;
    if (kIn.shape[0] !== N || vIn.shape[0] !== N || vIn.shape[1] !== S) {
      throw new Error(
        `MultiHeadAttention: query ${fmtShape(query.shape)}, key ${fmtShape(key.shape)} and value ${fmtShape(value.shape)} ` +
          'need the same batch size, and key and value the same length',
      );
    }
    let q: Tensor, k: Tensor, v: Tensor;
    if (this.in_proj_weight && qIn === kIn && kIn === vIn) {
      // self-attention: one projection for q, k and v
      [q, k, v] = split(affine(qIn, this.in_proj_weight, this.in_proj_bias), E, 2) as [Tensor, Tensor, Tensor];
    } else {
      const [bq, bk, bv] = this.in_proj_bias ? split(this.in_proj_bias, E, 0) : [null, null, null];
      const [wq, wk, wv] = this.in_proj_weight
        ? split(this.in_proj_weight, E, 0)
        : [this.q_proj_weight!, this.k_proj_weight!, this.v_proj_weight!];
      q = affine(qIn, wq!, bq ?? null);
      k = affine(kIn, wk!, bk ?? null);
      v = affine(vIn, wv!, bv ?? null);
    }
    // [N, len, E] → [N·H, len, d]
    const heads = (t: Tensor, len: number) => reshape(transpose(reshape(t, [N, len, Hn, d]), [0, 2, 1, 3]), [N * Hn, len, d]);
    const qh = div(heads(q, L), Math.sqrt(d));
    const kh = heads(k, S);
    const vh = heads(v, S);
    let scores = reshape(batchMatmul(qh, kh, false, true), [N, Hn, L, S]);
    const { attnMask, keyPaddingMask } = options;
    if (attnMask) {
      const ok2 = attnMask.rank === 2 && attnMask.shape[0] === L && attnMask.shape[1] === S;
      const ok3 = attnMask.rank === 3 && attnMask.shape[0] === N * Hn && attnMask.shape[1] === L && attnMask.shape[2] === S;
      if (!ok2 && !ok3) {
        throw new Error(
          `MultiHeadAttention: attnMask ${fmtShape(attnMask.shape)} should be ${fmtShape([L, S])} or ${fmtShape([N * Hn, L, S])} ([N·numHeads, L, S])`,
        );
      }
      scores = applyMask(scores, ok3 ? reshape(attnMask, [N, Hn, L, S]) : attnMask);
    }
    if (keyPaddingMask) {
      const want = unbatched ? [S] : [N, S];
      if (keyPaddingMask.rank !== want.length || keyPaddingMask.shape.some((x, i) => x !== want[i])) {
        throw new Error(`MultiHeadAttention: keyPaddingMask ${fmtShape(keyPaddingMask.shape)} should be ${fmtShape(want)}`);
      }
      scores = applyMask(scores, reshape(keyPaddingMask, [N, 1, 1, S]));
    }
    let attn = softmax(scores, -1); // [N, H, L, S]
    if (this.dropout > 0 && this.training) attn = dropout(attn, this.dropout, true);
    const ctx = batchMatmul(reshape(attn, [N * Hn, L, S]), vh); // [N·H, L, d]
    const merged = reshape(transpose(reshape(ctx, [N, Hn, L, d]), [0, 2, 1, 3]), [N, L, E]);
    const out = affine(merged, this.out_proj.weight, this.out_proj.bias);
    const output = unbatched ? reshape(out, [L, E]) : this.batchFirst ? out : swapAxes(out, 0, 1);
    if (options.needWeights === false) return [output, null];
    let weights = options.averageAttnWeights === false ? attn : mean(attn, 1);
    if (unbatched) weights = reshape(weights, weights.shape.slice(1));
    return [output, weights];
  }

  override describe(): string {
    return `MultiHeadAttention(embedDim=${this.embedDim}, numHeads=${this.numHeads}${this.dropout ? `, dropout=${this.dropout}` : ''})`;
  }
}

/** PyTorch's spelling of the class name. */
export { MultiHeadAttention as MultiheadAttention };
