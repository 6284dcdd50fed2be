// Control flow: If, Loop and Scan (opset 8 and 9+). Bodies are compiled once at import; values
// they capture from the enclosing graph arrive as the node's implicit inputs. Loop-carried
// values may be sequences.
//
// Memory: when no gradient is recorded, each body run happens in its own `tidy` and the values
// an iteration replaces are freed at once, so a loop holds one iteration's values (plus what it
// stacks) however long it runs. When gradients are recorded every iteration's tensors stay alive
// for backward; the run's Loop iteration budget (maxRecordedLoopIterations) bounds them.
import { concat, full, isTensor, reshape, slice, stack, tidy, zeros, type Tensor } from '@mapnn/core';
import { registerBuiltinOp, valueOp, type ConvertContext, type OnnxNode, type OnnxSubgraph, type RunContext } from '../converter.js';
import { recordsGradients, runSubgraph } from '../graph.js';
import { describeValue, tensorsOf, type OnnxValue } from '../values.js';
import { countLoopIteration, fail, intTensor, normAxis, passThrough, readInts, runtimeElementLimit } from './util.js';

function declaredCount(node: OnnxNode): number {
  return node.inputs.length - (node.implicitInputs?.length ?? 0);
}

function captured(node: OnnxNode, ins: readonly (OnnxValue | undefined)[]): Map<string, OnnxValue> {
  const m = new Map<string, OnnxValue>();
  const start = declaredCount(node);
  (node.implicitInputs ?? []).forEach((name, k) => {
    const v = ins[start + k];
    if (v) m.set(name, v);
  });
  return m;
}

function body(node: OnnxNode, ctx: ConvertContext, attr: string): OnnxSubgraph {
  const g = node.attrs.graph(attr);
  if (!g) ctx.fail(`missing graph attribute '${attr}'`);
  return ctx.compileSubgraph(g);
}

function tensorArg(node: OnnxNode, v: OnnxValue | undefined, what: string): Tensor {
  if (!v) fail(node, `${what} is required`);
  if (!isTensor(v)) fail(node, `${what} must be a tensor, got ${describeValue(v)}`);
  return v;
}

/** Removes dim `axis` of size 1 (a scan slice). */
function dropAxis(t: Tensor, axis: number): Tensor {
  return reshape(t, t.shape.filter((_, i) => i !== axis));
}

/** Runs one body iteration: in its own tidy unless gradients are recorded (then the caller's scope keeps everything). */
function runIteration(record: boolean, body: () => OnnxValue[]): OnnxValue[] {
  return record ? body() : tidy('onnx.body', body);
}

/**
 * Frees the tensors of values an iteration replaced (runs without recording only). Body outputs
 * are fresh tensors nothing else holds; the node's own `inputs` and the values that replace the
 * old ones (`next`) are kept all the same.
 */
function freeReplaced(old: readonly (OnnxValue | undefined)[], inputs: ReadonlySet<Tensor>, next: readonly (OnnxValue | undefined)[]): void {
  let kept: Set<Tensor> | undefined;
  for (const v of old) {
    for (const t of tensorsOf(v)) {
      if (inputs.has(t)) continue;
      kept ??= tensorSet(next);
      if (!kept.has(t)) t.dispose();
    }
  }
}

function tensorSet(values: readonly (OnnxValue | undefined)[]): Set<Tensor> {
  return new Set(values.flatMap((v) => tensorsOf(v)));
}

/** Iterations a Loop scan output collects before they are stacked into one tensor (runs without recording). */
const SCAN_CHUNK = 1024;

/**
 * One Loop scan output: the tensors the iterations emit, stacked along a new axis 0. Its size is
 * bounded by the run's element limit, checked iteration by iteration; without recording, every
 * SCAN_CHUNK iterations are stacked into one tensor and the parts freed, so a long loop holds few
 * tensor objects.
 */
class ScanOutput {
  #parts: Tensor[] = [];
  #chunks: Tensor[] = [];
  #elements = 0;

  constructor(
    private readonly node: OnnxNode,
    private readonly index: number,
    private readonly eager: boolean,
  ) {}

  push(t: Tensor, iterations: number): void {
    this.#elements += t.size;
    const limit = runtimeElementLimit();
    if (this.#elements > limit) {
      fail(
        this.node,
        `scan output ${this.index} would hold more than ${limit} elements after ${iterations} iterations ` +
          `(shape [${t.shape.join(',')}] each); raise maxRuntimeElements to allow more`,
      );
    }
    this.#parts.push(t);
    if (this.eager && this.#parts.length >= SCAN_CHUNK) {
      this.#chunks.push(stack(this.#parts, 0));
      for (const p of this.#parts) p.dispose();
      this.#parts = [];
    }
  }

  finish(): Tensor {
    const pieces = [...this.#chunks];
    if (this.#parts.length) pieces.push(stack(this.#parts, 0));
    if (pieces.length === 0) return zeros([0]);
    if (pieces.length === 1) return pieces[0]!;
    const out = concat(pieces, 0);
    if (this.eager) for (const p of pieces) p.dispose();
    return out;
  }
}

interface ScanAttrs {
  inAxes: number[];
  inDirs: number[];
  outAxes: number[];
  outDirs: number[];
}

function scanRun(node: OnnxNode, g: OnnxSubgraph, states0: Tensor[], scans: Tensor[], attrs: ScanAttrs, cap: Map<string, OnnxValue>, rt: RunContext, length?: number): Tensor[] {
  const axes = scans.map((x, j) => normAxis(node, attrs.inAxes[j] ?? 0, x.rank));
  const T = length ?? (scans.length ? scans[0]!.shape[axes[0]!]! : 0);
  scans.forEach((x, j) => {
    if (length === undefined && x.shape[axes[j]!] !== T) fail(node, `scan inputs have different lengths (${T} and ${x.shape[axes[j]!]})`);
  });
  let states = states0;
  const K = g.outputs.length - states0.length;
  const collected: Tensor[][] = Array.from({ length: K }, () => []);
  const record = recordsGradients(rt);
  const inputs = new Set([...states0, ...scans, ...tensorSet([...cap.values()])]);
  for (let t = 0; t < T; t++) {
    const outs = runIteration(record, () => {
      const slices = scans.map((x, j) => {
        const pos = attrs.inDirs[j] === 1 ? T - 1 - t : t;
        return dropAxis(slice(x, [pos], [pos + 1], [axes[j]!]), axes[j]!);
      });
      return runSubgraph(g, [...states, ...slices], cap, rt);
    }).map((v, k) => tensorArg(node, v, `body output ${k}`));
    const next = outs.slice(0, states0.length);
    if (!record) freeReplaced(states, inputs, outs);
    states = next;
    outs.slice(states0.length).forEach((o, k) => collected[k]!.push(o));
  }
  const scanOuts = collected.map((list, k) => {
    const ordered = attrs.outDirs[k] === 1 ? [...list].reverse() : list;
    if (!ordered.length) return zeros([0]);
    const axis = attrs.outAxes[k] ?? 0;
    return stack(ordered, axis < 0 ? axis + ordered[0]!.rank + 1 : axis);
  });
  return [...states.map((s) => (states0.includes(s) ? passThrough(s) : s)), ...scanOuts];
}

export function registerControlFlowOps(): void {
  registerBuiltinOp(
    'If',
    valueOp((node, ctx) => {
      const thenG = body(node, ctx, 'then_branch');
      const elseG = body(node, ctx, 'else_branch');
      return (ins, rt) => {
        const c = tensorArg(node, ins[0], 'cond');
        if (c.size !== 1) fail(node, `cond must have one element, got shape [${c.shape.join(',')}]`);
        return runSubgraph(c.dataSync()[0] ? thenG : elseG, [], captured(node, ins), rt);
      };
    }),
  );
  registerBuiltinOp(
    'Loop',
    valueOp((node, ctx) => {
      const g = body(node, ctx, 'body');
      const N = declaredCount(node) - 2;
      if (N < 0) ctx.fail('needs the inputs M and cond (either may be empty)');
      if (g.inputs.length !== N + 2) ctx.fail(`body has ${g.inputs.length} inputs, expected ${N + 2}`);
      const K = g.outputs.length - 1 - N;
      if (K < 0) ctx.fail(`body has ${g.outputs.length} outputs, expected at least ${N + 1}`);
      return (ins, rt) => {
        const M = ins[0] ? readInts(tensorArg(node, ins[0], 'M'))[0]! : Infinity;
        let cond = ins[1] ? tensorArg(node, ins[1], 'cond').dataSync()[0] !== 0 : true;
        let v = ins.slice(2, 2 + N);
        const cap = captured(node, ins);
        const record = recordsGradients(rt);
        const inputs = tensorSet(ins);
        const scans = Array.from({ length: K }, (_, k) => new ScanOutput(node, k, !record));
        const condIn = full([], true, 'bool');
        for (let i = 0; i < M && cond; i++) {
          countLoopIteration(node, record);
          const carried = v;
          const outs = runIteration(record, () => runSubgraph(g, [intTensor([i], []), condIn, ...carried], cap, rt));
          const condOut = tensorArg(node, outs[0], 'the body condition');
          cond = condOut.dataSync()[0] !== 0;
          v = outs.slice(1, 1 + N);
          outs.slice(1 + N).forEach((o, k) => scans[k]!.push(tensorArg(node, o, `scan output ${k}`), i + 1));
          if (!record) freeReplaced([...carried, condOut], inputs, outs.slice(1));
        }
        const finals = v.map((t, k) => (t && isTensor(t) && ins[2 + k] === t ? passThrough(t) : t));
        return [...finals, ...scans.map((s) => s.finish())];
      };
    }),
  );
  registerBuiltinOp(
    'Scan',
    valueOp((node, ctx) => {
      const g = body(node, ctx, 'body');
      const M = node.attrs.int('num_scan_inputs', -1);
      if (M < 0) ctx.fail("missing attribute 'num_scan_inputs'");
      const legacy = node.opset < 9;
      const attrs: ScanAttrs = {
        inAxes: node.attrs.ints('scan_input_axes', []),
        inDirs: node.attrs.ints(legacy ? 'directions' : 'scan_input_directions', []),
        outAxes: node.attrs.ints('scan_output_axes', []),
        outDirs: node.attrs.ints('scan_output_directions', []),
      };
      return (ins, rt) => {
        const nDecl = declaredCount(node);
        const cap = captured(node, ins);
        const first = legacy ? 1 : 0;
        const all = ins.slice(first, nDecl).map((v, k) => tensorArg(node, v, `input ${first + k}`));
        const N = all.length - M;
        if (N < 0) fail(node, `has ${all.length} inputs, fewer than num_scan_inputs ${M}`);
        const states = all.slice(0, N);
        const scans = all.slice(N);
        if (!legacy) return scanRun(node, g, states, scans, attrs, cap, rt);
        // opset 8: a batch dim first on every input; sequence_lens per batch entry
        const B = (states[0] ?? scans[0])?.shape[0] ?? 0;
        const lens = ins[0] ? readInts(tensorArg(node, ins[0], 'sequence_lens')) : undefined;
        const perBatch: Tensor[][] = [];
        for (let b = 0; b < B; b++) {
          const pick = (t: Tensor) => dropAxis(slice(t, [b], [b + 1], [0]), 0);
          perBatch.push(scanRun(node, g, states.map(pick), scans.map(pick), { ...attrs, inAxes: [], outAxes: [] }, cap, rt, lens?.[b]));
        }
        if (!perBatch.length) fail(node, 'empty batch');
        return perBatch[0]!.map((_, k) => stack(perBatch.map((r) => r[k]!), 0));
      };
    }),
  );
}
