import { Generator } from '@mapnn/core';
import { Conv2d, Linear, ReLU, type Module } from '@mapnn/layers';
import type { Calibration, CalibratedLayer } from '../quantization/calibrate.js';
import type { QuantCompute } from '../quantization/int8-tensors.js';
import { quantizeModel } from '../quantization/quantize-model.js';
import { registerFoldedBatchNorm } from './fold-batch-norm.js';
import { replaceModuleAt } from './prepare-qat.js';
import { QatConv2d, QatLinear } from './qat-layers.js';

export interface ConvertQatOptions {
  /** How the quantized layers compute: 'int8' (default, the core QLinear ops) or 'simulate' (float fake-quant). */
  compute?: QuantCompute;
}

type QatLayer = QatConv2d | QatLinear;

/** The float layer a QAT layer trains, holding the same weight and bias tensors. */
function floatLayer(m: QatLayer): Conv2d | Linear {
  const quiet = { generator: new Generator(0), bias: m.bias !== null };
  const f = m instanceof QatLinear
    ? new Linear(m.inFeatures, m.outFeatures, quiet)
    : new Conv2d(m.inChannels, m.outChannels, m.kernelSize, { ...quiet, stride: m.stride, padding: m.padding, dilation: m.dilation, groups: m.groups });
  f.weight.dispose();
  f.bias?.dispose();
  f.weight = m.weight;
  f.bias = m.bias;
  return f;
}

/** What the observers (or LSQ) of a QAT layer arrived at, as a post-training calibration records it. */
function calibratedLayer(path: string, m: QatLayer): CalibratedLayer {
  const inputQuant = m.input_quant ?? m.inputFrom!.quant;
  return {
    path,
    type: m instanceof QatLinear ? 'Linear' : 'Conv2d',
    activation: m.fusedActivation,
    reluPath: m.reluPath,
    inputRange: inputQuant.observedRange(),
    outputRange: m.output_quant.observedRange(),
    input: m.inputQParams(),
    output: m.output_quant.qparams(),
  };
}

/**
 * Turns a model trained by `prepareQat` into the post-training quantized model
 * (`torch.ao.quantization.convert`): the result is what `quantizeModel` makes — a copy with
 * `QuantizedConv2d` / `QuantizedLinear` layers (trained weights as per-channel int8, exactly the
 * values the fake-quant forward used; int32 biases), the scales and zero points the QAT
 * observers (or LSQ) arrived at, int8 tensors chained through max pooling / flatten — so it
 * runs on the int8 path and exports with `exportQdqOnnx`. The QAT model is left as it was.
 * Throws when the model has no QAT layer or one never observed a batch.
 *
 * @example
 * const int8 = convertQat(qat);
 * const bytes = exportQdqOnnx(int8, sample);
 */
export function convertQat<M extends Module<any, any>>(model: M, options: ConvertQatOptions = {}): M {
  const qat = model.namedModules().filter((e): e is [string, QatLayer] => e[1] instanceof QatConv2d || e[1] instanceof QatLinear);
  if (!qat.length) throw new Error('convertQat: the model has no QAT layer (prepare it with prepareQat and train it first)');
  const layers = qat.map(([path, m]) => calibratedLayer(path, m));
  const reduceRange = qat[0]![1].reduceRange;
  const odd = qat.find(([, m]) => m.reduceRange !== reduceRange);
  if (odd) throw new Error(`convertQat: layer '${odd[0]}' has reduceRange ${odd[1].reduceRange}, layer '${qat[0]![0]}' ${reduceRange}; prepare all layers alike`);
  const calibration: Calibration = { observer: 'moving-average', activationDtype: layers[0]!.output.dtype, layers };
  registerFoldedBatchNorm();
  // quantize the float model the QAT one trains (same tensors), then put the QAT layers back
  const restore: [string, Module<any, any>][] = [];
  const swap = (path: string, m: Module<any, any>) => {
    restore.push([path, model.namedModules().find(([p]) => p === path)![1]]);
    replaceModuleAt(model, path, m);
  };
  try {
    for (const [path, m] of qat) {
      swap(path, floatLayer(m));
      if (m.reluPath) swap(m.reluPath, new ReLU());
    }
    return quantizeModel(model, calibration, { reduceRange, compute: options.compute }).eval();
  } finally {
    for (const [path, m] of restore.reverse()) replaceModuleAt(model, path, m);
  }
}
