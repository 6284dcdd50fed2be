import { getPlugin, listPlugins, registerPlugin, type Tensor } from '@mapnn/core';
import { OnnxImportError } from './errors.js';
import { longToNumber, longsToNumbers } from './proto/long.js';
import { AttributeType, type IAttributeProto, type IGraphProto, type ITensorProto } from './proto/onnx.js';
import { decodeTensor, type HostTensor, type TensorDecodeOptions } from './proto/tensor.js';
import type { OnnxValue } from './values.js';

/** The plugin kind ONNX op converters register under in core's registry. */
export const ONNX_OP_PLUGIN = 'onnx-op';

/** Registry key of an op: the op type for the default domain, `domain:OpType` for others. */
export function onnxOpKey(opType: string, domain = ''): string {
  return domain === '' || domain === 'ai.onnx' ? opType : `${domain}:${opType}`;
}

const utf8 = new TextDecoder();

/** Typed access to a node's attributes, with defaults; wrong types throw an OnnxImportError. */
export class OnnxAttributes {
  private readonly map = new Map<string, IAttributeProto>();

  constructor(
    attrs: readonly IAttributeProto[],
    private readonly where: string,
    private readonly decodeOptions: TensorDecodeOptions = {},
  ) {
    for (const a of attrs) this.map.set(a.name ?? '', a);
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  names(): string[] {
    return [...this.map.keys()];
  }

  private get(name: string, expected: number, label: string): IAttributeProto | undefined {
    const a = this.map.get(name);
    if (!a) return undefined;
    const t = a.type ?? AttributeType.UNDEFINED;
    if (t !== AttributeType.UNDEFINED && t !== expected) {
      throw new OnnxImportError(`${this.where}: attribute '${name}' should be ${label} (type ${expected}), got type ${t}`, {
        where: this.where,
      });
    }
    return a;
  }

  int(name: string): number | undefined;
  int(name: string, def: number): number;
  int(name: string, def?: number): number | undefined {
    const a = this.get(name, AttributeType.INT, 'an int');
    return a ? longToNumber(a.i) : def;
  }

  float(name: string): number | undefined;
  float(name: string, def: number): number;
  float(name: string, def?: number): number | undefined {
    const a = this.get(name, AttributeType.FLOAT, 'a float');
    return a ? (a.f ?? 0) : def;
  }

  string(name: string): string | undefined;
  string(name: string, def: string): string;
  string(name: string, def?: string): string | undefined {
    const a = this.get(name, AttributeType.STRING, 'a string');
    return a ? utf8.decode(a.s ?? new Uint8Array()) : def;
  }

  ints(name: string): number[] | undefined;
  ints(name: string, def: number[]): number[];
  ints(name: string, def?: number[]): number[] | undefined {
    const a = this.get(name, AttributeType.INTS, 'a list of ints');
    return a ? longsToNumbers(a.ints) : def;
  }

  floats(name: string): number[] | undefined;
  floats(name: string, def: number[]): number[];
  floats(name: string, def?: number[]): number[] | undefined {
    const a = this.get(name, AttributeType.FLOATS, 'a list of floats');
    return a ? [...(a.floats ?? [])] : def;
  }

  strings(name: string): string[] | undefined;
  strings(name: string, def: string[]): string[];
  strings(name: string, def?: string[]): string[] | undefined {
    const a = this.get(name, AttributeType.STRINGS, 'a list of strings');
    return a ? (a.strings ?? []).map((s) => utf8.decode(s)) : def;
  }

  /** A tensor attribute decoded to host storage. */
  tensor(name: string): HostTensor | undefined {
    const a = this.get(name, AttributeType.TENSOR, 'a tensor');
    if (!a) return undefined;
    if (!a.t) throw new OnnxImportError(`${this.where}: attribute '${name}' has no tensor`, { where: this.where });
    return decodeTensor({ ...a.t, name: a.t.name || `${this.where}.${name}` } as ITensorProto, this.decodeOptions);
  }

  /** The raw AttributeProto (for graphs, sparse tensors, type protos). */
  raw(name: string): IAttributeProto | undefined {
    return this.map.get(name);
  }

  graph(name: string): IGraphProto | undefined {
    return this.get(name, AttributeType.GRAPH, 'a graph')?.g ?? undefined;
  }
}

/** One node of the graph as converters see it. */
export interface OnnxNode {
  /** Node name (generated as `OpType_<index>` when the model leaves it empty). */
  name: string;
  opType: string;
  domain: string;
  /** Opset version of the node's domain the model imports. */
  opset: number;
  /** Input value names; '' marks an omitted optional input. */
  inputs: string[];
  outputs: string[];
  attrs: OnnxAttributes;
  /**
   * For nodes with subgraphs (If, Loop, Scan): the outer values the subgraphs capture. They are
   * appended to `inputs` (after the declared ones), so the kernel receives them too.
   */
  implicitInputs?: string[];
}

/** A compiled subgraph (a control-flow body) a kernel can run. */
export interface OnnxSubgraph {
  inputs: readonly { name: string }[];
  outputs: readonly { name: string }[];
}

/** What a converter can ask at import time. */
export interface ConvertContext {
  /** The input's value when it is known at import (an initializer, a Constant or a folded value), else undefined. */
  constant(i: number): Tensor | undefined;
  /** Whether input `i` is given (present and not ''). */
  hasInput(i: number): boolean;
  /** The ONNX element type (TensorProto.DataType) the model declares for input `i`, if it says. */
  onnxType(i: number): number | undefined;
  /** Throws an OnnxImportError naming this node. */
  fail(message: string): never;
  /** Compiles a subgraph attribute (its captured outer values come in `node.implicitInputs`). */
  compileSubgraph(graph: IGraphProto): OnnxSubgraph;
}

/** What a kernel sees at run time. */
export interface RunContext {
  node: OnnxNode;
  /** The module's training flag (Dropout follows it when the model gives no training_mode). */
  training: boolean;
}

/**
 * A converted node: maps its input tensors (undefined for omitted optional inputs) to its
 * outputs. Temporaries it creates are freed by the runner; it must not dispose its inputs.
 */
export type OnnxKernel = (inputs: readonly (Tensor | undefined)[], rt: RunContext) => Tensor | readonly (Tensor | undefined)[];

/** Turns a node into a kernel, checking attributes once, at import time. */
export type OnnxConverter = (node: OnnxNode, ctx: ConvertContext) => OnnxKernel;

/** A kernel of an op that takes sequences and optionals too (`acceptsSequences`). */
export type OnnxValueKernel = (
  inputs: readonly (OnnxValue | undefined)[],
  rt: RunContext,
) => OnnxValue | readonly (OnnxValue | undefined)[];

/** Registers a sequence-aware op (inputs and outputs may be sequences or optionals). */
export function valueOp(convert: (node: OnnxNode, ctx: ConvertContext) => OnnxValueKernel, extra: Partial<OnnxOpDefinition> = {}): OnnxOpDefinition {
  return { ...extra, acceptsSequences: true, convert: convert as unknown as OnnxConverter };
}

/** A converter with metadata. */
export interface OnnxOpDefinition {
  convert: OnnxConverter;
  /** Inputs whose float initializers are buffers (not trained), e.g. BatchNormalization's running mean/var. */
  nonTrainableInputs?: readonly number[];
  /** Outputs are random: the import never folds the node into a constant. */
  nondeterministic?: boolean;
  /**
   * The kernel takes and returns sequences and optionals (`OnnxValue`s) as well as tensors
   * (sequence ops, Optional*, Identity, control flow). Other kernels only ever see tensors.
   */
  acceptsSequences?: boolean;
}

export type OnnxOpPlugin = OnnxConverter | OnnxOpDefinition;

/**
 * Registers (or replaces) the converter of an ONNX op in core's plugin registry
 * (`registerPlugin('onnx-op', opType, converter)`), so any package can add ops.
 *
 * @example
 * registerOnnxOp('Softsign', () => ([x]) => x!.div(x!.abs().add(1)));
 */
export function registerOnnxOp(opType: string, converter: OnnxOpPlugin, options: { domain?: string } = {}): void {
  registerPlugin(ONNX_OP_PLUGIN, onnxOpKey(opType, options.domain), converter);
}

const builtins = new Set<string>();

/** Registers a built-in converter unless one is already registered under that name. */
export function registerBuiltinOp(opType: string, converter: OnnxOpPlugin, domain = ''): void {
  const key = onnxOpKey(opType, domain);
  builtins.add(key);
  if (getPlugin(ONNX_OP_PLUGIN, key) === undefined) registerOnnxOp(opType, converter, { domain });
}

/** Op types this package converts itself (registry keys), sorted. */
export function builtinOnnxOps(): string[] {
  return [...builtins].sort();
}

export function getOnnxOp(opType: string, domain = ''): OnnxOpDefinition | undefined {
  const p = getPlugin<OnnxOpPlugin>(ONNX_OP_PLUGIN, onnxOpKey(opType, domain));
  if (p === undefined) return undefined;
  return typeof p === 'function' ? { convert: p } : p;
}

/** Op types with a registered converter (`domain:Op` for non-default domains). */
export function supportedOnnxOps(): string[] {
  return listPlugins(ONNX_OP_PLUGIN).sort();
}
