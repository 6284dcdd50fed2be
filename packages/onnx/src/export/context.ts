import { float32ToFloat16Bits, type DType, type Tensor } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import { hostToTensorProto, tensorToProto } from '../proto/encode.js';
import { onnxFromDtype } from '../proto/tensor.js';
import { GraphBuilder, type AttrValue } from './builder.js';
import type { KernelRec, ModuleRec, Snapshot, Trace } from './trace.js';

/** What a module exporter gets: names of traced values, node and constant builders. */
export interface ModuleExportContext {
  /** Default-domain opset being written (13–17). */
  readonly opset: number;
  /** State-dict path of the module ('' for the root); node names are scoped by it. */
  readonly path: string;
  readonly builder: GraphBuilder;
  /** The graph value of a tensor the module received (a traced value, a parameter or a constant). */
  input(t: Tensor): string;
  /** Adds a node (scoped to the module) and returns its output names. */
  node(opType: string, inputs: readonly string[], attrs?: Record<string, AttrValue | undefined>, outputs?: number): string[];
  /** Single-output `node`. */
  op(opType: string, inputs: readonly string[], attrs?: Record<string, AttrValue | undefined>): string;
  /** Makes `t` (an output of the module) the graph value `name`. */
  bind(t: Tensor, name: string): void;
  ints(values: readonly number[]): string;
  scalar(value: number, dtype?: DType): string;
  constant(dtype: DType, shape: readonly number[], values: ArrayLike<number>, hint?: string): string;
  /** Records a problem (reported with all others in one error at the end). */
  problem(message: string): void;
}

/** Exports one module call whole: emits its nodes and binds its output tensors. */
export interface ModuleExporter<M extends Module<any, any> = Module<any, any>> {
  /** Whether this call can be exported whole (default: always); otherwise its forward is traced op by op. */
  canExport?(module: M, args: unknown[], info: { opset: number }): boolean;
  export(ctx: ModuleExportContext, module: M, args: unknown[], output: unknown): void;
}

/** The batch dim of the graph inputs, when the export has a dynamic batch. */
export interface BatchInfo {
  /** Sample batch size of the first trace, and of the second (one more). */
  a: number;
  b: number;
  /** Input (graph name) and axis the batch size is read from at run time. */
  input: string;
  axis: number;
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** A TensorProto for a host snapshot (float16 values written as half bits). */
export function snapshotProto(name: string, s: Snapshot, shape: readonly number[] = s.shape): ReturnType<typeof hostToTensorProto> {
  let values: ArrayLike<number> = s.data;
  if (s.dtype === 'float16') {
    const bits = new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) bits[i] = float32ToFloat16Bits(values[i]!);
    values = bits;
  }
  return hostToTensorProto(name, s.dtype, shape, values);
}

/**
 * Graph-building state of one export: the names of traced tensors, initializers for
 * parameters and constants, the dynamic batch size, and the problems found.
 */
export class ExportState {
  readonly names = new Map<Tensor, string>();
  readonly problems = new Map<string, number>();
  private readonly paramInits = new Map<Tensor, string>();
  private readonly constInits = new Map<Tensor, string>();
  private batchSizeName: string | null = null;
  private constCount = 0;

  constructor(
    readonly builder: GraphBuilder,
    readonly a: Trace,
    readonly b: Trace | null,
    /** First-trace tensor → its counterpart in the second trace. */
    readonly pair: Map<Tensor, Tensor>,
    readonly paramNames: Map<Tensor, string>,
    readonly batch: BatchInfo | null,
  ) {}

  get opset(): number {
    return this.builder.opset;
  }

  problem(message: string): void {
    this.problems.set(message, (this.problems.get(message) ?? 0) + 1);
  }

  /** Graph value name of a first-trace tensor. */
  value(t: Tensor, where = ''): string {
    const known = this.names.get(t);
    if (known !== undefined) return known;
    const alias = this.a.aliases.get(t);
    if (alias) {
      const src = this.value(alias, where);
      const name = sameShape(alias.shape, t.shape) ? src : this.reshapeTo(src, t.shape, this.pair.get(t)?.shape ?? t.shape, where);
      this.names.set(t, name);
      return name;
    }
    const p = this.paramNames.get(t);
    if (p !== undefined) return this.paramInit(t, p);
    const s = this.a.snapshots.get(t);
    if (s) return this.constantValue(t, s, where);
    const owner = this.a.escaped.get(t);
    this.problem(
      owner !== undefined
        ? `a tensor computed inside '${owner}' (exported as one unit) is used outside it without being its output`
        : `a tensor of shape [${t.shape.join(', ')}] used${where ? ` in '${where}'` : ''} was not made by the traced forward`,
    );
    const name = this.builder.unique('unknown');
    this.names.set(t, name);
    return name;
  }

  /** Initializer of a parameter or buffer, named by its state-dict key. */
  paramInit(t: Tensor, key: string): string {
    const hit = this.paramInits.get(t);
    if (hit) return hit;
    const name = this.builder.claim(key) ? key : this.builder.unique(key);
    this.builder.addInitializer(tensorToProto(t, name));
    this.paramInits.set(t, name);
    this.names.set(t, name);
    return name;
  }

  /** A constant made in the forward; batch-dependent ones become Expand of their repeated slice. */
  private constantValue(t: Tensor, s: Snapshot, where: string): string {
    const hit = this.constInits.get(t);
    if (hit) return hit;
    const other = this.pair.get(t);
    const sb = other ? this.b?.snapshots.get(other) : undefined;
    let name: string;
    const sameValues = (p: Snapshot, q: Snapshot) =>
      p.data.every((v, i) => v === q.data[i] || (Number.isNaN(v) && Number.isNaN(q.data[i]!)));
    if (sb && this.batch && sameShape(s.shape, sb.shape) && !sameValues(s, sb)) {
      name = this.batchScalar(s, sb, where);
    } else if (!sb || !this.batch || sameShape(s.shape, sb.shape)) {
      name = s.data.length <= 64 && s.dtype !== 'float16' ? this.builder.constant(s.dtype, s.shape, s.data, 'const') : this.newConst(s);
    } else {
      name = this.batchConstant(s, sb, where);
    }
    this.constInits.set(t, name);
    this.names.set(t, name);
    return name;
  }

  /**
   * A one-element constant whose value follows the batch size, as element counts do (the
   * divisor of a mean over the batch): `k·N + c` or `1/(k·N + c)`, computed from the run-time
   * batch size.
   */
  private batchScalar(s: Snapshot, sb: Snapshot, where: string): string {
    const fail = () => {
      this.problem(
        `a constant${where ? ` in '${where}'` : ''} (shape [${s.shape.join(', ')}]) has values that change with the batch size; ` +
          'export with dynamicBatch: false',
      );
      return this.newConst(s);
    };
    if (s.data.length !== 1) return fail();
    const { a: na, b: nb } = this.batch!;
    const linear = (va: number, vb: number): [number, number] | null => {
      const k = (vb - va) / (nb - na);
      const c = va - k * na;
      const r = (v: number) => Math.round(v);
      return Math.abs(k - r(k)) < 1e-6 && Math.abs(c - r(c)) < 1e-6 && r(k) !== 0 ? [r(k), r(c)] : null;
    };
    const [va, vb] = [s.data[0]!, sb.data[0]!];
    let lin = linear(va, vb);
    let reciprocal = false;
    if (!lin && va !== 0 && vb !== 0) {
      lin = linear(1 / va, 1 / vb);
      reciprocal = !!lin;
    }
    if (!lin) return fail();
    const b = this.builder;
    let v = this.batchSize();
    if (lin[0] !== 1) v = b.node('Mul', [v, b.ints([lin[0]])])[0]!;
    if (lin[1] !== 0) v = b.node('Add', [v, b.ints([lin[1]])])[0]!;
    if (s.dtype !== 'int64') v = b.node('Cast', [v], { to: onnxFromDtype(s.dtype) })[0]!;
    if (reciprocal) v = b.node('Reciprocal', [v])[0]!;
    return b.node('Reshape', [v, b.ints(s.shape)])[0]!;
  }

  private newConst(s: Snapshot, shape: readonly number[] = s.shape, data?: Snapshot['data']): string {
    const name = this.builder.unique(`const_${this.constCount++}`);
    this.builder.addInitializer(snapshotProto(name, data ? { ...s, data, shape: [...shape] } : s, shape));
    return name;
  }

  /**
   * A constant whose shape follows the batch size (e.g. zeros([N, H]) made in a forward): its
   * values must repeat along the batch-sized dims; it becomes Expand(one slice, dynamic shape).
   */
  private batchConstant(s: Snapshot, sb: Snapshot, where: string): string {
    const axes = s.shape.map((d, i) => (d !== sb.shape[i] ? i : -1)).filter((i) => i >= 0);
    if (s.shape.length !== sb.shape.length) {
      this.problem(`a constant made in the forward${where ? ` of '${where}'` : ''} changes rank with the batch size; export with dynamicBatch: false`);
      return this.newConst(s);
    }
    // the slice at index 0 of every batch-sized axis, and a check that all others repeat it
    const sliceShape = s.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const rank = s.shape.length;
    const slice = new (s.data.constructor as new (n: number) => Snapshot['data'])(sliceShape.reduce((p, q) => p * q, 1));
    const idx = new Array<number>(rank).fill(0);
    let repeats = true;
    for (let flat = 0; flat < s.data.length; flat++) {
      let dst = 0;
      let onSlice = true;
      for (let i = 0; i < rank; i++) {
        const batchAxis = axes.includes(i);
        if (batchAxis && idx[i] !== 0) onSlice = false;
        dst = dst * sliceShape[i]! + (batchAxis ? 0 : idx[i]!);
      }
      // in row-major order the all-zero batch position of each slice element comes first
      if (onSlice) slice[dst] = s.data[flat]!;
      else if (slice[dst] !== s.data[flat] && !(Number.isNaN(slice[dst]) && Number.isNaN(s.data[flat]))) repeats = false;
      for (let i = rank - 1; i >= 0; i--) {
        if (++idx[i]! < s.shape[i]!) break;
        idx[i] = 0;
      }
    }
    if (!repeats) {
      this.problem(
        `a constant of shape [${s.shape.join(', ')}] made in the forward${where ? ` of '${where}'` : ''} depends on the batch size and does not repeat along it; ` +
          'export with dynamicBatch: false or make it from the input',
      );
      return this.newConst(s);
    }
    const base = this.newConst(s, sliceShape, slice);
    return this.builder.node('Expand', [base, this.shapeValue(s.shape, sb.shape)])[0]!;
  }

  /** The graph's batch size as a 1-D int64 [1] value (Shape → Gather), made once. */
  batchSize(): string {
    if (!this.batch) throw new Error('batchSize: the export has no dynamic batch');
    if (!this.batchSizeName) {
      const shape = this.builder.node('Shape', [this.batch.input])[0]!;
      this.batchSizeName = this.builder.node('Gather', [shape, this.builder.ints([this.batch.axis])], { axis: 0 })[0]!;
    }
    return this.batchSizeName;
  }

  /**
   * A 1-D int64 shape value for dims `a` (first trace) / `b` (second trace): constant where
   * they agree, `k·batch + c` from the run-time batch size where they differ.
   */
  shapeValue(a: readonly number[], b: readonly number[]): string {
    if (!this.batch || sameShape(a, b)) return this.builder.ints(a);
    const parts: string[] = [];
    let run: number[] = [];
    const flush = () => {
      if (run.length) parts.push(this.builder.ints(run));
      run = [];
    };
    for (let i = 0; i < a.length; i++) {
      if (a[i] === b[i]) {
        run.push(a[i]!);
        continue;
      }
      flush();
      const k = (b[i]! - a[i]!) / (this.batch.b - this.batch.a);
      const c = a[i]! - k * this.batch.a;
      if (!Number.isInteger(k) || !Number.isInteger(c)) {
        this.problem(`a shape dim (${a[i]} at batch ${this.batch.a}, ${b[i]} at batch ${this.batch.b}) is not a whole multiple of the batch size`);
        parts.push(this.builder.ints([a[i]!]));
        continue;
      }
      let v = this.batchSize();
      if (k !== 1) v = this.builder.node('Mul', [v, this.builder.ints([k])])[0]!;
      if (c !== 0) v = this.builder.node('Add', [v, this.builder.ints([c])])[0]!;
      parts.push(v);
    }
    flush();
    return parts.length === 1 ? parts[0]! : this.builder.node('Concat', parts, { axis: 0 })[0]!;
  }

  /**
   * Reshape of `x` to `a` (first trace) / `b` (second trace): static when they agree; else 0
   * (copy) where the input keeps the dim, -1 for one batch-sized dim, or a computed shape.
   */
  reshapeTo(x: string, a: readonly number[], b: readonly number[], scope = '', inA?: readonly number[], inB?: readonly number[]): string {
    let shape: string;
    if (!this.batch || sameShape(a, b)) shape = this.builder.ints(a);
    else {
      const dims: (number | null)[] = a.map((d, i) => {
        if (d === b[i]) return d;
        if (inA && inB && i < inA.length && inA[i] === d && inB[i] === b[i]) return 0;
        return null;
      });
      const free = dims.filter((d) => d === null).length;
      shape = free <= 1 ? this.builder.ints(dims.map((d) => (d === null ? -1 : d))) : this.shapeValue(a, b);
    }
    return this.builder.node('Reshape', [x, shape], {}, { scope })[0]!;
  }

  /** Context handed to a module exporter for one module record. */
  moduleContext(rec: ModuleRec): ModuleExportContext {
    const scope = rec.path;
    const b = this.builder;
    return {
      opset: this.opset,
      path: rec.path,
      builder: b,
      input: (t) => this.value(t, rec.path),
      node: (opType, inputs, attrs = {}, outputs = 1) => b.node(opType, inputs, attrs, { outputs, scope }),
      op: (opType, inputs, attrs = {}) => b.node(opType, inputs, attrs, { scope })[0]!,
      bind: (t, name) => {
        if (!this.names.has(t)) this.names.set(t, name);
      },
      ints: (v) => b.ints(v),
      scalar: (v, dtype = 'float32') => b.scalar(v, dtype),
      constant: (dtype, shape, values, hint) => b.constant(dtype, shape, values, hint),
      problem: (m) => this.problem(m),
    };
  }

  /** Binds the output of a kernel record. */
  bindKernel(rec: KernelRec, name: string): void {
    this.names.set(rec.output, name);
  }
}
