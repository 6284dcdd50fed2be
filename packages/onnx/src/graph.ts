import { isFloat, isGradEnabled, isTensor, keep, noGrad, tidy, type Tensor } from '@mapnn/core';
import { buffer, parameter } from '@mapnn/layers';
import { getOnnxOp, type ConvertContext, type OnnxKernel, type OnnxNode, type OnnxOpDefinition, type OnnxSubgraph, type RunContext } from './converter.js';
import { describeError, OnnxImportError, OnnxRunError } from './errors.js';
import { readGraphStructure, type GraphScope, type GraphStructure, type OnnxValueInfo } from './graph-structure.js';
import type { IGraphProto } from './proto/onnx.js';
import { hostToTensor, type TensorDecodeOptions } from './proto/tensor.js';
import { describeValue, isOptional, isSequence, optional, sequence, tensorsOf, type OnnxValue } from './values.js';
import { rememberInts, withRunLimits, type RunLimits } from './ops/util.js';

export type { OnnxValueInfo } from './graph-structure.js';

/** @internal One scheduled node. */
export interface PlanStep {
  node: OnnxNode;
  kernel: OnnxKernel;
  /** The kernel handles sequences and optionals (else its inputs are checked to be tensors). */
  acceptsSequences: boolean;
  /** Value names whose last use is this step (freed after it in inference mode). */
  frees: string[];
}

/** @internal A compiled graph (the model's, or a control-flow body). */
export interface CompiledGraph {
  plan: PlanStep[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  /** Initializers by name (the main graph's are parameters and buffers). */
  initializers: Map<string, Tensor>;
  /** Import-time constants (Constant nodes and folded values) by value name. */
  constants: Map<string, Tensor>;
  /** Every tensor this graph and its subgraphs own (freed by dispose). */
  owned: Set<Tensor>;
}

export interface GraphCompileOptions extends TensorDecodeOptions {
  foldConstants?: boolean;
  maxRuntimeElements?: number;
  /** Largest number of Loop iterations in one run, nested loops included (default 1,000,000). */
  maxLoopIterations?: number;
  /** Largest number of Loop iterations in one run while gradients are recorded (default 100,000). */
  maxRecordedLoopIterations?: number;
}

/** @internal State shared by a model's graph and its subgraphs. */
export interface CompileScope extends GraphScope {
  options: GraphCompileOptions;
  outer: Set<string>;
  /** Main graph: float initializers become parameters, others buffers; subgraphs: constants. */
  main: boolean;
}

/** The run limits the import options ask for (defaults for what they leave out). */
export function runLimitsOf(options: GraphCompileOptions): Partial<RunLimits> {
  return {
    maxElements: options.maxRuntimeElements,
    maxLoopIterations: options.maxLoopIterations,
    maxRecordedLoopIterations: options.maxRecordedLoopIterations,
  };
}

/** The tensors a graph being compiled holds. */
interface GraphTensors {
  initializers: Map<string, Tensor>;
  constants: Map<string, Tensor>;
  /** Every tensor the graph and its subgraphs own. */
  owned: Set<Tensor>;
  /** Tensors this graph made itself (initializers and folded values). */
  mine: Tensor[];
}

/**
 * Compiles a graph: validates it (references, duplicates, cycles, unsupported ops — one error
 * listing them all), prunes what the outputs do not need, converts each node once, folds nodes
 * whose inputs are all constants, and computes when each intermediate can be freed.
 */
export function compileGraph(graph: IGraphProto, scope: CompileScope): CompiledGraph {
  const structure = readGraphStructure(graph, scope);
  const declaredTypes = declaredElementTypes(graph, structure);
  const nonTrainable = nonTrainableInitializers(structure);
  const tensors: GraphTensors = { initializers: new Map(), constants: new Map(), owned: new Set(), mine: [] };
  try {
    materializeInitializers(structure, nonTrainable, scope.main, tensors);
    const plan = convertNodes(structure, scope, declaredTypes, tensors);
    scheduleFrees(plan, structure, tensors, scope.outer);
    disposeUnusedConstants(plan, structure.outputs, tensors);
    const { initializers, constants, owned } = tensors;
    return { plan, inputs: structure.inputs, outputs: structure.outputs, initializers, constants, owned };
  } catch (e) {
    for (const t of tensors.owned) t.dispose();
    throw e;
  }
}

/** Declared element types by value name (for converters that care, e.g. CastLike to bfloat16). */
function declaredElementTypes(graph: IGraphProto, { hostInits }: GraphStructure): Map<string, number> {
  const declaredTypes = new Map<string, number>();
  for (const v of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])]) {
    const t = v.type?.tensorType?.elemType;
    if (v.name && t) declaredTypes.set(v.name, t);
  }
  for (const [name, h] of hostInits) declaredTypes.set(name, h.onnxType);
  return declaredTypes;
}

/** Values fed to inputs their op says are not trained (e.g. BatchNormalization's running stats). */
function nonTrainableInitializers({ nodes, order }: GraphStructure): Set<string> {
  const nonTrainable = new Set<string>();
  for (const i of order) {
    const n = nodes[i]!;
    const def = getOnnxOp(n.opType, n.domain)!;
    for (const k of def.nonTrainableInputs ?? []) if (n.inputs[k]) nonTrainable.add(n.inputs[k]!);
  }
  return nonTrainable;
}

/** Initializers as tensors: in the main graph float ones are parameters, others buffers. */
function materializeInitializers({ hostInits }: GraphStructure, nonTrainable: ReadonlySet<string>, main: boolean, tensors: GraphTensors): void {
  for (const [name, h] of hostInits) {
    const t = hostToTensor(h);
    tensors.owned.add(t);
    tensors.mine.push(t);
    if (!isFloat(h.dtype)) rememberInts(t, Array.from(h.data));
    if (main) tensors.initializers.set(name, isFloat(h.dtype) && !nonTrainable.has(name) ? parameter(t) : buffer(t));
    else tensors.initializers.set(name, keep(t));
  }
}

/** Converts each node once, in order; nodes whose inputs are all constant are folded away. */
function convertNodes(structure: GraphStructure, scope: CompileScope, declaredTypes: ReadonlyMap<string, number>, tensors: GraphTensors): PlanStep[] {
  const { hostInits, inputNames, producer } = structure;
  const { constants, initializers } = tensors;
  const isStatic = (v: string) =>
    v === '' || constants.has(v) || (hostInits.has(v) && (!scope.main || !isFloat(hostInits.get(v)!.dtype)) && !inputNames.has(v));
  const constantOf = (v: string) => constants.get(v) ?? (inputNames.has(v) ? undefined : initializers.get(v));
  const visible = new Set<string>([...scope.outer, ...hostInits.keys(), ...inputNames, ...producer.keys()]);
  const fold = scope.options.foldConstants ?? true;
  const plan: PlanStep[] = [];
  for (const i of structure.order) {
    const node = structure.nodes[i]!;
    const def = getOnnxOp(node.opType, node.domain)!;
    const ctx = convertContext(node, { scope, declaredTypes, constantOf, visible, owned: tensors.owned });
    const kernel = convertNode(def, node, ctx);
    // (ops that may produce sequences or optionals are not folded: constants are tensors)
    const foldable = fold && !def.nondeterministic && !def.acceptsSequences && node.inputs.every(isStatic);
    if (foldable && foldNode(node, kernel, constantOf, scope.options, tensors)) continue;
    plan.push({ node, kernel, frees: [], acceptsSequences: !!def.acceptsSequences });
  }
  return plan;
}

/** What a converter may ask about its node's inputs, and how it compiles its subgraphs. */
function convertContext(
  node: OnnxNode,
  env: {
    scope: CompileScope;
    declaredTypes: ReadonlyMap<string, number>;
    constantOf: (v: string) => Tensor | undefined;
    visible: Set<string>;
    owned: Set<Tensor>;
  },
): ConvertContext {
  const { scope } = env;
  return {
    constant: (k) => {
      const v = node.inputs[k];
      return v ? env.constantOf(v) : undefined;
    },
    hasInput: (k) => !!node.inputs[k],
    onnxType: (k) => {
      const v = node.inputs[k];
      return v ? env.declaredTypes.get(v) : undefined;
    },
    fail: (msg) => {
      throw new OnnxImportError(`${node.opType} node '${node.name}': ${msg}`, { where: node.name });
    },
    compileSubgraph: (g) => {
      const sub = compileGraph(g, { ...scope, main: false, outer: env.visible, depth: scope.depth + 1 });
      for (const t of sub.owned) env.owned.add(t);
      return sub;
    },
  };
}

/** Runs the op's converter; what it throws becomes an OnnxImportError naming the node. */
function convertNode(def: OnnxOpDefinition, node: OnnxNode, ctx: ConvertContext): OnnxKernel {
  try {
    return def.convert(node, ctx);
  } catch (e) {
    if (e instanceof OnnxImportError) throw e;
    throw new OnnxImportError(`${node.opType} node '${node.name}': ${describeError(e)}`, { where: node.name, cause: e });
  }
}

/**
 * Evaluates a node whose inputs are all constant at import and records its outputs as
 * constants. Returns whether every output became a constant (the node then leaves the plan).
 */
function foldNode(
  node: OnnxNode,
  kernel: OnnxKernel,
  constantOf: (v: string) => Tensor | undefined,
  options: GraphCompileOptions,
  { constants, initializers, owned, mine }: GraphTensors,
): boolean {
  const outs = evaluateAtImport(node, kernel, constantOf, options);
  const known = new Set([...constants.values(), ...initializers.values()]);
  node.outputs.forEach((name, k) => {
    const t = outs[k];
    if (name && t) {
      // an output may be one of the inputs (Identity): share it
      if (!known.has(t)) {
        keep(t);
        owned.add(t);
        mine.push(t);
      }
      constants.set(name, t);
    }
  });
  // results no output name takes (tidy handed them out with the rest)
  outs.forEach((t, k) => t && !node.outputs[k] && !known.has(t) && !owned.has(t) && t.dispose());
  return node.outputs.every((o) => o === '' || constants.has(o));
}

/** Runs a kernel on constant inputs, without gradients and under the run limits. */
function evaluateAtImport(node: OnnxNode, kernel: OnnxKernel, constantOf: (v: string) => Tensor | undefined, options: GraphCompileOptions): (Tensor | undefined)[] {
  try {
    return withRunLimits(runLimitsOf(options), () =>
      noGrad(() =>
        tidy(() => {
          const r = kernel(
            node.inputs.map((v) => (v === '' ? undefined : constantOf(v))),
            { node, training: false },
          );
          return Array.isArray(r) ? [...r] : [r as Tensor];
        }),
      ),
    );
  } catch (e) {
    if (e instanceof OnnxImportError) throw e;
    throw new OnnxImportError(`${node.opType} node '${node.name}' (evaluated at import): ${describeError(e)}`, { where: node.name, cause: e });
  }
}

/** Liveness: each intermediate is freed after its last consumer (unconsumed outputs at once). */
function scheduleFrees(plan: PlanStep[], { inputs, outputs, producer }: GraphStructure, { initializers, constants }: GraphTensors, outer: ReadonlySet<string>): void {
  const lastUse = new Map<string, number>();
  plan.forEach((s, k) => s.node.inputs.forEach((v) => v && lastUse.set(v, k)));
  const keepNames = new Set([...outputs.map((o) => o.name), ...initializers.keys(), ...constants.keys(), ...inputs.map((x) => x.name), ...outer]);
  for (const [v, k] of lastUse) if (!keepNames.has(v) && producer.has(v)) plan[k]!.frees.push(v);
  // outputs of a node nobody consumes (unused optional outputs) are freed right away
  plan.forEach((s, k) => s.node.outputs.forEach((v) => v && !lastUse.has(v) && !keepNames.has(v) && plan[k]!.frees.push(v)));
}

/** Drops the constants nothing uses any more (folded intermediates) and frees their tensors. */
function disposeUnusedConstants(plan: readonly PlanStep[], outputs: readonly OnnxValueInfo[], { initializers, constants, owned, mine }: GraphTensors): void {
  const used = new Set<string>([...plan.flatMap((s) => s.node.inputs), ...outputs.map((o) => o.name)]);
  for (const name of [...constants.keys()]) if (!used.has(name)) constants.delete(name);
  const live = new Set<Tensor>([...initializers.values(), ...constants.values()]);
  for (const t of mine) {
    if (!live.has(t)) {
      owned.delete(t);
      t.dispose();
    }
  }
}

/**
 * Runs a compiled graph. `env` holds every value visible to it (outer scope, inputs,
 * initializers, constants); those are never freed. In inference mode (`record` false) each
 * node runs in its own `tidy` and intermediates are freed after their last consumer (tensors
 * are reference-counted, as sequences share them); outputs that hold protected tensors get
 * fresh views.
 */
export function executePlan(
  g: Pick<CompiledGraph, 'plan'>,
  env: Map<string, OnnxValue>,
  wanted: readonly string[],
  opts: { record: boolean; training: boolean },
  userTensors: ReadonlySet<Tensor> = new Set(),
): OnnxValue[] {
  const protectedSet = new Set<Tensor>();
  for (const v of env.values()) for (const t of tensorsOf(v)) protectedSet.add(t);
  const wantedSet = new Set(wanted);
  const refs = new Map<Tensor, number>();
  const rt: RunContext = { node: undefined as unknown as OnnxNode, training: opts.training };
  for (const step of g.plan) {
    const { node, kernel } = step;
    const ins = node.inputs.map((n, k) => {
      if (n === '') return undefined;
      const v = env.get(n);
      if (!v) throw new OnnxRunError(`${node.opType} node '${node.name}': input '${n}' has no value (an optional output that was not produced?)`, { where: node.name });
      if (!step.acceptsSequences && !isTensor(v)) {
        throw new OnnxRunError(`${node.opType} node '${node.name}': input ${k} ('${n}') is ${describeValue(v)}; this op takes tensors`, { where: node.name });
      }
      return v;
    });
    rt.node = node;
    let outs: readonly (OnnxValue | undefined)[];
    try {
      const call = () => {
        const r = kernel(ins as (Tensor | undefined)[], rt) as unknown;
        return Array.isArray(r) ? ([...r] as (OnnxValue | undefined)[]) : [r as OnnxValue];
      };
      outs = opts.record ? call() : tidy(node.opType, call);
    } catch (e) {
      if (e instanceof OnnxImportError) throw e;
      throw new OnnxRunError(`${node.opType} node '${node.name}' failed: ${describeError(e)}`, { where: node.name, cause: e });
    }
    node.outputs.forEach((name, i) => {
      if (name === '') return;
      const v = outs[i];
      if (v) {
        env.set(name, v);
        for (const t of tensorsOf(v)) refs.set(t, (refs.get(t) ?? 0) + 1);
      }
    });
    if (!opts.record) {
      // results no output name takes (extra or omitted optional outputs) are freed at once
      if (outs.some((v, i) => v && !node.outputs[i])) {
        const inputTensors = new Set(ins.flatMap((v) => tensorsOf(v)));
        outs.forEach((v, i) => {
          if (!v || node.outputs[i]) return;
          for (const t of tensorsOf(v)) if (!protectedSet.has(t) && !refs.has(t) && !inputTensors.has(t)) t.dispose();
        });
      }
      for (const name of step.frees) {
        const v = env.get(name);
        if (!v || wantedSet.has(name)) continue;
        env.delete(name);
        for (const t of tensorsOf(v)) {
          if (protectedSet.has(t)) continue;
          const n = (refs.get(t) ?? 0) - 1;
          refs.set(t, n);
          if (n <= 0) {
            refs.delete(t);
            t.dispose();
          }
        }
      }
    }
  }
  const handedOut = new Set<Tensor>();
  const fresh = (t: Tensor) => {
    const view = !opts.record && (protectedSet.has(t) || userTensors.has(t) || handedOut.has(t)) ? t.detach() : t;
    handedOut.add(t);
    return view;
  };
  return wanted.map((name) => {
    const v = env.get(name);
    if (!v) throw new OnnxRunError(`output '${name}' was not produced`, { where: name });
    if (isTensor(v)) return fresh(v);
    if (isSequence(v)) return sequence(v.items.map(fresh));
    if (isOptional(v)) return optional(v.value === null ? null : isTensor(v.value) ? fresh(v.value) : sequence(v.value.items.map(fresh)));
    return v;
  });
}

/**
 * Whether a run records gradients (training mode with grad on): its tensors then stay alive for
 * backward; otherwise values may be freed as soon as nothing needs them.
 */
export function recordsGradients(rt: RunContext): boolean {
  return rt.training && isGradEnabled();
}

/**
 * Runs a compiled subgraph (a control-flow body) on `args` (its inputs, in order) with the
 * outer values it captures. Results are fresh values the caller owns.
 */
export function runSubgraph(
  sub: OnnxSubgraph,
  args: readonly (OnnxValue | undefined)[],
  captured: ReadonlyMap<string, OnnxValue>,
  rt: RunContext,
): OnnxValue[] {
  const g = sub as CompiledGraph;
  const env = new Map<string, OnnxValue>(captured);
  for (const [k, v] of g.initializers) env.set(k, v);
  for (const [k, v] of g.constants) env.set(k, v);
  g.inputs.forEach((inp, i) => {
    const a = args[i];
    if (a) env.set(inp.name, a);
  });
  const record = recordsGradients(rt);
  return executePlan(g, env, g.outputs.map((o) => o.name), { record, training: rt.training });
}
