import { deserializeModule, Linear, MaxPool2d, serializeModule, type Conv2d, type Module } from '@mapnn/layers';
import type { Calibration, CalibratedLayer } from './calibrate.js';
import { FusedReLU } from './fused-relu.js';
import { int8Links } from './int8-chain.js';
import type { QuantCompute } from './int8-tensors.js';
import { moduleAt } from './quantizable-layers.js';
import { QuantizedConv2d } from './quantized-conv2d.js';
import { QuantizedLinear } from './quantized-linear.js';
import { QuantizedMaxPool2d } from './quantized-max-pool2d.js';

/** Options of `quantizeModel`. */
export interface QuantizeModelOptions {
  /**
   * 7-bit weights ([−64, 64] per channel, ONNX Runtime's `reduce_range`; default true): ONNX
   * Runtime on x86 CPUs without VNNI multiplies int8 weights by uint8-shifted activations
   * with `vpmaddubsw`, which saturates pair sums at 2^15 − 1 for full-range weights, so its
   * QLinearConv / QGemm results then differ from the exact int32 arithmetic of ONNX (and of
   * mapnn). With 7-bit weights the two agree. false: full-range [−127, 127] weights (exact on
   * ARM, VNNI and in mapnn; ORT on older x86 then disagrees).
   */
  reduceRange?: boolean;
  /** 'int8' (default): the layers run the core QLinear ops on int8 tensors; 'simulate': float fake quantization. */
  compute?: QuantCompute;
}

/** A copy of the model (architecture through the module registry, then its state dict). */
function cloneModel<M extends Module<any, any>>(model: M): M {
  const copy = deserializeModule(serializeModule(model, { fn: 'quantizeModel' })) as M;
  copy.loadStateDict(model.stateDict());
  copy.train(model.training);
  return copy;
}

/** Puts `m` at `path` of `root` in place of what is there. */
function replaceAt(root: Module<any, any>, path: string, m: Module<any, any>): void {
  const dot = path.lastIndexOf('.');
  const parent = moduleAt(root, dot < 0 ? '' : path.slice(0, dot))!;
  Object.defineProperty(parent, path.slice(dot + 1), { value: m, enumerable: true, writable: true, configurable: true });
}

/**
 * The post-training int8 model of `model` (which is left unchanged): every calibrated Conv2d
 * and Linear becomes a `QuantizedConv2d` / `QuantizedLinear` fused with its bias and ReLU (the
 * ReLU module is replaced by a pass-through `FusedReLU`), with per-channel int8 weights and the
 * calibrated activation parameters. A layer fed by another through max pooling / flatten only
 * takes that layer's output parameters as its input parameters (one quantized tensor between
 * them, as ONNX Runtime's quantizer does): the int8 tensor then flows between them, max pooling
 * pooling it as int8 (`QuantizedMaxPool2d`); the last layer of a chain dequantizes. Its forward
 * runs in int8 (`compute: 'int8'`, default) or as the float fake-quant simulation
 * (`'simulate'`); export it with `exportQdqOnnx`.
 *
 * @example
 * const q = quantizeModel(model, calibrate(model, batches));
 * const onnx = exportQdqOnnx(q, sample);
 */
export function quantizeModel<M extends Module<any, any>>(model: M, calibration: Calibration, options: QuantizeModelOptions = {}): M {
  const reduceRange = options.reduceRange ?? true;
  const compute = options.compute ?? 'int8';
  const copy = cloneModel(model);
  for (const l of calibration.layers) {
    if (!moduleAt(copy, l.path)) throw new Error(`quantizeModel: the model has no layer '${l.path}' (calibrated on another model?)`);
  }
  const inputOf = new Map<string, CalibratedLayer['input']>(calibration.layers.map((l) => [l.path, l.input]));
  const links = int8Links(copy, calibration.layers);
  for (const link of links) inputOf.set(link.consumer.path, link.producer.output);
  for (const l of calibration.layers) {
    const m = moduleAt(copy, l.path)!;
    const input = inputOf.get(l.path)!;
    const q = m instanceof Linear
      ? new QuantizedLinear(m, input, l.output, l.activation, l.path, { reduceRange, compute })
      : new QuantizedConv2d(m as Conv2d, input, l.output, l.activation, l.path, { reduceRange, compute });
    q.int8Output = links.some((k) => k.producer === l);
    replaceAt(copy, l.path, q);
    if (l.reluPath) replaceAt(copy, l.reluPath, new FusedReLU());
  }
  for (const { producer, between } of links) {
    for (const path of between) {
      const m = moduleAt(copy, path);
      if (m instanceof MaxPool2d) replaceAt(copy, path, new QuantizedMaxPool2d(m, producer.output));
    }
  }
  return copy;
}
