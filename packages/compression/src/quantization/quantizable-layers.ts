import { Conv2d, Linear, ReLU, Sequential, type Module } from '@mapnn/layers';

/** A Conv2d or Linear the quantizer handles, with the ReLU fused into it (if any). */
export interface QuantizableLayer {
  path: string;
  module: Conv2d | Linear;
  /** 'relu' when the layer has `activation: 'relu'` or a ReLU follows it in a Sequential. */
  activation: 'none' | 'relu';
  /** State-dict path of the following ReLU module fused into the layer, if any. */
  reluPath: string | null;
}

const QUANTIZABLE = 'Conv2d and Linear (with their bias and a following ReLU)';

/** The module at a dotted path, or undefined. */
export function moduleAt(model: Module<any, any>, path: string): Module<any, any> | undefined {
  return model.namedModules().find(([p]) => p === path)?.[1];
}

/** The ReLU directly after `path` in its parent Sequential, with its path. */
function followingRelu(model: Module<any, any>, path: string): string | null {
  const dot = path.lastIndexOf('.');
  const parentPath = dot < 0 ? '' : path.slice(0, dot);
  const parent = moduleAt(model, parentPath);
  if (!(parent instanceof Sequential)) return null;
  const names = parent.namedChildren().map(([n]) => n);
  const next = names[names.indexOf(path.slice(dot + 1)) + 1];
  if (next === undefined || !(parent[next] instanceof ReLU)) return null;
  return parentPath ? `${parentPath}.${next}` : next;
}

/**
 * The layers to quantize: `paths` (each must name a Conv2d or Linear) or every Conv2d and
 * Linear of the model. Throws naming a layer that cannot be quantized.
 */
export function quantizableLayers(model: Module<any, any>, paths?: readonly string[]): QuantizableLayer[] {
  const chosen = paths
    ? paths.map((p): [string, Module<any, any>] => {
        const m = moduleAt(model, p);
        if (!m) throw new Error(`quantize: the model has no layer '${p}'`);
        if (!(m instanceof Conv2d || m instanceof Linear)) {
          throw new Error(`quantize: layer '${p}' (${m.constructor.name}) cannot be quantized; supported: ${QUANTIZABLE}`);
        }
        return [p, m];
      })
    : model.namedModules().filter(([, m]) => m instanceof Conv2d || m instanceof Linear);
  if (!chosen.length) throw new Error(`quantize: the model has no layer that can be quantized (${QUANTIZABLE})`);
  return chosen.map(([path, m]) => {
    const module = m as Conv2d | Linear;
    if (module.weight.dtype !== 'float32') throw new Error(`quantize: layer '${path}' has ${module.weight.dtype} weights; only float32 layers can be quantized`);
    const reluPath = module.activation === 'relu' ? null : followingRelu(model, path);
    return { path, module, activation: module.activation === 'relu' || reluPath ? 'relu' : 'none', reluPath };
  });
}
