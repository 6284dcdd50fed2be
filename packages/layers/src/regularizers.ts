import { abs, add, div, isTensor, maximum, mul, noGrad, norm, scalar, square, sum, tidy, type Tensor } from '@mapnn/core';
import { Module } from './module.js';

/**
 * A weight penalty: `penalty(p)` is a differentiable scalar tensor added to the loss
 * (Keras-style regularizers, `λ·Σ|w|`, `λ·Σw²`).
 */
export interface Regularizer {
  readonly name: string;
  penalty(p: Tensor): Tensor;
}

/**
 * L1 penalty `lambda·Σ|w|` (encourages sparse weights).
 *
 * @example setRegularizer(model.fc1, l1(1e-4));
 */
export function l1(lambda = 0.01): Regularizer {
  return { name: `l1(${lambda})`, penalty: (p) => mul(sum(abs(p)), lambda) };
}

/**
 * L2 penalty `lambda·Σw²` (Keras convention: no ½; equals weight decay 2·lambda with SGD).
 *
 * @example setRegularizer(model, l2(1e-4)); // every parameter of the model
 */
export function l2(lambda = 0.01): Regularizer {
  return { name: `l2(${lambda})`, penalty: (p) => mul(sum(square(p)), lambda) };
}

/**
 * Both: `l1·Σ|w| + l2·Σw²` (elastic net).
 *
 * @example setRegularizer(layer.weight, l1l2(1e-5, 1e-4));
 */
export function l1l2(l1Lambda = 0.01, l2Lambda = 0.01): Regularizer {
  return {
    name: `l1l2(${l1Lambda}, ${l2Lambda})`,
    penalty: (p) => add(mul(sum(abs(p)), l1Lambda), mul(sum(square(p)), l2Lambda)),
  };
}

interface ModuleReg {
  reg: Regularizer;
  /** Which of the module's parameters (by name relative to the module) it applies to. */
  filter: (name: string, p: Tensor) => boolean;
}

const paramRegs = new WeakMap<Tensor, Regularizer[]>();
const moduleRegs = new WeakMap<Module<any, any>, ModuleReg[]>();

/**
 * Attaches a regularizer to one parameter, or to a module — then it applies to every parameter
 * of that module and its descendants (optionally only those passing `filter(name, p)`, e.g.
 * `(n) => n.endsWith('weight')` for Keras' kernel_regularizer). Several attachments add up.
 * `regularizationLoss(model)` sums the penalties.
 *
 * @example
 * setRegularizer(model.fc, l2(1e-4), { filter: (n) => n.endsWith('weight') });
 * const loss = add(dataLoss, regularizationLoss(model));
 */
export function setRegularizer(
  target: Module<any, any> | Tensor,
  reg: Regularizer,
  options: { filter?: (name: string, p: Tensor) => boolean } = {},
): void {
  if (target instanceof Module) {
    const list = moduleRegs.get(target) ?? [];
    list.push({ reg, filter: options.filter ?? (() => true) });
    moduleRegs.set(target, list);
  } else if (isTensor(target)) {
    const list = paramRegs.get(target) ?? [];
    list.push(reg);
    paramRegs.set(target, list);
  } else {
    throw new Error('setRegularizer: target must be a Module or a parameter tensor');
  }
}

/** Removes every regularizer attached to `target` (a module or a parameter). */
export function clearRegularizers(target: Module<any, any> | Tensor): void {
  if (target instanceof Module) moduleRegs.delete(target);
  else paramRegs.delete(target);
}

/**
 * Sum of every penalty attached to `model`'s parameters (directly or through `model` and its
 * sub-modules) as a differentiable float32 scalar; 0 when none is attached. Add it to the loss
 * before `backward()`. Frozen parameters (requiresGrad false) still count in the value but get
 * no gradient.
 *
 * @example
 * const loss = add(crossEntropy(model.call(x), y), regularizationLoss(model));
 */
export function regularizationLoss(model: Module<any, any>): Tensor {
  const terms: Tensor[] = [];
  // Parameter-level attachments (each parameter once, even if shared).
  for (const [, p] of model.namedParameters()) {
    for (const r of paramRegs.get(p) ?? []) terms.push(r.penalty(p));
  }
  // Module-level attachments, over the parameters under each module.
  for (const [, m] of model.namedModules()) {
    const regs = moduleRegs.get(m);
    if (!regs) continue;
    const params = m.namedParameters();
    for (const { reg, filter } of regs) {
      for (const [n, p] of params) if (filter(n, p)) terms.push(reg.penalty(p));
    }
  }
  if (terms.length === 0) return scalar(0, 'float32');
  let total = terms[0]!;
  for (let i = 1; i < terms.length; i++) total = add(total, terms[i]!);
  return total;
}

/**
 * Max-norm constraint (Keras `MaxNorm`, Srivastava et al. 2014), applied after an optimizer
 * step: rescales `param` in place (via `assign`, outside autograd) so that the L2 norm over
 * `axis` of every slice is at most `maxValue`; slices already within the bound are unchanged.
 * `axis` are the dims the norm runs over; the default — every dim but 0 — bounds each output
 * unit's incoming weights for Linear [out, in] and each filter for Conv2d [out, in, kh, kw]
 * (use `axis: 0` for columns). Returns `param`.
 *
 * @example
 * optimizer.step();
 * maxNorm(model.fc.weight, 3);
 */
export function maxNorm(param: Tensor, maxValue: number, axis?: number | readonly number[]): Tensor {
  if (!(maxValue >= 0)) throw new Error(`maxNorm: maxValue must be >= 0, got ${maxValue}`);
  const axes = axis === undefined ? (param.rank <= 1 ? undefined : Array.from({ length: param.rank - 1 }, (_, i) => i + 1)) : axis;
  noGrad(() =>
    tidy(() => {
      const n = norm(param, 2, axes, true);
      // scale = min(1, max / norm); norm ≤ max (including 0) leaves the slice unchanged.
      const scale = div(maxValue, maximum(n, Math.max(maxValue, 1e-30)));
      param.assign(mul(param, scale));
    }),
  );
  return param;
}
