import { deserializeModule, Linear, serializeModule, type Conv2d, type Module } from '@mapnn/layers';
import type { Calibration } from './calibrate.js';
import { FusedReLU } from './fused-relu.js';
import { moduleAt } from './quantizable-layers.js';
import { QuantizedConv2d } from './quantized-conv2d.js';
import { QuantizedLinear } from './quantized-linear.js';

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
 * calibrated activation parameters. Its forward is the float fake-quant simulation; export it
 * with `exportQdqOnnx`.
 */
export function quantizeModel<M extends Module<any, any>>(model: M, calibration: Calibration): M {
  const copy = cloneModel(model);
  for (const l of calibration.layers) {
    const m = moduleAt(copy, l.path);
    if (!m) throw new Error(`quantizeModel: the model has no layer '${l.path}' (calibrated on another model?)`);
    const q = m instanceof Linear
      ? new QuantizedLinear(m, l.input, l.output, l.activation, l.path)
      : new QuantizedConv2d(m as Conv2d, l.input, l.output, l.activation, l.path);
    replaceAt(copy, l.path, q);
    if (l.reluPath) replaceAt(copy, l.reluPath, new FusedReLU());
  }
  return copy;
}
