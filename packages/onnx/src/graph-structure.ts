import type { Tensor } from '@mapnn/core';
import { getOnnxOp, OnnxAttributes, type OnnxNode } from './converter.js';
import { OnnxImportError } from './errors.js';
import { longToNumber } from './proto/long.js';
import { AttributeType, type IGraphProto, type IValueInfoProto } from './proto/onnx.js';
import { decodeTensor, dtypeFromOnnx, type HostTensor, type TensorDecodeOptions } from './proto/tensor.js';

// The first stage of compiling a graph: reading and checking its structure (no tensors yet).
// Each check throws one OnnxImportError naming everything wrong of its kind.

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

/** @internal What reading a graph's structure needs to know about where the graph sits. */
export interface GraphScope {
  opsets: Record<string, number>;
  options: TensorDecodeOptions;
  /** Value names visible from enclosing graphs (for subgraphs). */
  outer: ReadonlySet<string>;
  /** Main graph: initializers are not inputs (an input an initializer shadows is dropped). */
  main: boolean;
  /** Nesting depth of subgraphs (0 for the model's graph). */
  depth: number;
}

/** @internal A graph's checked structure: its values, its nodes and the order to run them in. */
export interface GraphStructure {
  /** How errors name the graph: 'the graph' or "subgraph 'body'". */
  where: string;
  /** Initializers decoded on the host, by name. */
  hostInits: Map<string, HostTensor>;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  /** Names of the inputs. */
  inputNames: Set<string>;
  nodes: OnnxNode[];
  /** Index in `nodes` of the node producing each value. */
  producer: Map<string, number>;
  /** The nodes the outputs need, each after the nodes it depends on. */
  order: number[];
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

/**
 * Reads a graph's structure and checks it: references, duplicates, cycles and unsupported ops
 * (one error listing them all); keeps only the nodes the outputs need, in running order.
 */
export function readGraphStructure(graph: IGraphProto, scope: GraphScope): GraphStructure {
  const where = scope.main ? 'the graph' : `subgraph '${graph.name ?? ''}'`;
  rejectSparseInitializers(graph);
  const hostInits = decodeInitializers(graph, scope.options);
  const { inputs, outputs, inputNames } = declaredInputsAndOutputs(graph, hostInits, scope.main, where);
  const nodes = (graph.node ?? []).map((n, idx) => toOnnxNode(n, idx, scope));
  const producer = indexProducers(nodes, hostInits, inputNames);
  const available = (v: string) => v === '' || hostInits.has(v) || inputNames.has(v) || producer.has(v) || scope.outer.has(v);
  checkOutputsDefined(outputs, available);
  const needed = nodesTheOutputsNeed(nodes, producer, outputs, available);
  rejectUnsupportedOps(graph, nodes, needed, scope.depth);
  const order = topologicalOrder(nodes, needed, producer, where);
  return { where, hostInits, inputs, outputs, inputNames, nodes, producer, order };
}

function rejectSparseInitializers(graph: IGraphProto): void {
  const sparse = graph.sparseInitializer ?? [];
  if (sparse.length) throw new OnnxImportError(`sparse initializers are not supported (${sparse.map((s) => s.values?.name ?? '?').join(', ')})`);
}

/** The initializers, decoded on the host, by name (each named, none twice). */
function decodeInitializers(graph: IGraphProto, options: TensorDecodeOptions): Map<string, HostTensor> {
  const hostInits = new Map<string, HostTensor>();
  for (const t of graph.initializer ?? []) {
    const name = t.name ?? '';
    if (!name) throw new OnnxImportError('an initializer has no name');
    if (hostInits.has(name)) throw new OnnxImportError(`initializer '${name}' is defined twice`, { where: name });
    hostInits.set(name, decodeTensor(t, options));
  }
  return hostInits;
}

/** The declared inputs (in the main graph, less those an initializer gives) and outputs. */
function declaredInputsAndOutputs(graph: IGraphProto, hostInits: ReadonlyMap<string, HostTensor>, main: boolean, where: string) {
  const inputs = (graph.input ?? []).filter((v) => !hostInits.has(v.name ?? '') || !main).map(valueInfo);
  const outputs = (graph.output ?? []).map(valueInfo);
  if (outputs.length === 0) throw new OnnxImportError(`${where} has no outputs`);
  const inputNames = new Set<string>();
  for (const i of inputs) {
    if (!i.name) throw new OnnxImportError('a graph input has no name');
    if (inputNames.has(i.name)) throw new OnnxImportError(`graph input '${i.name}' is declared twice`, { where: i.name });
    inputNames.add(i.name);
  }
  return { inputs, outputs, inputNames };
}

/** A node as converters see it; a node with subgraphs also depends on the values they capture. */
function toOnnxNode(n: NonNullable<IGraphProto['node']>[number], idx: number, scope: GraphScope): OnnxNode {
  const opType = n.opType ?? '';
  const domain = n.domain === 'ai.onnx' ? '' : (n.domain ?? '');
  const name = n.name || `${opType || 'node'}_${idx}`;
  const node: OnnxNode = {
    name,
    opType,
    domain,
    opset: scope.opsets[domain] ?? (domain ? 1 : 0),
    inputs: [...(n.input ?? [])],
    outputs: [...(n.output ?? [])],
    attrs: new OnnxAttributes(n.attribute ?? [], `${opType} node '${name}'`, scope.options),
  };
  const subs = subgraphsOf(n.attribute ?? []);
  if (subs.length) {
    const captured = new Set<string>();
    for (const sg of subs) for (const v of freeVariables(sg, scope.depth + 1)) captured.add(v);
    node.implicitInputs = [...captured].sort();
    node.inputs.push(...node.implicitInputs);
  }
  return node;
}

/** Which node produces each value; every node has an op type and no value is defined twice. */
function indexProducers(nodes: readonly OnnxNode[], hostInits: ReadonlyMap<string, HostTensor>, inputNames: ReadonlySet<string>): Map<string, number> {
  const producer = new Map<string, number>();
  const dupes: string[] = [];
  nodes.forEach((n, i) => {
    if (!n.opType) throw new OnnxImportError(`node '${n.name}' has no op type`, { where: n.name });
    for (const o of n.outputs) {
      if (o === '') continue;
      if (producer.has(o) || hostInits.has(o) || inputNames.has(o)) dupes.push(`'${o}' (node '${n.name}')`);
      producer.set(o, i);
    }
  });
  if (dupes.length) throw new OnnxImportError(`values are defined more than once: ${dupes.join(', ')}`);
  return producer;
}

function checkOutputsDefined(outputs: readonly OnnxValueInfo[], available: (v: string) => boolean): void {
  for (const o of outputs) {
    if (!available(o.name)) throw new OnnxImportError(`graph output '${o.name}' is not produced by any node, input or initializer`, { where: o.name });
  }
}

/** The nodes the outputs depend on (the rest is pruned); every value they use must be defined. */
function nodesTheOutputsNeed(
  nodes: readonly OnnxNode[],
  producer: ReadonlyMap<string, number>,
  outputs: readonly OnnxValueInfo[],
  available: (v: string) => boolean,
): Set<number> {
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
  return needed;
}

/** One error listing every op no converter handles, among the needed nodes and their subgraphs. */
function rejectUnsupportedOps(graph: IGraphProto, nodes: readonly OnnxNode[], needed: ReadonlySet<number>, depth: number): void {
  const unsupported = new Map<string, string[]>();
  const collect = (ns: { opType: string; domain: string; name: string }[]) => {
    for (const n of ns) {
      const key = n.domain ? `${n.domain}:${n.opType}` : n.opType;
      const names = unsupported.get(key) ?? [];
      if (!getOnnxOp(n.opType, n.domain) && !names.includes(n.name)) unsupported.set(key, [...names, n.name]);
    }
  };
  collect([...needed].sort((a, b) => a - b).map((i) => nodes[i]!));
  const visitSub = (g: IGraphProto, d: number) => {
    if (d > 64) return;
    collect((g.node ?? []).map((n, idx) => ({ opType: n.opType ?? '', domain: n.domain === 'ai.onnx' ? '' : (n.domain ?? ''), name: n.name || `${n.opType}_${idx}` })));
    for (const n of g.node ?? []) for (const sg of subgraphsOf(n.attribute ?? [])) visitSub(sg, d + 1);
  };
  const protoNodes = graph.node ?? [];
  for (const i of needed) for (const sg of subgraphsOf(protoNodes[i]!.attribute ?? [])) visitSub(sg, depth + 1);
  if (unsupported.size) {
    const list = [...unsupported].map(([op, names]) => `${op} (${names.map((x) => `'${x}'`).join(', ')})`);
    throw new OnnxImportError(`unsupported ONNX op${unsupported.size > 1 ? 's' : ''}: ${list.join('; ')}`);
  }
}

/** Kahn's order of the needed nodes (ties: file order); a cycle is an error naming its nodes. */
function topologicalOrder(nodes: readonly OnnxNode[], needed: ReadonlySet<number>, producer: ReadonlyMap<string, number>, where: string): number[] {
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
  const order: number[] = [];
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
  if (order.length !== needed.size) throwCycle(nodes, needed, new Set(order), consumers, where);
  return order;
}

/** Names the nodes on a cycle (nodes only downstream of one are left out of the message). */
function throwCycle(nodes: readonly OnnxNode[], needed: ReadonlySet<number>, done: ReadonlySet<number>, consumers: ReadonlyMap<number, number[]>, where: string): never {
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
