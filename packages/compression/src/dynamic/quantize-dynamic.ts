import { deserializeModule, GRU, Linear, LSTM, serializeModule, type Module } from '@mapnn/layers';
import type { QuantDType } from '../quantization/qparams.js';
import { replaceModuleAt } from '../qat/prepare-qat.js';
import { DynamicQuantizedLinear } from './dynamic-linear.js';
import { DynamicQuantizedGRU, DynamicQuantizedLSTM } from './dynamic-recurrent.js';

/** The layer types `quantizeDynamic` handles. */
export const DYNAMIC_LAYERS = ['Linear', 'LSTM', 'GRU'] as const;
export type DynamicLayerType = (typeof DYNAMIC_LAYERS)[number];

export interface QuantizeDynamicOptions {
  /** Layer types to quantize (default all of `DYNAMIC_LAYERS`), as `quantize_dynamic`'s `qconfig_spec` set. */
  layers?: readonly string[];
  /** Run-time activation type (default 'uint8', PyTorch's quint8). */
  activationDtype?: QuantDType;
}

const TYPES: Record<DynamicLayerType, new (...a: any[]) => Module<any, any>> = { Linear, LSTM, GRU };

/**
 * Dynamic quantization (`torch.ao.quantization.quantize_dynamic`): a copy of `model` (left as it
 * was, in eval mode) in which every Linear, LSTM and GRU (or the types in `layers`) stores its
 * weights as int8 per output channel and quantizes its activations per call from their own range
 * (`DynamicQuantizedLinear`, `DynamicQuantizedLSTM`, `DynamicQuantizedGRU`). The products are
 * computed with the dequantized weights in float32 (core `dequantizeLinear`): the int8
 * `qlinearMatmul` requantizes its output to 8 bits, which dynamic quantization does not.
 * Throws naming a type that cannot be dynamically quantized, or when nothing matched.
 *
 * @example
 * const q = quantizeDynamic(model, { layers: ['Linear', 'LSTM'] });
 * console.log(dynamicSizeReport(model, q).table);
 */
export function quantizeDynamic<M extends Module<any, any>>(model: M, options: QuantizeDynamicOptions = {}): M {
  const types = options.layers ?? DYNAMIC_LAYERS;
  for (const t of types) {
    if (!(DYNAMIC_LAYERS as readonly string[]).includes(t)) {
      throw new Error(`quantizeDynamic: layer type '${t}' cannot be dynamically quantized; supported: ${DYNAMIC_LAYERS.join(', ')}`);
    }
  }
  const dtype = options.activationDtype ?? 'uint8';
  const copy = deserializeModule(serializeModule(model, { fn: 'quantizeDynamic' })) as M;
  copy.loadStateDict(model.stateDict());
  const chosen = copy.namedModules().filter(([, m]) => types.some((t) => m.constructor === TYPES[t as DynamicLayerType]));
  if (!chosen.length) throw new Error(`quantizeDynamic: the model has no ${types.join(' / ')} layer to quantize`);
  for (const [path, m] of chosen) {
    const where = path || '(root)';
    const q = m instanceof Linear
      ? new DynamicQuantizedLinear(m, where, dtype)
      : m instanceof LSTM
        ? new DynamicQuantizedLSTM(m, where, dtype)
        : new DynamicQuantizedGRU(m as GRU, where, dtype);
    if (!path) return q.eval() as unknown as M;
    replaceModuleAt(copy, path, q);
  }
  return copy.eval();
}
