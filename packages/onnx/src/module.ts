import { cast, isFloat, isGradEnabled, isTensor, noGrad, tensor, tidy, type Tensor, type TensorLike } from '@mapnn/core';
import { Module } from '@mapnn/layers';
import type { OnnxNode } from './converter.js';
import { executePlan, type CompiledGraph, type OnnxValueInfo } from './graph.js';
import { optional, sequence, toUserValue, type OnnxSequence, type OnnxValue } from './values.js';
import { describeError, OnnxImportError, OnnxRunError } from './errors.js';
export type { OnnxValueInfo } from './graph.js';
import { withRunLimits, type RunLimits } from './ops/util.js';

export interface OnnxRunOptions {
  /** Outputs to return (default: all graph outputs). */
  outputs?: readonly string[];
  /** Check inputs against the declared static dims (default true). */
  checkShapes?: boolean;
}

/** Facts about the imported model. */
export interface OnnxModelInfo {
  irVersion: number;
  /** Opset version per domain ('' = the default ONNX domain). */
  opsets: Record<string, number>;
  producerName: string;
  producerVersion: string;
  graphName: string;
  docString: string;
  /** Op types used by the (pruned) graph, with counts. */
  opCounts: Record<string, number>;
}

/** @internal Holds parameters named by the dotted parts of initializer names. */
export class OnnxParameters extends Module<[], never> {
  forward(): never {
    throw new Error('OnnxParameters holds imported initializers; it cannot be called');
  }
}

/** @internal */
export interface OnnxModuleParts {
  graph: CompiledGraph;
  info: OnnxModelInfo;
  /** Bounds of each run (see OnnxImportOptions: maxRuntimeElements, maxLoopIterations …). */
  limits?: Partial<RunLimits>;
}

/**
 * An imported ONNX graph as a mapnn `Module`. Float initializers are trainable parameters
 * (nested by the dots of their names, so `stateDict()` keys are the ONNX/PyTorch names),
 * integer initializers and BatchNorm statistics are buffers.
 *
 * - `model.call(x)` / `model.call(a, b)`: inputs in graph order; returns the single output, or
 *   an array when the graph has several (type it with `importOnnx<Tensor[]>`).
 * - `model.run({ name: tensor })`: named inputs to named outputs.
 *
 * The module starts in eval mode: nodes run without recording gradients and every
 * intermediate is freed as soon as its last consumer has run. After `model.train()`, calls
 * record gradients (when grad mode is on) so the model can be fine-tuned; intermediates then
 * live in the caller's `tidy` scope, like any op's, until the step is done.
 */
export class OnnxModule<O extends Tensor | Tensor[] = Tensor> extends Module<(TensorLike | Tensor[] | null)[], O> {
  readonly #graph: CompiledGraph;
  readonly #inputs: OnnxValueInfo[];
  readonly #outputs: OnnxValueInfo[];
  readonly #initializers: Map<string, Tensor>;
  readonly #info: OnnxModelInfo;
  readonly #limits: Partial<RunLimits>;

  /** @internal Use `importOnnx`. */
  constructor(parts: OnnxModuleParts) {
    super();
    this.#graph = parts.graph;
    this.#inputs = parts.graph.inputs;
    this.#outputs = parts.graph.outputs;
    this.#initializers = parts.graph.initializers;
    this.#info = parts.info;
    this.#limits = { ...parts.limits };
    this.training = false;
  }

  /** Graph inputs (initializers excluded), in order. */
  get inputs(): readonly OnnxValueInfo[] {
    return this.#inputs;
  }
  get outputs(): readonly OnnxValueInfo[] {
    return this.#outputs;
  }
  get inputNames(): string[] {
    return this.#inputs.map((i) => i.name);
  }
  get outputNames(): string[] {
    return this.#outputs.map((o) => o.name);
  }
  get info(): OnnxModelInfo {
    return this.#info;
  }
  /** The scheduled nodes (topological order). */
  get nodes(): readonly OnnxNode[] {
    return this.#graph.plan.map((s) => s.node);
  }

  /** The parameter or buffer made from the initializer called `name` (its ONNX name). */
  initializer(name: string): Tensor | undefined {
    return this.#initializers.get(name);
  }

  /** Initializer names, in model order. */
  initializerNames(): string[] {
    return [...this.#initializers.keys()];
  }

  forward(...inputs: (TensorLike | Tensor[] | null)[]): O {
    if (inputs.length > this.#inputs.length) {
      throw new OnnxRunError(`expected at most ${this.#inputs.length} inputs (${this.inputNames.join(', ')}), got ${inputs.length}`);
    }
    const feeds: Record<string, TensorLike | Tensor[] | null> = {};
    inputs.forEach((x, i) => (feeds[this.#inputs[i]!.name] = x));
    const out = this.run<Tensor | Tensor[] | null>(feeds);
    const list = this.#outputs.map((o) => out[o.name]!);
    return (list.length === 1 ? list[0] : list) as O;
  }

  /**
   * Runs the graph on named inputs and returns every graph output by name (or only those
   * listed in `options.outputs`). Plain arrays/numbers are converted to the declared dtype;
   * tensors of another dtype of the same kind (int ↔ int, float ↔ float) are cast. Inputs are
   * checked against the declared static dims unless `options.checkShapes` is false.
   * Sequence-typed values are arrays of tensors, optional ones a value or null (type them with
   * `run<Tensor[]>(…)`).
   */
  run<V = Tensor>(feeds: Record<string, TensorLike | Tensor[] | null>, options: OnnxRunOptions = {}): Record<string, V> {
    const wanted = options.outputs ?? this.outputNames;
    const checkShapes = options.checkShapes ?? true;
    for (const n of wanted) {
      if (!this.#outputs.some((o) => o.name === n)) throw new OnnxRunError(`'${n}' is not an output of this model (outputs: ${this.outputNames.join(', ')})`);
    }
    const record = this.training && isGradEnabled();
    try {
      return withRunLimits(this.#limits, () =>
        record
          ? this.#execute(feeds, wanted, true, checkShapes)
          : noGrad(() => tidy('onnx.run', () => this.#execute(feeds, wanted, false, checkShapes))),
      ) as Record<string, V>;
    } catch (e) {
      if (e instanceof OnnxImportError) throw e;
      // a safety net: every failure of a run is an OnnxRunError
      throw new OnnxRunError(`run failed: ${describeError(e)}`, { cause: e });
    }
  }

  #toTensor(info: OnnxValueInfo, v: TensorLike, userTensors: Set<Tensor>, checkShapes: boolean): Tensor {
    let t: Tensor;
    if (isTensor(v)) {
      userTensors.add(v);
      t = v;
      if (info.dtype && t.dtype !== info.dtype) {
        const sameKind = isFloat(t.dtype) === isFloat(info.dtype) && t.dtype !== 'bool' && info.dtype !== 'bool';
        if (!sameKind) {
          throw new OnnxRunError(`input '${info.name}' expects ${info.dtype}, got a ${t.dtype} tensor`, { where: info.name });
        }
        t = cast(t, info.dtype);
      }
    } else {
      t = tensor(v, undefined, info.dtype ?? undefined);
    }
    if (info.shape && checkShapes) {
      const bad = info.shape.length !== t.shape.length || info.shape.some((d, i) => typeof d === 'number' && d > 0 && d !== t.shape[i]);
      if (bad) {
        const want = info.shape.map((d) => (d === null ? '?' : d)).join(',');
        throw new OnnxRunError(`input '${info.name}' expects shape [${want}], got [${t.shape.join(',')}]`, { where: info.name });
      }
    }
    return t;
  }

  #prepareInputs(feeds: Record<string, TensorLike | Tensor[] | null>, env: Map<string, OnnxValue>, checkShapes: boolean): Set<Tensor> {
    const userTensors = new Set<Tensor>();
    for (const k of Object.keys(feeds)) {
      if (!this.#inputs.some((i) => i.name === k) && !this.#initializers.has(k)) {
        throw new OnnxRunError(`unknown input '${k}' (inputs: ${this.inputNames.join(', ')})`);
      }
    }
    const seq = (info: OnnxValueInfo, v: unknown): OnnxValue => {
      if (!Array.isArray(v) || !v.every(isTensor)) throw new OnnxRunError(`input '${info.name}' is a sequence: pass an array of tensors`, { where: info.name });
      v.forEach((t) => userTensors.add(t));
      return sequence([...v]);
    };
    for (const info of this.#inputs) {
      const v = feeds[info.name];
      if (info.kind === 'optional') {
        if (v === undefined || v === null) env.set(info.name, optional(null));
        else env.set(info.name, optional(Array.isArray(v) && v.every(isTensor) ? (seq(info, v) as OnnxSequence) : this.#toTensor({ ...info, shape: null }, v as TensorLike, userTensors, false)));
        continue;
      }
      if (v === undefined || v === null) throw new OnnxRunError(`missing input '${info.name}' (inputs: ${this.inputNames.join(', ')})`, { where: info.name });
      env.set(info.name, info.kind === 'sequence' ? seq(info, v) : this.#toTensor(info, v as TensorLike, userTensors, checkShapes));
    }
    for (const [k, v] of Object.entries(feeds)) {
      if (this.#initializers.has(k) && v !== null) {
        const t = isTensor(v) ? v : tensor(v as TensorLike, undefined, this.#initializers.get(k)!.dtype);
        if (isTensor(v)) userTensors.add(v);
        env.set(k, t);
      }
    }
    return userTensors;
  }

  #execute(feeds: Record<string, TensorLike | Tensor[] | null>, wanted: readonly string[], record: boolean, checkShapes: boolean): Record<string, Tensor | Tensor[] | null> {
    const env = new Map<string, OnnxValue>();
    for (const [k, v] of this.#initializers) env.set(k, v);
    for (const [k, v] of this.#graph.constants) env.set(k, v);
    const userTensors = this.#prepareInputs(feeds, env, checkShapes);
    const outs = executePlan(this.#graph, env, wanted, { record, training: this.training }, userTensors);
    const result: Record<string, Tensor | Tensor[] | null> = {};
    wanted.forEach((name, i) => (result[name] = toUserValue(outs[i]!, (t) => t)));
    return result;
  }

  /** Frees parameters, buffers and import-time constants. */
  override dispose(): void {
    super.dispose();
    for (const t of this.#graph.owned) t.dispose();
  }

  override describe(): string {
    const ops = Object.keys(this.#info.opCounts).length;
    return `OnnxModule(${this.#info.graphName || 'graph'}: ${this.#graph.plan.length} nodes, ${ops} op types)`;
  }
}
