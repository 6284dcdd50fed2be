import { isTensor, noGrad, observeKernels, tidy, type DType, type KernelAttrs, type KernelEvent, type Tensor, type TypedArray } from '@mapnn/core';
import { Module, withoutFusion } from '@mapnn/layers';

/** A kernel call (or reshape view) seen while tracing. */
export interface KernelRec {
  kind: 'kernel';
  op: string;
  inputs: readonly Tensor[];
  attrs: KernelAttrs;
  output: Tensor;
  /** Path of the innermost module being traced through ('' for the root). */
  scope: string;
  /** Every input was a constant: the output is a constant too (recorded for alignment only). */
  folded: boolean;
}

/** A call of a module that is exported whole (its forward ran with kernel observation suspended). */
export interface ModuleRec {
  kind: 'module';
  module: Module<any, any>;
  path: string;
  args: unknown[];
  output: unknown;
  scope: string;
}

export type Rec = KernelRec | ModuleRec;

/** Host copy of a constant tensor (made from host values in the forward, or folded). */
export interface Snapshot {
  shape: number[];
  dtype: DType;
  data: TypedArray;
}

export interface Trace {
  recs: Rec[];
  inputs: Tensor[];
  /** The forward's tensors, flattened in order (nulls skipped). */
  outputs: Tensor[];
  snapshots: Map<Tensor, Snapshot>;
  /** Views made without a kernel (e.g. `detach`) → a traced tensor sharing their storage. */
  aliases: Map<Tensor, Tensor>;
  /** Tensors made inside a module exported whole (usable only when they are its outputs). */
  hidden: Set<Tensor>;
  /** Tensors made inside a module exported whole that escaped without being its outputs: path of the module. */
  escaped: Map<Tensor, string>;
}

/** Tensors inside a (nested) structure of arrays and plain objects, in order. */
export function flattenTensors(v: unknown, out: Tensor[] = [], depth = 0): Tensor[] {
  if (isTensor(v)) out.push(v);
  else if (depth < 8 && Array.isArray(v)) for (const x of v) flattenTensors(x, out, depth + 1);
  else if (depth < 8 && v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    for (const x of Object.values(v)) flattenTensors(x, out, depth + 1);
  }
  return out;
}

const dataIdOf = (t: Tensor): object => (t as unknown as { dataId: object }).dataId;

export interface TraceHooks {
  /** Whether this call of `m` is exported whole (module level). */
  exportWhole(m: Module<any, any>, args: unknown[]): boolean;
  /** Module paths by module (from the root's `namedModules()`). */
  paths: Map<Module<any, any>, string>;
  /** Parameters and buffers of the root (state-dict tensors). */
  params: Set<Tensor>;
}

/**
 * Runs `model.call(...inputs)` once in eval mode under `noGrad`, recording kernel calls and the
 * calls of modules exported whole. Every tensor made in the forward is freed afterwards;
 * constants are copied to the host when first seen.
 */
export function traceForward(model: Module<any, any>, inputs: Tensor[], hooks: TraceHooks): Trace {
  const recs: Rec[] = [];
  const snapshots = new Map<Tensor, Snapshot>();
  const aliases = new Map<Tensor, Tensor>();
  const hidden = new Set<Tensor>();
  const escaped = new Map<Tensor, string>();
  const hiddenOwner = new Map<Tensor, string>();
  const dynamic = new Set<Tensor>(inputs);
  const owners = new Map<object, Tensor>();
  const scopes: string[] = [''];
  let depth = 0;
  let current = '';

  for (const t of [...inputs, ...hooks.params]) if (!owners.has(dataIdOf(t))) owners.set(dataIdOf(t), t);
  const own = (t: Tensor) => {
    if (!owners.has(dataIdOf(t))) owners.set(dataIdOf(t), t);
  };
  const snapshot = (t: Tensor) => {
    if (!snapshots.has(t)) snapshots.set(t, { shape: [...t.shape], dtype: t.dtype, data: t.dataSync().slice() as TypedArray });
  };
  /** Classifies an input: 'dynamic' (depends on graph inputs), 'param', or 'const'. */
  const note = (t: Tensor): 'dynamic' | 'param' | 'const' => {
    if (dynamic.has(t)) return 'dynamic';
    if (hooks.params.has(t)) return 'param';
    if (snapshots.has(t)) return 'const';
    const a = aliases.get(t);
    if (a) return note(a);
    if (hidden.has(t)) {
      escaped.set(t, hiddenOwner.get(t) ?? current);
      return 'dynamic';
    }
    const o = owners.get(dataIdOf(t));
    if (o && o !== t && !t.isDisposed) {
      aliases.set(t, o);
      return note(o);
    }
    snapshot(t);
    return 'const';
  };

  const observer = (e: KernelEvent) => {
    if (depth > 0) {
      hidden.add(e.output);
      hiddenOwner.set(e.output, current);
      return;
    }
    const kinds = e.inputs.map(note);
    const folded = kinds.length > 0 && kinds.every((k) => k === 'const');
    if (folded) snapshot(e.output);
    else {
      dynamic.add(e.output);
      own(e.output);
    }
    recs.push({ kind: 'kernel', op: e.op, inputs: [...e.inputs], attrs: e.attrs, output: e.output, scope: current, folded });
  };

  const proto = Module.prototype as unknown as { call: (...args: unknown[]) => unknown };
  const original = proto.call;
  proto.call = function (this: Module<any, any>, ...args: unknown[]): unknown {
    if (depth > 0) return original.apply(this, args);
    const path = hooks.paths.get(this) ?? `<${this.constructor.name}>`;
    const parent = current;
    scopes.push(path);
    current = path;
    try {
      if (!hooks.exportWhole(this, args)) return original.apply(this, args);
      for (const t of flattenTensors(args)) note(t);
      depth++;
      let out: unknown;
      try {
        out = original.apply(this, args);
      } finally {
        depth--;
      }
      recs.push({ kind: 'module', module: this, path, args, output: out, scope: parent });
      for (const t of flattenTensors(out)) {
        if (!dynamic.has(t) && !hooks.params.has(t) && !hidden.has(t)) {
          // an output made without a kernel (a view, a host constant): classify it now
          if (note(t) !== 'const') continue;
          snapshots.delete(t);
        }
        dynamic.add(t);
        own(t);
      }
      return out;
    } finally {
      scopes.pop();
      current = parent;
    }
  };

  const wasTraining = new Map<Module<any, any>, boolean>();
  for (const m of model.modules()) wasTraining.set(m, m.training);
  let outputs: Tensor[] = [];
  try {
    model.eval();
    tidy(() => {
      // module fusion off: every module call is seen (a fused Linear → ReLU would hide the Linear)
      withoutFusion(() =>
        noGrad(() =>
          observeKernels(observer, () => {
            const out = (model as unknown as { call: (...a: unknown[]) => unknown }).call(...inputs);
            outputs = flattenTensors(out);
            for (const t of outputs) note(t);
          }),
        ),
      );
    });
  } finally {
    proto.call = original;
    for (const [m, t] of wasTraining) m.training = t;
  }
  return { recs, inputs, outputs, snapshots, aliases, hidden, escaped };
}
