import { cast, fmtShape, isTensor, keep, noGrad, tensor, type Tensor } from '@mapnn/core';
import { summary, type ModelSummary, type SampleInput } from './summary.js';

const PARAM = Symbol.for('mapnn.parameter');
const BUFFER = Symbol.for('mapnn.buffer');

/**
 * Marks `t` as a trainable parameter: it requires grad and is exempt from `tidy`.
 * A Module finds the parameters among its own properties.
 *
 * @example this.weight = parameter(zeros([out, inp]));
 */
export function parameter(t: Tensor): Tensor {
  keep(t);
  (t as unknown as Record<symbol, boolean>)[PARAM] = true;
  return t.requiresGrad ? t : t.requiresGrad_();
}

/** Marks `t` as a buffer: saved in the state dict, not trained (e.g. BatchNorm running stats). */
export function buffer(t: Tensor): Tensor {
  keep(t);
  (t as unknown as Record<symbol, boolean>)[BUFFER] = true;
  return t;
}

export function isParameter(x: unknown): x is Tensor {
  return isTensor(x) && (x as unknown as Record<symbol, boolean>)[PARAM] === true;
}

export function isBuffer(x: unknown): x is Tensor {
  return isTensor(x) && (x as unknown as Record<symbol, boolean>)[BUFFER] === true;
}

export type ForwardHook = (module: Module<any, any>, inputs: unknown[], output: unknown) => void;

/**
 * Base class of every layer and model, in the PyTorch manner. Parameters (`parameter(t)`),
 * buffers (`buffer(t)`) and sub-modules are found among the module's own properties, in
 * declaration order, and named by property (nested names joined with dots, as PyTorch's
 * `state_dict` keys: `features.0.weight`).
 *
 * Subclass and implement `forward`; call a module with `m.call(x)` (runs forward hooks).
 *
 * @example
 * class Mlp extends Module {
 *   fc1 = new Linear(4, 8);
 *   fc2 = new Linear(8, 1);
 *   forward(x: Tensor) { return this.fc2.call(this.fc1.call(x).relu()); }
 * }
 */
export abstract class Module<I extends unknown[] = [Tensor], O = Tensor> {
  /** Training mode (dropout active, batch norm uses batch statistics). */
  training = true;
  private _hooks: ForwardHook[] = [];

  abstract forward(...inputs: I): O;

  /** Runs `forward` and then the forward hooks. */
  call(...inputs: I): O {
    const out = this.forward(...inputs);
    for (const h of this._hooks) h(this, inputs, out);
    return out;
  }

  /** Whether forward hooks are registered (containers fuse only modules without hooks). */
  hasForwardHooks(): boolean {
    return this._hooks.length > 0;
  }

  /** Calls `fn(module, inputs, output)` after every forward; returns a handle to remove it. */
  registerForwardHook(fn: ForwardHook): { remove(): void } {
    this._hooks.push(fn);
    return { remove: () => void (this._hooks = this._hooks.filter((h) => h !== fn)) };
  }

  /** Direct sub-modules with their property names. */
  namedChildren(): [string, Module<any, any>][] {
    return Object.entries(this).filter((e): e is [string, Module<any, any>] => e[1] instanceof Module);
  }

  children(): Module<any, any>[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every descendant, with dotted names ('' for this one). */
  namedModules(prefix = ''): [string, Module<any, any>][] {
    const out: [string, Module<any, any>][] = [[prefix, this]];
    for (const [n, m] of this.namedChildren()) out.push(...m.namedModules(prefix ? `${prefix}.${n}` : n));
    return out;
  }

  modules(): Module<any, any>[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Parameters with dotted names (shared parameters are listed once). */
  namedParameters(prefix = ''): [string, Tensor][] {
    return this.collect(prefix, isParameter);
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Parameters that currently require grad (what an optimizer should update). */
  trainableParameters(): Tensor[] {
    return this.parameters().filter((p) => p.requiresGrad);
  }

  namedBuffers(prefix = ''): [string, Tensor][] {
    return this.collect(prefix, isBuffer);
  }

  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  private collect(prefix: string, pred: (x: unknown) => x is Tensor): [string, Tensor][] {
    const seen = new Set<Tensor>();
    const out: [string, Tensor][] = [];
    for (const [name, m] of this.namedModules(prefix)) {
      for (const [k, v] of Object.entries(m)) {
        if (pred(v) && !seen.has(v)) {
          seen.add(v);
          out.push([name ? `${name}.${k}` : k, v]);
        }
      }
    }
    return out;
  }

  /** Calls `fn` on every descendant and then on this module (PyTorch's `apply`); returns this. */
  apply(fn: (m: Module<any, any>) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  /** Frees and clears `.grad` of every parameter. */
  zeroGrad(): void {
    for (const p of this.parameters()) {
      if (p.grad) {
        p.grad.dispose();
        p.grad = null;
      }
    }
  }

  /** Sets training mode on this module and all descendants. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Stops gradients to every parameter (transfer learning: freeze a pretrained trunk). */
  freeze(): this {
    for (const p of this.parameters()) p.requiresGrad_(false);
    return this;
  }

  unfreeze(): this {
    for (const p of this.parameters()) p.requiresGrad_(true);
    return this;
  }

  /** Parameters and buffers by dotted name (PyTorch `state_dict` keys). Values are live tensors. */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [k, v] of this.namedParameters()) out[k] = v;
    for (const [k, v] of this.namedBuffers()) out[k] = v;
    return out;
  }

  /**
   * Copies values into this module's parameters and buffers. Values may be tensors or
   * `{ shape, data }` records (e.g. read from safetensors). With `strict` (default), missing
   * and unexpected keys are an error; shape mismatches always are. One error lists every
   * problem, and nothing is changed when there is any.
   */
  loadStateDict(
    dict: Record<string, Tensor | { shape: readonly number[]; data: ArrayLike<number> }>,
    options: { strict?: boolean } = {},
  ): { missing: string[]; unexpected: string[] } {
    const strict = options.strict ?? true;
    const own = this.stateDict();
    const missing = Object.keys(own).filter((k) => !(k in dict));
    const unexpected = Object.keys(dict).filter((k) => !(k in own));
    const mismatched: string[] = [];
    for (const [k, t] of Object.entries(own)) {
      const v = dict[k];
      if (!v) continue;
      const shape = isTensor(v) ? v.shape : v.shape;
      if (shape.length !== t.shape.length || shape.some((d, i) => d !== t.shape[i])) {
        mismatched.push(`${k}: expected ${fmtShape(t.shape)}, got ${fmtShape(shape)}`);
      }
    }
    const problems: string[] = [];
    if (strict && missing.length) problems.push(`missing keys: ${missing.join(', ')}`);
    if (strict && unexpected.length) problems.push(`unexpected keys: ${unexpected.join(', ')}`);
    if (mismatched.length) problems.push(`shape mismatches: ${mismatched.join('; ')}`);
    if (problems.length) throw new Error(`loadStateDict(${this.constructor.name}): ${problems.join(' | ')}`);
    noGrad(() => {
      for (const [k, t] of Object.entries(own)) {
        const v = dict[k];
        if (!v) continue;
        const src = isTensor(v) ? v : tensor(Array.from(v.data), v.shape, t.dtype);
        const value = src.dtype === t.dtype ? src : cast(src, t.dtype);
        t.assign(value);
        if (value !== v) value.dispose();
        if (src !== v && src !== value) src.dispose();
      }
    });
    return { missing, unexpected };
  }

  /** Number of parameter elements (all, or only trainable ones). */
  numParameters(trainableOnly = false): number {
    return this.parameters()
      .filter((p) => !trainableOnly || p.requiresGrad)
      .reduce((s, p) => s + p.size, 0);
  }

  /** Frees every parameter and buffer of this module and its descendants. */
  dispose(): void {
    for (const t of [...this.parameters(), ...this.buffers()]) t.dispose();
  }

  /**
   * Prints a Keras-like table of this model (layers, output shapes, parameter counts; see
   * `summary()`) and returns it.
   *
   * @example model.summary([1, 1, 28, 28]);
   */
  summary(sample: SampleInput, options: { print?: (line: string) => void } = {}): ModelSummary {
    const s = summary(this, sample);
    (options.print ?? console.log)(s.table);
    return s;
  }

  /** Short description used by `summary()` and `toString()`; layers override it. */
  describe(): string {
    return this.constructor.name;
  }

  toString(): string {
    const kids = this.namedChildren();
    if (!kids.length) return this.describe();
    const inner = kids.map(([n, m]) => `  (${n}): ${m.toString().split('\n').join('\n  ')}`).join('\n');
    return `${this.describe()}(\n${inner}\n)`;
  }
}
