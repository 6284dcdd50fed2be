import { add, gelu, relu, type DType, type Generator, type Tensor } from '@mapnn/core';
import { Dropout } from './dropout.js';
import { LayerNorm } from './layer-norm.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { MultiHeadAttention } from './multi-head-attention.js';
import { ModuleList } from './sequential.js';
import { compactConfig, floatDType, type ModuleConfig } from './serialization/config.js';

export interface TransformerEncoderLayerOptions {
  /** Hidden size of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout after attention, inside and after the feed-forward block (default 0.1). */
  dropout?: number;
  /** Feed-forward activation: 'relu' (default), 'gelu' (exact) or a function. */
  activation?: 'relu' | 'gelu' | ((x: Tensor) => Tensor);
  /** LayerNorm eps (default 1e-5). */
  layerNormEps?: number;
  /** Input and output as [N, S, E] instead of [S, N, E] (default false). */
  batchFirst?: boolean;
  /** Pre-norm (LayerNorm before attention and feed-forward) instead of post-norm (default false). */
  normFirst?: boolean;
  dtype?: DType;
  generator?: Generator;
}

export interface EncoderCallOptions {
  /** Attention mask [S, S] or [N·nhead, S, S] (bool true = masked, or float added); see `causalMask`. */
  mask?: Tensor | null;
  /** [N, S] bool, true = padding (ignored as a key). */
  srcKeyPaddingMask?: Tensor | null;
}

/**
 * One Transformer encoder block (`torch.nn.TransformerEncoderLayer`): self-attention and a
 * feed-forward block `linear2(dropout(act(linear1(x))))`, each with a residual connection and
 * LayerNorm — after the residual (post-norm, default) or before the sub-block (`normFirst`):
 *
 * ```
 * post-norm: x = norm1(x + sa(x));        x = norm2(x + ff(x))
 * pre-norm:  x = x + sa(norm1(x));        x = x + ff(norm2(x))
 * ```
 *
 * `call(src, { mask?, srcKeyPaddingMask? })`: src [S, N, dModel] ([N, S, dModel] with
 * `batchFirst`). Parameter names as PyTorch (`self_attn.in_proj_weight`, `self_attn.out_proj.*`,
 * `linear1.*`, `linear2.*`, `norm1.*`, `norm2.*`), so a PyTorch `state_dict` loads 1:1.
 *
 * @example
 * const layer = new TransformerEncoderLayer(32, 4, { dimFeedforward: 64, batchFirst: true });
 * layer.call(randn([2, 10, 32])).shape // [2, 10, 32]
 */
export class TransformerEncoderLayer extends Module<[src: Tensor, options?: EncoderCallOptions], Tensor> {
  self_attn: MultiHeadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  norm1: LayerNorm;
  norm2: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  readonly normFirst: boolean;
  readonly batchFirst: boolean;
  private readonly act: (x: Tensor) => Tensor;
  private readonly actName: string;

  constructor(
    readonly dModel: number,
    readonly nhead: number,
    options: TransformerEncoderLayerOptions = {},
  ) {
    super();
    const ff = options.dimFeedforward ?? 2048;
    const p = options.dropout ?? 0.1;
    const common = { dtype: options.dtype, generator: options.generator };
    this.batchFirst = options.batchFirst ?? false;
    this.normFirst = options.normFirst ?? false;
    this.self_attn = new MultiHeadAttention(dModel, nhead, { dropout: p, batchFirst: this.batchFirst, ...common });
    this.linear1 = new Linear(dModel, ff, common);
    this.dropout = new Dropout(p, { generator: options.generator });
    this.linear2 = new Linear(ff, dModel, common);
    const eps = options.layerNormEps ?? 1e-5;
    this.norm1 = new LayerNorm(dModel, { eps, dtype: options.dtype });
    this.norm2 = new LayerNorm(dModel, { eps, dtype: options.dtype });
    this.dropout1 = new Dropout(p, { generator: options.generator });
    this.dropout2 = new Dropout(p, { generator: options.generator });
    const act = options.activation ?? 'relu';
    if (typeof act === 'function') {
      this.act = act;
      this.actName = act.name || 'custom';
    } else if (act === 'relu' || act === 'gelu') {
      this.act = act === 'relu' ? (x) => relu(x) : (x) => gelu(x);
      this.actName = act;
    } else {
      throw new Error(`TransformerEncoderLayer: activation must be 'relu', 'gelu' or a function, got '${String(act)}'`);
    }
  }

  /**
   * Constructor arguments as JSON, for `saveModel` (see `registerModule`). A function
   * `activation` cannot be saved: register a subclass that names it.
   */
  getConfig(): ModuleConfig {
    if (this.actName !== 'relu' && this.actName !== 'gelu') {
      throw new Error(`TransformerEncoderLayer.getConfig: activation '${this.actName}' is a function, which JSON cannot hold; use 'relu' or 'gelu', or save a registered subclass`);
    }
    return compactConfig({
      dModel: this.dModel, nhead: this.nhead, dimFeedforward: this.linear1.outFeatures, dropout: this.dropout.p, activation: this.actName,
      layerNormEps: this.norm1.eps, batchFirst: this.batchFirst, normFirst: this.normFirst, dtype: floatDType(this),
    });
  }

  forward(src: Tensor, options: EncoderCallOptions = {}): Tensor {
    const sa = (x: Tensor) =>
      this.dropout1.call(
        this.self_attn.call(x, x, x, { attnMask: options.mask, keyPaddingMask: options.srcKeyPaddingMask, needWeights: false })[0],
      );
    const ff = (x: Tensor) => this.dropout2.call(this.linear2.call(this.dropout.call(this.act(this.linear1.call(x)))));
    let x = src;
    if (this.normFirst) {
      x = add(x, sa(this.norm1.call(x)));
      x = add(x, ff(this.norm2.call(x)));
    } else {
      x = this.norm1.call(add(x, sa(x)));
      x = this.norm2.call(add(x, ff(x)));
    }
    return x;
  }

  override describe(): string {
    return `TransformerEncoderLayer(dModel=${this.dModel}, nhead=${this.nhead}, dimFeedforward=${this.linear1.outFeatures}, activation=${this.actName}${this.normFirst ? ', normFirst=true' : ''})`;
  }
}

/**
 * A stack of encoder layers (`torch.nn.TransformerEncoder`), each made by `makeLayer` (layers
 * do not share parameters), optionally followed by a final `norm`. State-dict keys as PyTorch:
 * `layers.0.self_attn.in_proj_weight`, …, `norm.weight`.
 *
 * @example
 * const enc = new TransformerEncoder(() => new TransformerEncoderLayer(32, 4, { batchFirst: true }), 2);
 * enc.call(randn([2, 10, 32]), { mask: causalMask(10) });
 */
export class TransformerEncoder extends Module<[src: Tensor, options?: EncoderCallOptions], Tensor> {
  layers: ModuleList<TransformerEncoderLayer>;
  norm: LayerNorm | null;

  constructor(makeLayer: (index: number) => TransformerEncoderLayer, readonly numLayers: number, norm: LayerNorm | null = null) {
    super();
    if (!Number.isInteger(numLayers) || numLayers < 1) throw new Error(`TransformerEncoder: numLayers must be a positive integer, got ${numLayers}`);
    const made = Array.from({ length: numLayers }, (_, i) => makeLayer(i));
    if (new Set(made).size !== made.length) {
      throw new Error('TransformerEncoder: makeLayer returned the same layer twice; it must build a new layer on every call');
    }
    this.layers = new ModuleList(made);
    this.norm = norm;
  }

  forward(src: Tensor, options: EncoderCallOptions = {}): Tensor {
    let x = src;
    for (const layer of this.layers) x = layer.call(x, options);
    return this.norm ? this.norm.call(x) : x;
  }
}
