import { eq, indexSelect, isFloat, normal, reshape, tensor, where, type DType, type Generator, type Tensor } from '@mapnn/core';
import { Module, parameter } from './module.js';
import { compactConfig, floatDType, type ModuleConfig } from './serialization/config.js';

export interface EmbeddingOptions {
  /** Row that encodes padding: initialised to zeros and never updated (gets no gradient). Negative counts from the end. */
  paddingIdx?: number | null;
  /** Generator for the default init N(0, 1). */
  generator?: Generator;
  dtype?: DType;
}

/**
 * Lookup table (`torch.nn.Embedding`): integer indices of any shape → their rows of `weight`
 * [numEmbeddings, embeddingDim], output [...indices.shape, embeddingDim]. Default init N(0, 1)
 * with the `paddingIdx` row zeroed; that row receives no gradient.
 *
 * @example
 * const emb = new Embedding(100, 16, { paddingIdx: 0 });
 * emb.call(tensor([[1, 2, 0]], undefined, 'int32')).shape // [1, 3, 16]
 */
export class Embedding extends Module {
  weight: Tensor;
  readonly paddingIdx: number | null;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    options: EmbeddingOptions = {},
  ) {
    super();
    let pad = options.paddingIdx ?? null;
    if (pad !== null) {
      if (!Number.isInteger(pad) || pad >= numEmbeddings || pad < -numEmbeddings) {
        throw new Error(`Embedding: paddingIdx must be an integer in [-${numEmbeddings}, ${numEmbeddings}), got ${pad}`);
      }
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    const dtype = options.dtype ?? 'float32';
    let w = normal([numEmbeddings, embeddingDim], 0, 1, { generator: options.generator, dtype });
    if (pad !== null) {
      const data = Float64Array.from(w.dataSync());
      data.fill(0, pad * embeddingDim, (pad + 1) * embeddingDim);
      w.dispose();
      w = tensor(data, [numEmbeddings, embeddingDim], dtype);
    }
    this.weight = parameter(w);
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return compactConfig({ numEmbeddings: this.numEmbeddings, embeddingDim: this.embeddingDim, paddingIdx: this.paddingIdx, dtype: floatDType(this) });
  }

  forward(indices: Tensor): Tensor {
    if (isFloat(indices.dtype) || indices.dtype === 'bool') {
      throw new Error(`Embedding: indices must be int32 or int64, got ${indices.dtype}`);
    }
    const flat = reshape(indices, [-1]);
    let rows = indexSelect(this.weight, 0, flat);
    if (this.paddingIdx !== null) {
      // Same values, but the padding positions take the detached copy: no gradient to that row.
      const isPad = reshape(eq(flat, this.paddingIdx), [-1, 1]);
      rows = where(isPad, rows.detach(), rows);
    }
    return reshape(rows, [...indices.shape, this.embeddingDim]);
  }

  override describe(): string {
    return `Embedding(${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, paddingIdx=${this.paddingIdx}` : ''})`;
  }
}
