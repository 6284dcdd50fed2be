import { enableGrad, isFloat, isTensor, keep, noGrad, tidy, zerosLike, type Tensor } from '@mapnn/core';
import {
  decodeJson,
  deserializeTensor,
  encodeJson,
  isSerializedTensor,
  serializeTensor,
  serializeTensorAsync,
  type SerializedTensor,
} from './serialize.js';

/** Options every optimizer has. */
export interface OptimizerOptions {
  /** Learning rate. */
  lr: number;
}

/**
 * A parameter group: its tensors and the hyper-parameters that apply to them. Schedulers read
 * and write `lr` (and `momentum` / `betas`) here and may add their own keys (`initialLr`, …).
 */
export type ParamGroup<O extends OptimizerOptions = OptimizerOptions> = O & {
  params: Tensor[];
  [key: string]: unknown;
};

/** A parameter group as given to a constructor: options left out take the defaults. */
export type ParamGroupInput<O extends OptimizerOptions = OptimizerOptions> = Partial<O> & {
  params: Tensor | readonly Tensor[];
  [key: string]: unknown;
};

/** What an optimizer optimizes: a list of tensors, or a list of parameter groups. */
export type Params<O extends OptimizerOptions = OptimizerOptions> = readonly Tensor[] | readonly ParamGroupInput<O>[];

/** Per-parameter optimizer state: tensors (moments, buffers) and numbers (step counts). */
export type ParamState = Record<string, Tensor | number>;

/**
 * An optimizer's state as plain JSON-able data (PyTorch's `state_dict` layout): `state` maps a
 * parameter's index (counted through the groups in order) to its state, tensors written as
 * `{dtype, shape, data}`; `paramGroups` holds each group's hyper-parameters and its parameters'
 * indices.
 */
export interface OptimizerStateDict {
  state: Record<string, Record<string, SerializedTensor | number>>;
  paramGroups: (Record<string, unknown> & { params: number[] })[];
}

/**
 * Base class of the optimizers, in PyTorch's manner: parameter groups with their own
 * hyper-parameters, lazily created per-parameter state, `zeroGrad()`, `step()`, and
 * `stateDict()` / `loadStateDict()`.
 *
 * `step()` computes every update with core ops under `noGrad` and writes parameters and state
 * with `assign`, inside a `tidy` per parameter, so a step leaves no tensor behind and runs on
 * any backend. Parameters without a gradient are skipped (their state is not created).
 *
 * A subclass implements `update(param, grad, state, group)`.
 *
 * @example
 * const opt = new SGD([{ params: body, lr: 0.1 }, { params: head, lr: 0.01 }], { momentum: 0.9 });
 * for (const batch of batches) {
 *   opt.zeroGrad();
 *   tidy(() => lossOf(batch).backward());
 *   opt.step();
 * }
 */
export abstract class Optimizer<O extends OptimizerOptions = OptimizerOptions> {
  /** The optimizer's name (for messages), e.g. `'Adam'`. */
  readonly name: string;
  /** Default hyper-parameters, used for options a group leaves out. */
  readonly defaults: O;
  /** The parameter groups, in order. */
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state, created on the parameter's first step. */
  readonly state = new Map<Tensor, ParamState>();

  constructor(name: string, params: Params<O>, defaults: O) {
    this.name = name;
    this.defaults = defaults;
    this.validate(defaults, 'defaults');
    const list = [...(params as readonly unknown[])];
    if (list.length === 0) throw new Error(`${name}: got an empty parameter list`);
    if (list.every(isTensor)) this.addParamGroup({ params: list as Tensor[] } as unknown as ParamGroupInput<O>);
    else if (list.every((g) => !isTensor(g) && typeof g === 'object' && g !== null)) {
      for (const g of list as ParamGroupInput<O>[]) this.addParamGroup(g);
    } else {
      throw new Error(`${name}: params must be a list of tensors or a list of parameter groups ({ params, ...options })`);
    }
  }

  /** Throws if a hyper-parameter is out of range (`where` names the group). */
  protected abstract validate(options: O, where: string): void;

  /** Updates one parameter (called under `noGrad`, inside a `tidy`). */
  protected abstract update(param: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<O>): void;

  /**
   * Adds a parameter group (e.g. layers unfrozen during fine-tuning); options it leaves out
   * take the optimizer's defaults.
   *
   * @example opt.addParamGroup({ params: head.parameters(), lr: 1e-3 });
   */
  addParamGroup(group: ParamGroupInput<O>): void {
    const where = `param group ${this.paramGroups.length}`;
    const raw = group.params;
    const params = isTensor(raw) ? [raw] : [...(raw as readonly Tensor[])];
    const seen = new Set<Tensor>();
    for (const p of params) {
      if (!isTensor(p)) throw new Error(`${this.name}: ${where}: every parameter must be a Tensor`);
      if (!isFloat(p.dtype)) throw new Error(`${this.name}: ${where}: can only optimize float tensors, got ${p.dtype}`);
      if (!p.isLeaf) throw new Error(`${this.name}: ${where}: can't optimize a non-leaf tensor (made by '${p.opName}')`);
      if (seen.has(p)) throw new Error(`${this.name}: ${where} lists a parameter twice`);
      seen.add(p);
    }
    for (const g of this.paramGroups) {
      if (g.params.some((p) => seen.has(p))) throw new Error(`${this.name}: some parameters appear in more than one parameter group`);
    }
    const full = { ...copyOptions(this.defaults), ...copyOptions(group), params } as ParamGroup<O>;
    this.validate(full, where);
    this.paramGroups.push(full);
  }

  /** All parameters, through the groups in order. */
  params(): Tensor[] {
    return this.paramGroups.flatMap((g) => g.params);
  }

  /**
   * Clears the gradients of all parameters. By default `.grad` is disposed and set to null
   * (PyTorch's `set_to_none=True`), so parameters without a new gradient are skipped by `step`;
   * `zeroGrad(false)` sets them to zeros instead.
   */
  zeroGrad(setToNone = true): void {
    for (const p of this.params()) {
      const g = p.grad;
      if (!g) continue;
      if (setToNone) {
        p.grad = null;
        g.dispose();
      } else {
        tidy(() => noGrad(() => g.assign(zerosLike(g))));
      }
    }
  }

  /**
   * Performs one optimization step on every parameter that has a gradient. A `closure` that
   * recomputes the loss (with gradients) is called first, with grad mode on, and its result
   * returned, as in PyTorch.
   */
  step(): void;
  step<T>(closure: () => T): T;
  step<T>(closure?: () => T): T | undefined {
    const loss = closure ? enableGrad(closure) : undefined;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const grad = p.grad;
        if (!grad) continue;
        let state = this.state.get(p);
        if (!state) this.state.set(p, (state = {}));
        const st = state;
        tidy(() => noGrad(() => this.update(p, grad, st, group)));
      }
    }
    return loss;
  }

  /** The optimizer's state as plain JSON-able data (reads state tensors synchronously). */
  stateDict(): OptimizerStateDict {
    return this.buildStateDict(serializeTensor);
  }

  /** `stateDict()` reading the state tensors asynchronously (for backends like WebGPU). */
  async stateDictAsync(): Promise<OptimizerStateDict> {
    const tensors = new Map<Tensor, SerializedTensor>();
    for (const st of this.state.values()) {
      for (const v of Object.values(st)) if (isTensor(v)) tensors.set(v, await serializeTensorAsync(v));
    }
    return this.buildStateDict((t) => tensors.get(t)!);
  }

  private buildStateDict(ser: (t: Tensor) => SerializedTensor): OptimizerStateDict {
    const state: OptimizerStateDict['state'] = {};
    const paramGroups: OptimizerStateDict['paramGroups'] = [];
    let index = 0;
    for (const group of this.paramGroups) {
      const ids: number[] = [];
      for (const p of group.params) {
        const st = this.state.get(p);
        if (st) {
          const entry: Record<string, SerializedTensor | number> = {};
          for (const [k, v] of Object.entries(st)) entry[k] = isTensor(v) ? ser(v) : (encodeJson(v) as number);
          state[String(index)] = entry;
        }
        ids.push(index++);
      }
      const { params: _params, ...options } = group;
      paramGroups.push({ ...(encodeJson(options) as Record<string, unknown>), params: ids });
    }
    return { state, paramGroups };
  }

  /**
   * Restores state saved by `stateDict()` (possibly through JSON): per-parameter state and
   * every group's hyper-parameters. The optimizer must have the same group structure.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    if (sd.paramGroups.length !== this.paramGroups.length) {
      throw new Error(
        `${this.name}.loadStateDict: the state has ${sd.paramGroups.length} parameter groups, the optimizer ${this.paramGroups.length}`,
      );
    }
    const byIndex = new Map<number, Tensor>();
    sd.paramGroups.forEach((saved, i) => {
      const group = this.paramGroups[i]!;
      if (saved.params.length !== group.params.length) {
        throw new Error(
          `${this.name}.loadStateDict: parameter group ${i} has ${saved.params.length} parameters in the state, ${group.params.length} in the optimizer`,
        );
      }
      saved.params.forEach((id, k) => byIndex.set(id, group.params[k]!));
    });
    for (const [key, entry] of Object.entries(sd.state)) {
      const p = byIndex.get(Number(key));
      if (!p) throw new Error(`${this.name}.loadStateDict: state for unknown parameter index ${key}`);
      for (const v of Object.values(entry)) {
        if (isSerializedTensor(v) && v.shape.join(',') !== p.shape.join(',') && v.shape.length !== 0) {
          throw new Error(
            `${this.name}.loadStateDict: state of parameter ${key} has shape [${v.shape.join(',')}], the parameter [${p.shape.join(',')}]`,
          );
        }
      }
    }
    this.disposeState();
    for (const [key, entry] of Object.entries(sd.state)) {
      const p = byIndex.get(Number(key))!;
      const st: ParamState = {};
      for (const [k, v] of Object.entries(entry)) {
        st[k] = isSerializedTensor(v) ? keep(deserializeTensor(v, p.dtype)) : (decodeJson(v) as number);
      }
      this.state.set(p, st);
    }
    sd.paramGroups.forEach((saved, i) => {
      const group = this.paramGroups[i]!;
      const { params: _ids, ...options } = saved;
      Object.assign(group, decodeJson(options));
    });
  }

  /** Frees the state tensors (the optimizer can keep stepping; state restarts from scratch). */
  disposeState(): void {
    for (const st of this.state.values()) for (const v of Object.values(st)) if (isTensor(v)) v.dispose();
    this.state.clear();
  }

  /** Frees the optimizer's state tensors. */
  dispose(): void {
    this.disposeState();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

/**
 * The state tensor `key` of a parameter, created by `init` (and kept out of `tidy`) on first
 * use. For `Optimizer.update` implementations.
 */
export function stateTensor(state: ParamState, key: string, init: () => Tensor): Tensor {
  const t = state[key];
  if (t !== undefined) return t as Tensor;
  const made = keep(init());
  state[key] = made;
  return made;
}

/** A copy of a group's or defaults' options without `params` (arrays such as `betas` copied). */
function copyOptions(o: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'params' || v === undefined) continue;
    out[k] = Array.isArray(v) ? [...v] : v;
  }
  return out;
}

/** Throws unless `v` is a finite number ≥ `min` (and < `below` when given). */
export function checkRange(opt: string, where: string, name: string, v: unknown, min = 0, below?: number): void {
  if (typeof v !== 'number' || !(v >= min) || (below !== undefined && !(v < below)) || !Number.isFinite(v)) {
    const range = below === undefined ? `>= ${min}` : `in [${min}, ${below})`;
    throw new Error(`${opt}: invalid ${name} ${String(v)} in ${where} (expected a number ${range})`);
  }
}

/** Throws unless every option in `names` is a finite number ≥ 0 (checked in that order). */
export function checkRanges<O extends object>(opt: string, where: string, o: O, names: readonly (keyof O & string)[]): void {
  for (const name of names) checkRange(opt, where, name, o[name]);
}

/** Counts one more step in a parameter's state and returns it (1 on the first step). */
export function nextStep(state: ParamState): number {
  const step = ((state.step as number | undefined) ?? 0) + 1;
  state.step = step;
  return step;
}

/** Throws unless `betas` is a pair of numbers in [0, 1). */
export function checkBetas(opt: string, where: string, betas: unknown): void {
  if (!Array.isArray(betas) || betas.length !== 2) {
    throw new Error(`${opt}: betas must be a pair [beta1, beta2] in ${where}, got ${JSON.stringify(betas)}`);
  }
  checkRange(opt, where, 'beta1', betas[0], 0, 1);
  checkRange(opt, where, 'beta2', betas[1], 0, 1);
}
