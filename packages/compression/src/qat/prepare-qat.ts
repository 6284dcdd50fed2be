import { deserializeModule, Linear, ReLU, Sequential, serializeModule, type Conv2d, type Module } from '@mapnn/layers';
import type { CalibratedLayer } from '../quantization/calibrate.js';
import { FusedReLU } from '../quantization/fused-relu.js';
import { int8Links } from '../quantization/int8-chain.js';
import { moduleAt, quantizableLayers } from '../quantization/quantizable-layers.js';
import type { QuantDType } from '../quantization/qparams.js';
import { foldBatchNorm, FoldedBatchNorm } from './fold-batch-norm.js';
import { QatConv2d, QatLinear } from './qat-layers.js';

export interface PrepareQatOptions {
  /** Activation type (default 'int8', per tensor asymmetric, as `calibrate`). */
  activationDtype?: QuantDType;
  /** EMA weight of each batch's min / max (default 0.01, PyTorch's `MovingAverageMinMaxObserver`). */
  averagingConstant?: number;
  /** Freeze every activation observer after this many training batches (default: never; 1 with `learnableScale`). */
  freezeObserversAfter?: number;
  /** Learn the activation scales (LSQ) once the observers froze. */
  learnableScale?: boolean;
  /** Fold BatchNorm2d into the Conv2d before it first (default true). */
  foldBatchNorm?: boolean;
  /** State-dict paths of the layers to train quantized (default: every Conv2d and Linear). */
  layers?: readonly string[];
  /**
   * 7-bit weights ([−64, 64] per channel; default true, as `quantizeModel`'s default, which
   * `convertQat` then uses): ONNX Runtime on x86 without VNNI is exact with them.
   */
  reduceRange?: boolean;
}

/** A copy of the model (architecture through the module registry, then its state dict). */
function cloneModel<M extends Module<any, any>>(model: M): M {
  const copy = deserializeModule(serializeModule(model, { fn: 'prepareQat' })) as M;
  copy.loadStateDict(model.stateDict());
  copy.train(model.training);
  return copy;
}

/** Puts `m` at `path` of `root` in place of what is there. */
export function replaceModuleAt(root: Module<any, any>, path: string, m: Module<any, any>): void {
  const dot = path.lastIndexOf('.');
  const parent = moduleAt(root, dot < 0 ? '' : path.slice(0, dot))!;
  Object.defineProperty(parent, path.slice(dot + 1), { value: m, enumerable: true, writable: true, configurable: true });
}

/** The ReLU after `path` in its Sequential, looking past a folded BatchNorm (conv → bn → relu). */
function reluAfterFoldedBn(model: Module<any, any>, path: string): string | null {
  const dot = path.lastIndexOf('.');
  const parentPath = dot < 0 ? '' : path.slice(0, dot);
  const parent = moduleAt(model, parentPath);
  if (!(parent instanceof Sequential)) return null;
  const names = parent.namedChildren().map(([n]) => n);
  let i = names.indexOf(path.slice(dot + 1)) + 1;
  while (names[i] !== undefined && parent[names[i]!] instanceof FoldedBatchNorm) i++;
  if (names[i] === undefined || !(parent[names[i]!] instanceof ReLU)) return null;
  return parentPath ? `${parentPath}.${names[i]}` : names[i]!;
}

/**
 * Prepares quantization-aware training (`torch.ao.quantization.prepare_qat` after
 * `fuse_modules`): returns a copy of `model` (left unchanged) in which every BatchNorm2d that
 * follows a Conv2d is folded into it (`foldBatchNorm`), and every Conv2d and Linear (or those
 * of `layers`) becomes a `QatConv2d` / `QatLinear` fused with the ReLU after it (that ReLU a
 * pass-through `FusedReLU`): per-channel symmetric int8 weight fake-quant (7-bit with
 * `reduceRange`, the default), per-tensor activation fake-quant with EMA min/max observers on
 * its output and on its input — except where the input is another QAT layer's output through
 * max pooling / flatten only, which is on that layer's grid already (as `quantizeModel` chains
 * them) — and straight-through gradients. The copy is in training mode. Train it as usual (build the optimizer on the copy's parameters), then
 * `convertQat` it. Throws naming a layer that cannot be quantized.
 *
 * @example
 * const qat = prepareQat(model, { freezeObserversAfter: 500 });
 * await fit(qat, data, { optimizer: new Adam(qat.parameters(), { lr: 1e-4 }), loss: 'cross_entropy', epochs: 1 });
 * const int8 = convertQat(qat); // QuantizedConv2d / QuantizedLinear, as quantizeModel's
 */
export function prepareQat<M extends Module<any, any>>(model: M, options: PrepareQatOptions = {}): M {
  const copy = cloneModel(model);
  if (options.foldBatchNorm !== false) foldBatchNorm(copy);
  const layers = (() => {
    try {
      return quantizableLayers(copy, options.layers);
    } catch (e) {
      throw new Error(`prepareQat: ${(e as Error).message.replace(/^quantize: /, '')}`);
    }
  })();
  const fused = layers.map((l) => {
    const reluPath = l.reluPath ?? (l.activation === 'relu' ? null : reluAfterFoldedBn(copy, l.path));
    return { ...l, reluPath, activation: l.activation === 'relu' || reluPath ? ('relu' as const) : ('none' as const) };
  });
  // a layer fed by another through pooling / flatten only takes that one's output grid (one int8 tensor between them)
  const producerOf = new Map(int8Links(copy, fused as unknown as CalibratedLayer[]).map((k) => [k.consumer.path, k.producer.path]));
  const made = new Map<string, QatConv2d | QatLinear>();
  for (const l of fused) {
    const producer = producerOf.get(l.path);
    const o = {
      path: l.path,
      activation: l.activation,
      reluPath: l.reluPath,
      reduceRange: options.reduceRange ?? true,
      inputFrom: producer ? { path: producer, quant: made.get(producer)!.output_quant } : null,
      dtype: options.activationDtype,
      averagingConstant: options.averagingConstant,
      freezeAfter: options.freezeObserversAfter,
      learnableScale: options.learnableScale,
    };
    const qat = l.module instanceof Linear ? new QatLinear(l.module, o) : new QatConv2d(l.module as Conv2d, o);
    made.set(l.path, qat);
    replaceModuleAt(copy, l.path, qat);
    if (l.reluPath) replaceModuleAt(copy, l.reluPath, new FusedReLU());
  }
  return copy.train();
}
