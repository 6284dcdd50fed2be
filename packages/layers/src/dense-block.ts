import { concat, relu, type DType, type Generator, type Tensor } from '@mapnn/core';
import { BatchNorm2d } from './batch-norm.js';
import { Conv2d } from './conv2d.js';
import { Module } from './module.js';
import { ModuleList } from './sequential.js';
import { compactConfig, floatDType, type ModuleConfig } from './serialization/config.js';

/**
 * One DenseNet layer: BN → ReLU → 3×3 conv (padding 1, no bias) producing `growthRate` channels.
 *
 * @example new DenseLayer(16, 12).call(zeros([1, 16, 8, 8])).shape // [1, 12, 8, 8]
 */
export class DenseLayer extends Module {
  norm: BatchNorm2d;
  conv: Conv2d;

  constructor(inChannels: number, growthRate: number, options: { generator?: Generator; dtype?: DType } = {}) {
    super();
    this.norm = new BatchNorm2d(inChannels, { dtype: options.dtype });
    this.conv = new Conv2d(inChannels, growthRate, 3, { padding: 1, bias: false, generator: options.generator, dtype: options.dtype });
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return compactConfig({ inChannels: this.norm.numFeatures, growthRate: this.conv.outChannels, dtype: floatDType(this) });
  }

  forward(x: Tensor): Tensor {
    return this.conv.call(relu(this.norm.call(x)));
  }
}

/**
 * DenseNet block (Huang et al. 2017): `numLayers` layers of BN → ReLU → Conv3×3(growthRate);
 * each layer sees the concatenation (along channels) of the block input and every previous
 * layer's output, and the block returns the concatenation of all of them:
 * [N, inChannels + numLayers·growthRate, H, W]. State-dict keys `layers.<i>.norm.weight`,
 * `layers.<i>.conv.weight`, …
 *
 * @example
 * const block = new DenseBlock(3, 16, 12);
 * block.call(zeros([1, 16, 8, 8])).shape // [1, 52, 8, 8]
 */
export class DenseBlock extends Module {
  layers: ModuleList<DenseLayer>;

  constructor(
    readonly numLayers: number,
    readonly inChannels: number,
    readonly growthRate: number,
    options: { generator?: Generator; dtype?: DType } = {},
  ) {
    super();
    this.layers = new ModuleList(Array.from({ length: numLayers }, (_, i) => new DenseLayer(inChannels + i * growthRate, growthRate, options)));
  }

  /** Channels of the block's output. */
  get outChannels(): number {
    return this.inChannels + this.numLayers * this.growthRate;
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return compactConfig({ numLayers: this.numLayers, inChannels: this.inChannels, growthRate: this.growthRate, dtype: floatDType(this) });
  }

  forward(x: Tensor): Tensor {
    const features: Tensor[] = [x];
    for (const layer of this.layers) {
      const input = features.length === 1 ? x : concat(features, 1);
      features.push(layer.call(input));
    }
    return features.length === 1 ? x : concat(features, 1);
  }

  override describe(): string {
    return `DenseBlock(numLayers=${this.numLayers}, inChannels=${this.inChannels}, growthRate=${this.growthRate})`;
  }
}
