import { float32ToFloat16Bits, type DType } from '@mapnn/core';
import { hostToTensorProto } from '../proto/encode.js';
import { AttributeType, type IAttributeProto, type INodeProto, type ITensorProto } from '../proto/onnx.js';

/**
 * An attribute value: integers (`number`, `number[]`), strings, or explicitly typed floats
 * (`float(1)`, `floats([…])`) — a float attribute that happens to be integral must not be
 * written as an INT.
 */
export type AttrValue = number | readonly number[] | string | readonly string[] | { float: number } | { floats: readonly number[] } | { tensor: ITensorProto };

export const float = (v: number): { float: number } => ({ float: v });
export const floats = (v: readonly number[]): { floats: readonly number[] } => ({ floats: v });

const utf8 = new TextEncoder();

function attribute(name: string, v: AttrValue): IAttributeProto {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`attribute '${name}': ${v} is not an integer (use float() for FLOAT attributes)`);
    return { name, type: AttributeType.INT, i: v };
  }
  if (typeof v === 'string') return { name, type: AttributeType.STRING, s: utf8.encode(v) };
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) return { name, type: AttributeType.STRINGS, strings: (v as string[]).map((s) => utf8.encode(s)) };
    const ints = v as number[];
    if (!ints.every((x) => Number.isInteger(x))) throw new Error(`attribute '${name}': [${ints.join(', ')}] are not all integers (use floats())`);
    return { name, type: AttributeType.INTS, ints: [...ints] };
  }
  const o = v as { float?: number; floats?: readonly number[]; tensor?: ITensorProto };
  if (o.float !== undefined) return { name, type: AttributeType.FLOAT, f: o.float };
  if (o.floats !== undefined) return { name, type: AttributeType.FLOATS, floats: [...o.floats] };
  return { name, type: AttributeType.TENSOR, t: o.tensor! };
}

/** Largest int64 that survives a JavaScript number (Slice's "to the end"). */
export const INT64_END = Number.MAX_SAFE_INTEGER;

/**
 * Collects the nodes and initializers of one ONNX graph, with unique value and node names and
 * deduplicated small constants.
 */
export class GraphBuilder {
  readonly nodes: INodeProto[] = [];
  readonly initializers: ITensorProto[] = [];
  private readonly used = new Set<string>();
  private readonly nodeNames = new Set<string>();
  private readonly smallConsts = new Map<string, string>();
  private counter = 0;

  constructor(readonly opset: number) {}

  /** A value name not used yet, derived from `hint`. */
  unique(hint: string): string {
    const base = hint || 'v';
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }

  /** Claims an exact name (graph inputs, parameters); false when it is taken. */
  claim(name: string): boolean {
    if (this.used.has(name)) return false;
    this.used.add(name);
    return true;
  }

  isUsed(name: string): boolean {
    return this.used.has(name);
  }

  /**
   * Adds a node and returns its output names. `outputs` is a count (names derived from
   * `scope`/op) or explicit names (already unique, e.g. from `unique`).
   */
  node(
    opType: string,
    inputs: readonly string[],
    attrs: Record<string, AttrValue | undefined> = {},
    opts: { outputs?: number | readonly string[]; scope?: string } = {},
  ): string[] {
    const prefix = opts.scope ? `${opts.scope}/` : '';
    const outs =
      typeof opts.outputs === 'object'
        ? [...opts.outputs]
        : Array.from({ length: opts.outputs ?? 1 }, (_, k) => this.unique(`${prefix}${opType}${k ? `_out${k}` : ''}_${this.counter}`));
    let nodeName = `${prefix}${opType}_${this.counter++}`;
    while (this.nodeNames.has(nodeName)) nodeName += '_';
    this.nodeNames.add(nodeName);
    const attribute_ = Object.entries(attrs)
      .filter((e): e is [string, AttrValue] => e[1] !== undefined)
      .map(([k, v]) => attribute(k, v));
    this.nodes.push({ name: nodeName, opType, input: [...inputs], output: outs, attribute: attribute_ });
    return outs;
  }

  /** Adds an initializer under `name` (made unique) and returns the name. */
  initializer(name: string, dtype: DType, shape: readonly number[], values: ArrayLike<number>, exact = false): string {
    const n = exact && this.claim(name) ? name : this.unique(name);
    const data = dtype === 'float16' ? Uint16Array.from(Array.from(values), (v) => float32ToFloat16Bits(v)) : values;
    this.initializers.push(hostToTensorProto(n, dtype, shape, data));
    return n;
  }

  /** An initializer for a TensorProto made elsewhere (e.g. `tensorToProto`). */
  addInitializer(proto: ITensorProto): void {
    this.initializers.push(proto);
  }

  /** A small constant, shared by every user of the same values. */
  constant(dtype: DType, shape: readonly number[], values: ArrayLike<number>, hint = 'const'): string {
    const arr = Array.from(values);
    const small = arr.length <= 64;
    const key = `${dtype}|${shape.join(',')}|${arr.map((v) => (Object.is(v, -0) ? '-0' : String(v))).join(',')}`;
    if (small) {
      const hit = this.smallConsts.get(key);
      if (hit) return hit;
    }
    const name = this.initializer(hint, dtype, shape, arr);
    if (small) this.smallConsts.set(key, name);
    return name;
  }

  /** A 1-D int64 constant (shapes, axes, starts …). */
  ints(values: readonly number[]): string {
    return this.constant('int64', [values.length], values, 'ints');
  }

  /** A scalar constant of `dtype`. */
  scalar(value: number, dtype: DType = 'float32'): string {
    return this.constant(dtype, [], [value], 'scalar');
  }
}
