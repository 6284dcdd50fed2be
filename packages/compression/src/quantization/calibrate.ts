import { noGrad, type Tensor } from '@mapnn/core';
import { Linear, type Module } from '@mapnn/layers';
import { createObserver, type Observer, type ObserverSpec } from './observer.js';
import { computeQParams, type QParams, type QuantDType } from './qparams.js';
import { moduleAt, quantizableLayers, type QuantizableLayer } from './quantizable-layers.js';

export interface CalibrateOptions {
  /** Activation observer (default 'minmax'). */
  observer?: ObserverSpec;
  /** Activation type: 'int8' (S8S8, ONNX Runtime's default; default) or 'uint8' (U8S8). */
  activationDtype?: QuantDType;
  /** State-dict paths of the layers to quantize (default: every Conv2d and Linear). */
  layers?: readonly string[];
}

/** Calibrated quantization parameters of one layer. */
export interface CalibratedLayer {
  path: string;
  type: 'Conv2d' | 'Linear';
  activation: 'none' | 'relu';
  reluPath: string | null;
  /** Observed ranges and the per-tensor asymmetric parameters made from them. */
  inputRange: [number, number];
  outputRange: [number, number];
  input: QParams;
  output: QParams;
}

export interface Calibration {
  observer: ObserverSpec;
  activationDtype: QuantDType;
  layers: CalibratedLayer[];
}

interface Watch {
  layer: QuantizableLayer;
  input: Observer;
  output: Observer;
}

function observeInto(obs: Observer, t: unknown, what: string): void {
  try {
    obs.observe((t as Tensor).dataSync());
  } catch (e) {
    throw new RangeError(`calibrate: ${what}: ${(e as Error).message}`);
  }
}

/** Forward hooks recording each layer's input and its (ReLU'd) output; returns their removers. */
function watch(model: Module<any, any>, w: Watch): { remove(): void }[] {
  const name = `layer '${w.layer.path}' (${w.layer.module.constructor.name})`;
  const hooks = [
    w.layer.module.registerForwardHook((_m, inputs) => observeInto(w.input, inputs[0], `${name} input`)),
  ];
  const outModule = w.layer.reluPath ? moduleAt(model, w.layer.reluPath)! : w.layer.module;
  hooks.push(outModule.registerForwardHook((_m, _i, out) => observeInto(w.output, out, `${name} output`)));
  return hooks;
}

function rangeOf(obs: Observer, what: string): [number, number] {
  try {
    return obs.range();
  } catch (e) {
    throw new Error(`calibrate: ${what}: ${(e as Error).message}`);
  }
}

/**
 * Post-training calibration: runs `batches` through `model` (eval mode, no gradients) with
 * forward hooks on every layer to quantize, observes each layer's input and output (after the
 * ReLU fused into it) and turns the observed ranges into per-tensor asymmetric scale / zero
 * point (`computeQParams`). Throws on empty or non-finite calibration data and on a layer that
 * cannot be quantized, naming the layer.
 *
 * @example
 * const cal = calibrate(model, [x0, x1, x2], { observer: 'entropy' });
 * const q = quantizeModel(model, cal);
 */
export function calibrate(model: Module<any, any>, batches: Iterable<Tensor>, options: CalibrateOptions = {}): Calibration {
  const observer = options.observer ?? 'minmax';
  const dtype = options.activationDtype ?? 'int8';
  const layers = quantizableLayers(model, options.layers);
  const watches: Watch[] = layers.map((layer) => ({ layer, input: createObserver(observer, dtype), output: createObserver(observer, dtype) }));
  const hooks = watches.flatMap((w) => watch(model, w));
  const wasTraining = model.training;
  model.eval();
  let count = 0;
  try {
    for (const x of batches) {
      if (x.size === 0) throw new Error(`calibrate: calibration batch ${count} is empty (shape [${x.shape.join(', ')}])`);
      noGrad(() => model.call(x).dispose?.());
      count++;
    }
  } finally {
    hooks.forEach((h) => h.remove());
    model.train(wasTraining);
  }
  if (!count) throw new Error('calibrate: no calibration batches (empty calibration data)');
  return {
    observer,
    activationDtype: dtype,
    layers: watches.map(({ layer, input, output }) => {
      const name = `layer '${layer.path}'`;
      const inputRange = rangeOf(input, `${name} input (was the layer called?)`);
      const outputRange = rangeOf(output, `${name} output`);
      return {
        path: layer.path,
        type: layer.module instanceof Linear ? 'Linear' : 'Conv2d',
        activation: layer.activation,
        reluPath: layer.reluPath,
        inputRange,
        outputRange,
        input: computeQParams(...inputRange, { dtype }),
        output: computeQParams(...outputRange, { dtype }),
      };
    }),
  };
}
