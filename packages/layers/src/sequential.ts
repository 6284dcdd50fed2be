import type { Tensor } from '@mapnn/core';
import { ReLU } from './activations/relu.js';
import { fusionEnabled, type ReluFusable } from './fusion.js';
import { Module } from './module.js';
import type { ModuleConfig } from './serialization/config.js';

/**
 * Whether `m` then `next` can run as one fused op: `m` opts in (defines `forwardRelu`, e.g.
 * Linear and Conv2d), has no activation of its own and does not override `forward` in a
 * subclass; `next` is a plain ReLU; neither has forward hooks.
 */
function fusesWithRelu(m: Module<any, any>, next: Module<any, any> | undefined): m is Module<any, any> & ReluFusable {
  if (!fusionEnabled() || !(next instanceof ReLU) || next.forward !== ReLU.prototype.forward || next.hasForwardHooks() || m.hasForwardHooks()) return false;
  const f = m as Partial<ReluFusable> & Module<any, any>;
  if (typeof f.forwardRelu !== 'function' || f.activation !== 'none') return false;
  // the class that defines forwardRelu must also be the one whose forward runs
  let owner: object | null = Object.getPrototypeOf(m);
  while (owner && !Object.prototype.hasOwnProperty.call(owner, 'forwardRelu')) owner = Object.getPrototypeOf(owner);
  return !!owner && (owner as Module<any, any>).forward === m.forward;
}

/**
 * A chain of modules applied in order (`torch.nn.Sequential`). Children are named '0', '1', …
 * so state-dict keys match PyTorch's (`0.weight`, `1.running_mean`, …). Nested Sequentials nest
 * the names (`features.0.weight`).
 *
 * @example
 * const model = new Sequential(new Linear(2, 8), new ReLU(), new Linear(8, 1));
 * model.call(x);
 * Object.keys(model.stateDict()) // ['0.weight', '0.bias', '2.weight', '2.bias']
 */
export class Sequential extends Module<[Tensor], Tensor> {
  [index: string]: unknown;

  constructor(...modules: Module<any, any>[]) {
    super();
    modules.forEach((m, i) => this.setChild(String(i), m));
  }

  private setChild(name: string, m: Module<any, any>): void {
    if (!(m instanceof Module)) throw new Error(`Sequential: child ${name} is not a Module`);
    Object.defineProperty(this, name, { value: m, enumerable: true, writable: true, configurable: true });
  }

  /** Number of child modules. */
  get length(): number {
    return this.layers().length;
  }

  /** The child modules in order. */
  layers(): Module<any, any>[] {
    return this.children();
  }

  /** The i-th child (negative counts from the end). */
  at(i: number): Module<any, any> {
    const ls = this.layers();
    const m = ls[i < 0 ? ls.length + i : i];
    if (!m) throw new Error(`Sequential.at: index ${i} out of range for ${ls.length} modules`);
    return m;
  }

  /** Appends a module (named by its index). Returns this. */
  append(m: Module<any, any>): this {
    this.setChild(String(this.length), m);
    return this;
  }

  /**
   * Applies the children in order. A module that supports fusion (`ReluFusable`: Linear,
   * Conv2d) without an activation of its own, directly followed by a `ReLU`, neither with
   * forward hooks nor a subclass overriding `forward`, runs as one fused op (`forwardRelu`) —
   * the same values, one kernel where the backend has `fusedMatmul` / `fusedConv2d`.
   */
  forward(x: Tensor): Tensor {
    let y: unknown = x;
    const ls = this.layers();
    for (let i = 0; i < ls.length; i++) {
      const m = ls[i]!;
      if (fusesWithRelu(m, ls[i + 1])) {
        y = m.forwardRelu(y as Tensor);
        i++;
      } else y = (m as Module<[unknown], unknown>).call(y);
    }
    return y as Tensor;
  }

  /** No constructor options: `saveModel` stores the children as a list (see `registerModule`). */
  getConfig(): ModuleConfig {
    return {};
  }

  override describe(): string {
    return 'Sequential';
  }

  [Symbol.iterator](): Iterator<Module<any, any>> {
    return this.layers()[Symbol.iterator]();
  }
}

/**
 * A list of sub-modules whose parameters are registered (`torch.nn.ModuleList`); it has no
 * forward of its own. Children are named '0', '1', … as in PyTorch.
 *
 * @example
 * class Deep extends Module {
 *   blocks = new ModuleList(Array.from({ length: 3 }, () => new Linear(8, 8)));
 *   forward(x: Tensor) { for (const b of this.blocks) x = relu(b.call(x)); return x; }
 * }
 */
export class ModuleList<M extends Module<any, any> = Module<any, any>> extends Module<[never], never> {
  [index: string]: unknown;

  constructor(modules: Iterable<M> = []) {
    super();
    for (const m of modules) this.push(m);
  }

  get length(): number {
    return this.children().length;
  }

  /** Appends a module; returns this. */
  push(m: M): this {
    if (!(m instanceof Module)) throw new Error(`ModuleList: item ${this.length} is not a Module`);
    Object.defineProperty(this, String(this.length), { value: m, enumerable: true, writable: true, configurable: true });
    return this;
  }

  /** Alias of `push` (PyTorch's `append`). */
  append(m: M): this {
    return this.push(m);
  }

  /** The i-th module (negative counts from the end). */
  at(i: number): M {
    const ls = this.children() as M[];
    const m = ls[i < 0 ? ls.length + i : i];
    if (!m) throw new Error(`ModuleList.at: index ${i} out of range for ${ls.length} modules`);
    return m;
  }

  forward(): never {
    throw new Error('ModuleList has no forward; iterate over it and call its modules');
  }

  /** No constructor options: `saveModel` stores the children as a list (see `registerModule`). */
  getConfig(): ModuleConfig {
    return {};
  }

  override describe(): string {
    return 'ModuleList';
  }

  [Symbol.iterator](): Iterator<M> {
    return (this.children() as M[])[Symbol.iterator]();
  }
}
