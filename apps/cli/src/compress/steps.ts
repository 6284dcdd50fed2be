import { tidy, type Tensor } from '@mapnn/core';
import { isParameter, type Module } from '@mapnn/layers';
import {
  calibrate, encodeHalfSafetensors, exportQdqOnnx, globalUnstructured, pruneChannels, quantizeModel, removePruning,
  type ChannelPruningReport, type PruneTarget,
} from '@mapnn/compression';
import { CliError, messageOf } from '../errors.js';

/** The modules whose `weight` is a parameter of two or more dims (Linear, Conv, Embedding): what --prune ranks. */
export function pruneTargets(model: Module<any, any>): PruneTarget[] {
  return model.modules().filter((m) => {
    const w = (m as unknown as Record<string, unknown>).weight;
    return isParameter(w) && (w as Tensor).shape.length >= 2;
  });
}

/**
 * `--prune P`: global unstructured L1 magnitude pruning of every weight matrix / kernel
 * together (`globalUnstructured`), then the masks baked in (`removePruning`): the pruned
 * weights are plain zeros.
 */
export function pruneUnstructured(model: Module<any, any>, amount: number): void {
  const targets = pruneTargets(model);
  if (!targets.length) throw new CliError('--prune: the model has no weight matrix or convolution kernel to prune');
  try {
    globalUnstructured(targets, { amount });
    removePruning(model);
  } catch (e) {
    throw new CliError(`--prune ${amount}: ${messageOf(e)}`);
  }
}

/** `--prune P --structured`: removes P of the output channels of each convolution group (`pruneChannels`). */
export function pruneStructured(model: Module<any, any>, amount: number, inputShape: number[]): ChannelPruningReport {
  try {
    return pruneChannels(model, { amount, norm: 'l1', exampleInput: [1, ...inputShape], layers: 'conv' });
  } catch (e) {
    throw new CliError(`--prune ${amount} --structured: ${messageOf(e)}`);
  }
}

/** Finds a NaN / infinite value in the calibration inputs, naming the sample. */
function checkFinite(batches: Tensor[], source: string): void {
  let sample = 0;
  for (const b of batches) {
    const v = b.dataSync();
    const per = b.shape[0] ? v.length / b.shape[0] : 0;
    const bad = v.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new CliError(`--calibrate ${source}: sample ${sample + Math.floor(bad / per)} holds ${v[bad]} (calibration data must be finite)`);
    sample += b.shape[0]!;
  }
}

/**
 * `--quantize int8`: min-max calibration of every Conv2d / Linear on `batches` (model inputs,
 * normalised), the fused fake-quant model (`quantizeModel`) and its ONNX QDQ graph.
 */
export function quantizeInt8(model: Module<any, any>, batches: Tensor[], source: string, sample: Tensor): { quantized: Module<any, any>; onnx: Uint8Array } {
  if (!batches.length || batches.every((b) => b.shape[0] === 0)) throw new CliError(`--calibrate ${source}: no calibration samples (the data set is empty)`);
  checkFinite(batches, source);
  let quantized: Module<any, any>;
  try {
    quantized = quantizeModel(model, calibrate(model, batches));
  } catch (e) {
    throw new CliError(`--quantize int8 (calibrated on ${source}): ${messageOf(e)}`);
  }
  try {
    return { quantized, onnx: tidy(() => exportQdqOnnx(quantized, sample, { inputNames: ['input'], outputNames: ['output'], dynamicBatch: true, producerName: 'mapnn' })) };
  } catch (e) {
    throw new CliError(`--quantize int8: the QDQ ONNX export failed: ${messageOf(e)}`);
  }
}

/**
 * `--quantize fp16`: an F16 safetensors checkpoint of the float32 weights, each rounded to
 * nearest even (`encodeHalfSafetensors`; the values `toHalf` would give).
 */
export function halfCheckpoint(model: Module<any, any>): Uint8Array {
  try {
    return encodeHalfSafetensors(model, { dtype: 'float16' });
  } catch (e) {
    throw new CliError(`--quantize fp16: ${messageOf(e)}`);
  }
}
