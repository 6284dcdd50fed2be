import { conv2d, Generator, linear, type Tensor } from '@mapnn/core';
import { Conv2d, Linear } from '@mapnn/layers';
import type { QParams } from '../quantization/qparams.js';
import { ActivationFakeQuant, type ActivationFakeQuantOptions } from './activation-fake-quant.js';
import { fakeQuantizeWeight } from './weight-fake-quant.js';

/** How a QAT layer fake-quantizes: its path (for errors), fused ReLU and activation options. */
export interface QatLayerOptions extends Omit<ActivationFakeQuantOptions, 'where'> {
  path: string;
  activation: 'none' | 'relu';
  /** Path of the ReLU module fused into the layer (replaced by a pass-through), if any. */
  reluPath: string | null;
  /** 7-bit weights ([−64, 64], as `quantizeModel`'s default `reduceRange`). */
  reduceRange: boolean;
  /**
   * The QAT layer whose (fake-quantized) output reaches this one through max pooling / flatten
   * only: the input is then already on that layer's grid, so this layer has no input quantizer.
   */
  inputFrom: { path: string; quant: ActivationFakeQuant } | null;
}

/** A throwaway generator for the base constructor's init, so preparing leaves the global random stream alone. */
const quietInit = () => new Generator(0);

/**
 * A Conv2d trained with fake quantization (PyTorch's `nn.qat.Conv2d` / `ConvReLU2d`): the input
 * fake-quantized per tensor (`input_quant`), the weight per output channel (symmetric int8,
 * scales from the current weight), conv + bias (float) + the fused ReLU, then the output
 * fake-quantized (`output_quant`); gradients pass straight through inside the ranges. Holds
 * the original layer's weight and bias tensors, so its state-dict paths are the layer's.
 */
export class QatConv2d extends Conv2d {
  readonly input_quant: ActivationFakeQuant | null;
  readonly output_quant: ActivationFakeQuant;
  /** Set when the input comes fake-quantized from another QAT layer (not a child: its own module). */
  declare readonly inputFrom: QatLayerOptions['inputFrom'];
  readonly reduceRange: boolean;
  readonly fusedActivation: 'none' | 'relu';
  readonly path: string;
  readonly reluPath: string | null;

  constructor(conv: Conv2d, o: QatLayerOptions) {
    super(conv.inChannels, conv.outChannels, conv.kernelSize, {
      stride: conv.stride, padding: conv.padding, dilation: conv.dilation, groups: conv.groups, bias: conv.bias !== null, generator: quietInit(),
    });
    this.weight.dispose();
    this.bias?.dispose();
    this.weight = conv.weight;
    this.bias = conv.bias;
    this.fusedActivation = o.activation;
    this.path = o.path;
    this.reluPath = o.reluPath;
    this.reduceRange = o.reduceRange;
    this.input_quant = o.inputFrom ? null : new ActivationFakeQuant({ ...o, where: `layer '${o.path}' input` });
    this.output_quant = new ActivationFakeQuant({ ...o, where: `layer '${o.path}' output` });
    Object.defineProperty(this, 'inputFrom', { value: o.inputFrom, enumerable: false });
    this.train(conv.training);
  }

  /** The input on its int8 grid: fake-quantized here, or as it came from `inputFrom`'s layer. */
  private quantizeInput(x: Tensor): Tensor {
    return this.input_quant ? this.input_quant.call(x) : x;
  }

  /** Scale and zero point of the input (this layer's quantizer or `inputFrom`'s output one). */
  inputQParams(): QParams {
    return (this.input_quant ?? this.inputFrom!.quant).qparams();
  }

  override forward(x: Tensor): Tensor {
    const y = conv2d(this.quantizeInput(x), fakeQuantizeWeight(this.weight, this.reduceRange), this.bias, {
      stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups, activation: this.fusedActivation,
    });
    return this.output_quant.call(y);
  }

  override describe(): string {
    return `QatConv2d(${this.inChannels}, ${this.outChannels}, kernel=[${this.kernelSize.join(', ')}], int8 fake-quant${this.fusedActivation === 'relu' ? ', relu' : ''})`;
  }
}

/** A Linear trained with fake quantization (`nn.qat.Linear` / `LinearReLU`), as `QatConv2d`. */
export class QatLinear extends Linear {
  readonly input_quant: ActivationFakeQuant | null;
  readonly output_quant: ActivationFakeQuant;
  /** Set when the input comes fake-quantized from another QAT layer (not a child: its own module). */
  declare readonly inputFrom: QatLayerOptions['inputFrom'];
  readonly reduceRange: boolean;
  readonly fusedActivation: 'none' | 'relu';
  readonly path: string;
  readonly reluPath: string | null;

  constructor(fc: Linear, o: QatLayerOptions) {
    super(fc.inFeatures, fc.outFeatures, { bias: fc.bias !== null, generator: quietInit() });
    this.weight.dispose();
    this.bias?.dispose();
    this.weight = fc.weight;
    this.bias = fc.bias;
    this.fusedActivation = o.activation;
    this.path = o.path;
    this.reluPath = o.reluPath;
    this.reduceRange = o.reduceRange;
    this.input_quant = o.inputFrom ? null : new ActivationFakeQuant({ ...o, where: `layer '${o.path}' input` });
    this.output_quant = new ActivationFakeQuant({ ...o, where: `layer '${o.path}' output` });
    Object.defineProperty(this, 'inputFrom', { value: o.inputFrom, enumerable: false });
    this.train(fc.training);
  }

  /** The input on its int8 grid: fake-quantized here, or as it came from `inputFrom`'s layer. */
  private quantizeInput(x: Tensor): Tensor {
    return this.input_quant ? this.input_quant.call(x) : x;
  }

  /** Scale and zero point of the input (this layer's quantizer or `inputFrom`'s output one). */
  inputQParams(): QParams {
    return (this.input_quant ?? this.inputFrom!.quant).qparams();
  }

  override forward(x: Tensor): Tensor {
    const y = linear(this.quantizeInput(x), fakeQuantizeWeight(this.weight, this.reduceRange), this.bias, { activation: this.fusedActivation });
    return this.output_quant.call(y);
  }

  override describe(): string {
    return `QatLinear(${this.inFeatures}, ${this.outFeatures}, int8 fake-quant${this.fusedActivation === 'relu' ? ', relu' : ''})`;
  }
}
