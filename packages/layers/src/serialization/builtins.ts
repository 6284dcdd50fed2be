// The built-in layers under their class names, with the config keys their constructors take
// positionally (the rest of the config is the options argument).
import type { DType } from '@mapnn/core';
import { ELU, GELU, LeakyReLU, LogSoftmax, PReLU, ReLU, SELU, Sigmoid, SiLU, Softmax, Softplus, Tanh } from '../activations/index.js';
import { AdaptiveAvgPool2d } from '../adaptive-avg-pool2d.js';
import { AvgPool1d } from '../avg-pool1d.js';
import { AvgPool2d } from '../avg-pool2d.js';
import { BatchNorm1d, BatchNorm2d } from '../batch-norm.js';
import { ConvTranspose2d } from '../conv-transpose2d.js';
import { Conv1d } from '../conv1d.js';
import { Conv2d } from '../conv2d.js';
import { DenseBlock, DenseLayer } from '../dense-block.js';
import { Dropout } from '../dropout.js';
import { Embedding } from '../embedding.js';
import { Flatten } from '../flatten.js';
import { GlobalAvgPool2d } from '../global-avg-pool2d.js';
import { GroupNorm } from '../group-norm.js';
import { GRU } from '../gru.js';
import { LayerNorm } from '../layer-norm.js';
import { Linear } from '../linear.js';
import { LSTM } from '../lstm.js';
import { MaxPool1d } from '../max-pool1d.js';
import { MaxPool2d } from '../max-pool2d.js';
import type { Module } from '../module.js';
import { MultiHeadAttention } from '../multi-head-attention.js';
import { ResidualBlock } from '../residual-block.js';
import { RNN } from '../rnn.js';
import { SeparableConv2d } from '../separable-conv2d.js';
import { ModuleList, Sequential } from '../sequential.js';
import { TransformerEncoder, TransformerEncoderLayer } from '../transformer-encoder-layer.js';
import { deserializeModule, serializeModule, type ModuleSpec } from './architecture.js';
import type { JsonValue, ModuleConfig } from './config.js';
import type { ModuleClass, RegisterModuleOptions } from './module-registry.js';

type Builtin = [name: string, cls: ModuleClass<any>, options: RegisterModuleOptions<any>];

const positional = (...args: string[]): RegisterModuleOptions => ({ args });

/** Built by a layer factory: the config holds each layer's spec (and the final norm's). */
const transformerEncoder: RegisterModuleOptions<TransformerEncoder> = {
  getConfig: (m): ModuleConfig => ({
    numLayers: m.numLayers,
    layers: [...m.layers].map((l) => serializeModule(l) as unknown as JsonValue),
    norm: m.norm ? (serializeModule(m.norm) as unknown as JsonValue) : null,
  }),
  fromConfig: (c) => {
    const layers = c.layers as unknown as ModuleSpec[];
    if (!Array.isArray(layers)) throw new Error(`'layers' must be an array of TransformerEncoderLayer specs`);
    const norm = c.norm ? (deserializeModule(c.norm) as LayerNorm) : null;
    return new TransformerEncoder((i) => deserializeModule(layers[i]) as TransformerEncoderLayer, c.numLayers as number, norm);
  },
};

/** The built-in module classes (a function, so that nothing is built at import). */
export function builtinModules(): Builtin[] {
  const channels = positional('inChannels', 'outChannels', 'kernelSize');
  return [
    ['Sequential', Sequential, { fromChildren: (children: Module<any, any>[]) => new Sequential(...children) }],
    ['ModuleList', ModuleList, { fromChildren: (children: Module<any, any>[]) => new ModuleList(children) }],
    ['Linear', Linear, positional('inFeatures', 'outFeatures')],
    ['Conv1d', Conv1d, channels],
    ['Conv2d', Conv2d, channels],
    ['ConvTranspose2d', ConvTranspose2d, channels],
    ['SeparableConv2d', SeparableConv2d, channels],
    ['MaxPool1d', MaxPool1d, positional('kernelSize')],
    ['MaxPool2d', MaxPool2d, positional('kernelSize')],
    ['AvgPool1d', AvgPool1d, positional('kernelSize')],
    ['AvgPool2d', AvgPool2d, positional('kernelSize')],
    ['AdaptiveAvgPool2d', AdaptiveAvgPool2d, positional('outputSize')],
    ['GlobalAvgPool2d', GlobalAvgPool2d, positional()],
    ['Flatten', Flatten, positional('startDim', 'endDim')],
    ['Dropout', Dropout, positional('p')],
    ['LayerNorm', LayerNorm, positional('normalizedShape')],
    ['GroupNorm', GroupNorm, positional('numGroups', 'numChannels')],
    ['BatchNorm1d', BatchNorm1d, positional('numFeatures')],
    ['BatchNorm2d', BatchNorm2d, positional('numFeatures')],
    ['Embedding', Embedding, positional('numEmbeddings', 'embeddingDim')],
    ['ResidualBlock', ResidualBlock, positional('inChannels', 'outChannels')],
    ['DenseLayer', DenseLayer, positional('inChannels', 'growthRate')],
    ['DenseBlock', DenseBlock, positional('numLayers', 'inChannels', 'growthRate')],
    ['RNN', RNN, positional('inputSize', 'hiddenSize')],
    ['LSTM', LSTM, positional('inputSize', 'hiddenSize')],
    ['GRU', GRU, positional('inputSize', 'hiddenSize')],
    ['MultiHeadAttention', MultiHeadAttention, positional('embedDim', 'numHeads')],
    ['TransformerEncoderLayer', TransformerEncoderLayer, positional('dModel', 'nhead')],
    ['TransformerEncoder', TransformerEncoder, transformerEncoder],
    ['ReLU', ReLU, positional()],
    ['LeakyReLU', LeakyReLU, positional('negativeSlope')],
    ['ELU', ELU, positional('alpha')],
    ['SELU', SELU, positional()],
    ['GELU', GELU, positional('approximate')],
    ['Sigmoid', Sigmoid, positional()],
    ['Tanh', Tanh, positional()],
    ['Softmax', Softmax, positional('dim')],
    ['LogSoftmax', LogSoftmax, positional('dim')],
    ['Softplus', Softplus, positional('beta', 'threshold')],
    ['SiLU', SiLU, positional()],
    // the init slope is not config: the weights replace it
    ['PReLU', PReLU, { fromConfig: (c) => new PReLU(c.numParameters as number, undefined, { dtype: c.dtype as DType | undefined }) }],
  ];
}
