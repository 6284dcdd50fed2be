import { isTensor, noGrad, tensor, type Tensor } from '@mapnn/core';
import { buffer, isParameter, type Module } from '@mapnn/layers';

/**
 * Pruning state held on a module, in PyTorch's layout: the trained parameter moves to
 * `<name>_orig`, a float mask buffer `<name>_mask` (1 keep, 0 pruned) joins the state dict,
 * and `<name>` becomes a read-only property whose every read is `<name>_orig ⊙ <name>_mask`,
 * so the forward pass (fused or not) sees the pruned weight and gradients reach only the
 * kept entries. An optimizer may still move the masked entries of `<name>_orig` (Adam's
 * moments, weight decay); the weight the module computes with stays exactly zero there.
 */
export interface MaskedParameter {
  module: Module<any, any>;
  name: string;
  orig: Tensor;
  mask: Tensor;
}

type Props = Record<string, unknown>;

/** The class name of a module, for messages. */
export const typeOf = (m: Module<any, any>): string => m.constructor.name;

/** Whether `name` of `module` is already pruned (has `<name>_orig` and `<name>_mask`). */
export function isPruned(module: Module<any, any>, name = 'weight'): boolean {
  const p = module as unknown as Props;
  return isTensor(p[`${name}_orig`]) && isTensor(p[`${name}_mask`]);
}

/**
 * Every module of `model` with a `weight` parameter (pruned or not) of two or more dimensions
 * — Linear, Conv, Embedding — except recurrent layers, as `[module, 'weight']`.
 */
export function defaultTargets(model: Module<any, any>): [Module<any, any>, string][] {
  return model
    .modules()
    .filter((m) => {
      const p = m as unknown as Props;
      const w = isPruned(m, 'weight') ? p.weight_orig : p.weight;
      return isParameter(w) && w.shape.length >= 2 && p.cells === undefined;
    })
    .map((m) => [m, 'weight']);
}

/**
 * The parameter `name` of `module`, checked: it must exist, be a parameter, and hold only
 * finite values. `fn` names the caller in errors.
 */
export function prunableParameter(module: Module<any, any>, name: string, fn: string, where = typeOf(module)): Tensor {
  const p = module as unknown as Props;
  if ((module as unknown as { cells?: unknown }).cells !== undefined) {
    throw new TypeError(`${fn}: ${where} is a recurrent layer whose cells read their weights directly; pruning it is not supported`);
  }
  const t = isPruned(module, name) ? (p[`${name}_orig`] as Tensor) : p[name];
  if (!isParameter(t)) {
    const own = Object.entries(module).filter(([, v]) => isParameter(v)).map(([k]) => k);
    throw new TypeError(`${fn}: ${where} has no parameter '${name}' to prune (its parameters: ${own.length ? own.join(', ') : 'none'})`);
  }
  const values = t.dataSync();
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new RangeError(`${fn}: ${where}.${name} has a non-finite value (${values[bad]}) at flat index ${bad}; pruning ranks magnitudes and needs finite weights`);
  return t;
}

/** The current mask of `name` (all ones when not pruned yet), as numbers. */
export function currentMask(module: Module<any, any>, name: string, size: number): Float32Array {
  if (!isPruned(module, name)) return new Float32Array(size).fill(1);
  return Float32Array.from(((module as unknown as Props)[`${name}_mask`] as Tensor).dataSync());
}

/**
 * Installs (or, when already pruned, replaces the values of) the mask of `name` on `module`.
 * The new mask must only remove entries: PyTorch combines masks by multiplication.
 */
export function setMask(module: Module<any, any>, name: string, mask: Float32Array): MaskedParameter {
  const p = module as unknown as Props;
  if (isPruned(module, name)) {
    const old = p[`${name}_mask`] as Tensor;
    noGrad(() => {
      const next = tensor(mask, old.shape, old.dtype);
      old.assign(next);
      next.dispose();
    });
    return { module, name, orig: p[`${name}_orig`] as Tensor, mask: old };
  }
  const orig = p[name] as Tensor;
  const m = buffer(tensor(mask, orig.shape, orig.dtype));
  delete p[name];
  p[`${name}_orig`] = orig;
  p[`${name}_mask`] = m;
  Object.defineProperty(module, name, {
    configurable: true,
    enumerable: false,
    get: () => orig.mul(m),
    set: () => {
      throw new TypeError(`${typeOf(module)}.${name} is pruned (computed as ${name}_orig ⊙ ${name}_mask); call removePruning first`);
    },
  });
  return { module, name, orig, mask: m };
}

/**
 * Makes the pruning of `name` permanent (PyTorch's `prune.remove`): `<name>` becomes an
 * ordinary parameter holding `<name>_orig` with the masked entries set to +0, and
 * `<name>_orig` / `<name>_mask` are gone. The parameter keeps its identity (an optimizer
 * built on it keeps working); the mask is freed.
 */
export function bakeMask(module: Module<any, any>, name: string): void {
  const p = module as unknown as Props;
  const orig = p[`${name}_orig`] as Tensor;
  const mask = p[`${name}_mask`] as Tensor;
  const w = orig.dataSync();
  const keep = mask.dataSync();
  const baked = w.slice();
  for (let i = 0; i < baked.length; i++) if (keep[i] === 0) baked[i] = 0;
  noGrad(() => {
    const next = tensor(baked, orig.shape, orig.dtype);
    orig.assign(next);
    next.dispose();
  });
  delete p[name];
  delete p[`${name}_orig`];
  delete p[`${name}_mask`];
  p[name] = orig;
  mask.dispose();
}
