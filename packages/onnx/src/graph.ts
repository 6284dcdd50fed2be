import { isFloat, isGradEnabled, isTensor, keep, noGrad, tidy, type Tensor } from '@mapnn/core';
import { buffer, parameter } from '@mapnn/layers';
import { getOnnxOp, OnnxAttributes, type ConvertContext, type OnnxKernel, type OnnxNode, type OnnxSubgraph, type RunContext } from './converter.js';
import { describeError, OnnxImportError, OnnxRunError } from './errors.js';
import { longToNumber } from './proto/long.js';
import { AttributeType, type IGraphProto, type IValueInfoProto } from './proto/onnx.js';
import { decodeTensor, dtypeFromOnnx, hostToTensor, type HostTensor, type TensorDecodeOptions } from './proto/tensor.js';
import { describeValue, isOptional, isSequence, optional, sequence, tensorsOf, type OnnxValue } from './values.js';
import { rememberInts, withRunLimits, type RunLimits } from './ops/util.js';

/** Declared type of a graph input or output. */
export interface OnnxValueInfo {
  name: string;
  /** What the value is: a tensor (almost always), a sequence of tensors or an optional. */
  kind: 'tensor' | 'sequence' | 'optional' | 'unknown';
  /** mapnn dtype, or null when the model does not say (or uses a type mapnn lacks). */
  dtype: Tensor['dtype'] | null;
  /** Dims: numbers, symbolic names (e.g. 'batch') or null when unknown; null shape = unknown rank. */
  shape: (number | string | null)[] | null;
}

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
export interface CompileScope {
  opsets: Record<string, number>;
  options: GraphCompileOptions;
  /** Value names visible from enclosing graphs (for subgraphs). */
  outer: Set<string>;
  /** Main graph: float initializers become parameters, others buffers; subgraphs: constants. */
  main: boolean;
  /** Nesting depth of subgraphs (0 for the model's graph). */
  depth: number;
}

export function valueInfo(v: IValueInfoProto): OnnxValueInfo {
  const name = v.name ?? '';
  const t = v.type;
  if (t?.sequenceType) return { name, kind: 'sequence', dtype: dtypeFromOnnx(t.sequenceType.elemType?.tensorType?.elemType ?? 0), shape: null };
  if (t?.optionalType) {
    const inner = t.optionalType.elemType;
    const dt = inner?.tensorType?.elemType ?? inner?.sequenceType?.elemType?.tensorType?.elemType ?? 0;
    return { name, kind: 'optional', dtype: dtypeFromOnnx(dt), shape: null };
  }
  const tt = t?.tensorType;
  if (!tt) return { name, kind: t ? 'unknown' : 'tensor', dtype: null, shape: null };
  const dtype = dtypeFromOnnx(tt.elemType ?? 0);
  const shape = tt.shape
    ? (tt.shape.dim ?? []).map((d) => (d.dimValue !== undefined && d.dimValue !== null && (d.dimParam ?? '') === '' ? longToNumber(d.dimValue) : d.dimParam || null))
    : null;
  return { name, kind: 'tensor', dtype, shape };
}

/** Subgraphs held by a node's GRAPH / GRAPHS attributes. */
export function subgraphsOf(attrs: readonly { type?: number | null; g?: IGraphProto | null; graphs?: IGraphProto[] | null }[]): IGraphProto[] {
  const out: IGraphProto[] = [];
  for (const a of attrs) {
    if (a.g && (a.type === AttributeType.GRAPH || !a.type)) out.push(a.g);
    if (a.graphs && a.graphs.length) out.push(...a.graphs);
  }
  return out;
}

/** Names a graph uses that it does not define (values captured from enclosing graphs). */
export function freeVariables(g: IGraphProto, depth = 0): Set<string> {
  if (depth > 64) throw new OnnxImportError('subgraphs are nested more than 64 deep');
  const defined = new Set<string>([...(g.input ?? []).map((v) => v.name ?? ''), ...(g.initializer ?? []).map((t) => t.name ?? '')]);
  for (const n of g.node ?? []) for (const o of n.output ?? []) defined.add(o);
  const free = new Set<string>();
  for (const n of g.node ?? []) {
    for (const i of n.input ?? []) if (i && !defined.has(i)) free.add(i);
    for (const sg of subgraphsOf(n.attribute ?? [])) for (const v of freeVariables(sg, depth + 1)) if (!defined.has(v)) free.add(v);
  }
  for (const o of g.output ?? []) if (o.name && !defined.has(o.name)) free.add(o.name);
  return free;
}

/** The run limits the import options ask for (defaults for what they leave out). */
export function runLimitsOf(options: GraphCompileOptions): Partial<RunLimits> {
  return {
    maxElements: options.maxRuntimeElements,
    maxLoopIterations: options.maxLoopIterations,
    maxRecordedLoopIterations: options.maxRecordedLoopIterations,
  };
}

/**
 * Compiles a graph: validates it (references, duplicates, cycles, unsupported ops — one error
 * listing them all), prunes what the outputs do not need, converts each node once, folds nodes
 * whose inputs are all constants, and computes when each intermediate can be freed.
 */
export function compileGraph(graph: IGraphProto, scope: CompileScope): CompiledGraph {
  const { opsets, options } = scope;
  const where = scope.main ? 'the graph' : `subgraph '${graph.name ?? ''}'`;
  if ((graph.sparseInitializer ?? []).length) {
    throw new OnnxImportError(`sparse initializers are not supported (${graph.sparseInitializer!.map((s) => s.values?.name ?? '?').join(', ')})`);
  }

  // ---- initializers (host), inputs, outputs
  const hostInits = new Map<string, HostTensor>();
  for (const t of graph.initializer ?? []) {
    const name = t.name ?? '';
    if (!name) throw new OnnxImportError('an initializer has no name');
    if (hostInits.has(name)) throw new OnnxImportError(`initializer '${name}' is defined twice`, { where: name });
    hostInits.set(name, decodeTensor(t, options));
  }
  const inputs = (graph.input ?? []).filter((v) => !hostInits.has(v.name ?? '') || !scope.main).map(valueInfo);
  const outputs = (graph.output ?? []).map(valueInfo);
  if (outputs.length === 0) throw new OnnxImportError(`${where} has no outputs`);
  const seenIn = new Set<string>();
  for (const i of inputs) {
    if (!i.name) throw new OnnxImportError('a graph input has no name');
    if (seenIn.has(i.name)) throw new OnnxImportError(`graph input '${i.name}' is declared twice`, { where: i.name });
    seenIn.add(i.name);
  }

  // ---- nodes (a node with subgraphs also depends on the values they capture)
  const protoNodes = graph.node ?? [];
  const nodes: OnnxNode[] = protoNodes.map((n, idx) => {
    const opType = n.opType ?? '';
    const domain = n.domain === 'ai.onnx' ? '' : (n.domain ?? '');
    const name = n.name || `${opType || 'node'}_${idx}`;
    const node: OnnxNode = {
      name,
      opType,
      domain,
      opset: opsets[domain] ?? (domain ? 1 : 0),
      inputs: [...(n.input ?? [])],
      outputs: [...(n.output ?? [])],
      attrs: new OnnxAttributes(n.attribute ?? [], `${opType} node '${name}'`, options),
    };
    const subs = subgraphsOf(n.attribute ?? []);
    if (subs.length) {
      const captured = new Set<string>();
      for (const sg of subs) for (const v of freeVariables(sg, scope.depth + 1)) captured.add(v);
      node.implicitInputs = [...captured].sort();
      node.inputs.push(...node.implicitInputs);
    }
    return node;
  });
  const producer = new Map<string, number>();
  const dupes: string[] = [];
  nodes.forEach((n, i) => {
    if (!n.opType) throw new OnnxImportError(`node '${n.name}' has no op type`, { where: n.name });
    for (const o of n.outputs) {
      if (o === '') continue;
      if (producer.has(o) || hostInits.has(o) || seenIn.has(o)) dupes.push(`'${o}' (node '${n.name}')`);
      producer.set(o, i);
    }
  });
  if (dupes.length) throw new OnnxImportError(`values are defined more than once: ${dupes.join(', ')}`);
  const local = (v: string) => v === '' || hostInits.has(v) || seenIn.has(v) || producer.has(v);
  const available = (v: string) => local(v) || scope.outer.has(v);
  for (const o of outputs) {
    if (!available(o.name)) throw new OnnxImportError(`graph output '${o.name}' is not produced by any node, input or initializer`, { where: o.name });
  }

  // ---- prune to what the outputs need, and check references
  const needed = new Set<number>();
  const missing: string[] = [];
  const stack: string[] = outputs.map((o) => o.name);
  const visited = new Set<string>();
  while (stack.length) {
    const v = stack.pop()!;
    if (visited.has(v)) continue;
    visited.add(v);
    const p = producer.get(v);
    if (p === undefined || needed.has(p)) continue;
    needed.add(p);
    for (const i of nodes[p]!.inputs) {
      if (i === '') continue;
      if (!available(i)) missing.push(`'${i}' (input of ${nodes[p]!.opType} node '${nodes[p]!.name}')`);
      else stack.push(i);
    }
  }
  if (missing.length) {
    throw new OnnxImportError(`values are used but never defined (missing initializers or inputs): ${[...new Set(missing)].join(', ')}`);
  }

  // ---- unsupported ops: one error listing them all (subgraphs included)
  const unsupported = new Map<string, string[]>();
  const collectUnsupported = (ns: { opType: string; domain: string; name: string }[]) => {
    for (const n of ns) {
      const key = n.domain ? `${n.domain}:${n.opType}` : n.opType;
      const names = unsupported.get(key) ?? [];
      if (!getOnnxOp(n.opType, n.domain) && !names.includes(n.name)) unsupported.set(key, [...names, n.name]);
    }
  };
  const neededNodes = [...needed].sort((a, b) => a - b).map((i) => nodes[i]!);
  collectUnsupported(neededNodes);
  const visitSub = (g: IGraphProto, depth: number) => {
    if (depth > 64) return;
    collectUnsupported(
      (g.node ?? []).map((n, idx) => ({ opType: n.opType ?? '', domain: n.domain === 'ai.onnx' ? '' : (n.domain ?? ''), name: n.name || `${n.opType}_${idx}` })),
    );
    for (const n of g.node ?? []) for (const sg of subgraphsOf(n.attribute ?? [])) visitSub(sg, depth + 1);
  };
  for (const i of needed) for (const sg of subgraphsOf(protoNodes[i]!.attribute ?? [])) visitSub(sg, scope.depth + 1);
  if (unsupported.size) {
    const list = [...unsupported].map(([op, names]) => `${op} (${names.map((x) => `'${x}'`).join(', ')})`);
    throw new OnnxImportError(`unsupported ONNX op${unsupported.size > 1 ? 's' : ''}: ${list.join('; ')}`);
  }

  // ---- topological order (Kahn), detecting cycles
  const order: number[] = [];
  {
    const indeg = new Map<number, number>();
    const consumers = new Map<number, number[]>();
    for (const i of needed) {
      const deps = new Set<number>();
      for (const v of nodes[i]!.inputs) {
        const p = v === '' ? undefined : producer.get(v);
        if (p !== undefined) deps.add(p);
      }
      indeg.set(i, deps.size);
      for (const d of deps) consumers.set(d, [...(consumers.get(d) ?? []), i]);
    }
    const ready = [...needed].filter((i) => indeg.get(i) === 0).sort((a, b) => b - a);
    while (ready.length) {
      const i = ready.pop()!;
      order.push(i);
      for (const c of consumers.get(i) ?? []) {
        const d = indeg.get(c)! - 1;
        indeg.set(c, d);
        if (d === 0) {
          ready.push(c);
          ready.sort((a, b) => b - a);
        }
      }
    }
    if (order.length !== needed.size) {
      // nodes left over are on a cycle or downstream of one: drop the downstream ones
      const done = new Set(order);
      const left = new Set([...needed].filter((i) => !done.has(i)));
      for (let changed = true; changed; ) {
        changed = false;
        for (const i of left) {
          if (!(consumers.get(i) ?? []).some((c) => left.has(c))) {
            left.delete(i);
            changed = true;
          }
        }
      }
      const stuck = [...left].sort((a, b) => a - b).map((i) => `'${nodes[i]!.name}' (${nodes[i]!.opType})`);
      throw new OnnxImportError(
        `${where} has a cycle: ${stuck.length} node${stuck.length > 1 ? 's' : ''} depend on each other: ${stuck.slice(0, 10).join(', ')}${stuck.length > 10 ? ', …' : ''}`,
      );
    }
  }

  // ---- declared element types (for converters that care, e.g. CastLike to bfloat16)
  const declaredTypes = new Map<string, number>();
  for (const v of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])]) {
    const t = v.type?.tensorType?.elemType;
    if (v.name && t) declaredTypes.set(v.name, t);
  }
  for (const [name, h] of hostInits) declaredTypes.set(name, h.onnxType);

  // ---- tensors: parameters, buffers, constants
  const nonTrainable = new Set<string>();
  for (const i of order) {
    const n = nodes[i]!;
    const def = getOnnxOp(n.opType, n.domain)!;
    for (const k of def.nonTrainableInputs ?? []) if (n.inputs[k]) nonTrainable.add(n.inputs[k]!);
  }
  const initializers = new Map<string, Tensor>();
  const constants = new Map<string, Tensor>();
  const owned = new Set<Tensor>();
  /** Tensors this graph made itself (initializers and folded values). */
  const mine: Tensor[] = [];
  try {
    for (const [name, h] of hostInits) {
      const t = hostToTensor(h);
      owned.add(t);
      mine.push(t);
      if (!isFloat(h.dtype)) rememberInts(t, Array.from(h.data));
      if (scope.main) initializers.set(name, isFloat(h.dtype) && !nonTrainable.has(name) ? parameter(t) : buffer(t));
      else initializers.set(name, keep(t));
    }
    const isStatic = (v: string) =>
      v === '' || constants.has(v) || (hostInits.has(v) && (!scope.main || !isFloat(hostInits.get(v)!.dtype)) && !seenIn.has(v));
    const constantOf = (v: string) => constants.get(v) ?? (seenIn.has(v) ? undefined : initializers.get(v));
    const visible = new Set<string>([...scope.outer, ...hostInits.keys(), ...seenIn, ...producer.keys()]);

    // ---- convert (and fold what is constant)
    const fold = options.foldConstants ?? true;
    const plan: PlanStep[] = [];
    for (const i of order) {
      const node = nodes[i]!;
      const def = getOnnxOp(node.opType, node.domain)!;
      const ctx: ConvertContext = {
        constant: (k) => {
          const v = node.inputs[k];
          return v ? constantOf(v) : undefined;
        },
        hasInput: (k) => !!node.inputs[k],
        onnxType: (k) => {
          const v = node.inputs[k];
          return v ? declaredTypes.get(v) : undefined;
        },
        fail: (msg) => {
          throw new OnnxImportError(`${node.opType} node '${node.name}': ${msg}`, { where: node.name });
        },
        compileSubgraph: (g) => {
          const sub = compileGraph(g, { ...scope, main: false, outer: visible, depth: scope.depth + 1 });
          for (const t of sub.owned) owned.add(t);
          return sub;
        },
      };
      let kernel: OnnxKernel;
      try {
        kernel = def.convert(node, ctx);
      } catch (e) {
        if (e instanceof OnnxImportError) throw e;
        throw new OnnxImportError(`${node.opType} node '${node.name}': ${describeError(e)}`, { where: node.name, cause: e });
      }
      // (ops that may produce sequences or optionals are not folded: constants are tensors)
      if (fold && !def.nondeterministic && !def.acceptsSequences && node.inputs.every(isStatic)) {
        let outs: (Tensor | undefined)[];
        try {
          outs = withRunLimits(runLimitsOf(options), () =>
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
        if (node.outputs.every((o) => o === '' || constants.has(o))) continue;
      }
      plan.push({ node, kernel, frees: [], acceptsSequences: !!def.acceptsSequences });
    }

    // ---- liveness: free each value after its last consumer
    const lastUse = new Map<string, number>();
    plan.forEach((s, k) => s.node.inputs.forEach((v) => v && lastUse.set(v, k)));
    const keepNames = new Set([...outputs.map((o) => o.name), ...initializers.keys(), ...constants.keys(), ...inputs.map((x) => x.name), ...scope.outer]);
    for (const [v, k] of lastUse) if (!keepNames.has(v) && producer.has(v)) plan[k]!.frees.push(v);
    // outputs of a node nobody consumes (unused optional outputs) are freed right away
    plan.forEach((s, k) => s.node.outputs.forEach((v) => v && !lastUse.has(v) && !keepNames.has(v) && plan[k]!.frees.push(v)));

    // drop constants nothing uses any more (folded intermediates) and free them
    const used = new Set<string>([...plan.flatMap((s) => s.node.inputs), ...outputs.map((o) => o.name)]);
    for (const name of [...constants.keys()]) if (!used.has(name)) constants.delete(name);
    const live = new Set<Tensor>([...initializers.values(), ...constants.values()]);
    for (const t of mine) {
      if (!live.has(t)) {
        owned.delete(t);
        t.dispose();
      }
    }
    return { plan, inputs, outputs, initializers, constants, owned };
  } catch (e) {
    for (const t of owned) t.dispose();
    throw e;
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
