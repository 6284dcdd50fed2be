// Control flow: If, Loop and Scan (opset 8 and 9+). Bodies are compiled once at import; values
// they capture from the enclosing graph arrive as the node's implicit inputs. Loop-carried
// values may be sequences.
import { full, isTensor, reshape, slice, stack, zeros, type Tensor } from '@mapnn/core';
import { registerBuiltinOp, valueOp, type ConvertContext, type OnnxNode, type OnnxSubgraph, type RunContext } from '../converter.js';
import { runSubgraph } from '../graph.js';
import { describeValue, type OnnxValue } from '../values.js';
import { fail, intTensor, loopIterationLimit, normAxis, readInts } from './util.js';

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
  for (let t = 0; t < T; t++) {
    const slices = scans.map((x, j) => {
      const pos = attrs.inDirs[j] === 1 ? T - 1 - t : t;
      return dropAxis(slice(x, [pos], [pos + 1], [axes[j]!]), axes[j]!);
    });
    const outs = runSubgraph(g, [...states, ...slices], cap, rt).map((v, k) => tensorArg(node, v, `body output ${k}`));
    states = outs.slice(0, states0.length);
    outs.slice(states0.length).forEach((o, k) => collected[k]!.push(o));
  }
  const scanOuts = collected.map((list, k) => {
    const ordered = attrs.outDirs[k] === 1 ? [...list].reverse() : list;
    if (!ordered.length) return zeros([0]);
    const axis = attrs.outAxes[k] ?? 0;
    return stack(ordered, axis < 0 ? axis + ordered[0]!.rank + 1 : axis);
  });
  return [...states.map((s) => (states0.includes(s) ? s.detach() : s)), ...scanOuts];
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
        const scans: Tensor[][] = Array.from({ length: K }, () => []);
        const limit = loopIterationLimit();
        for (let i = 0; i < M && cond; i++) {
          if (i >= limit) fail(node, `more than ${limit} iterations (raise maxLoopIterations to allow more)`);
          const outs = runSubgraph(g, [intTensor([i], []), full([], true, 'bool'), ...v], cap, rt);
          cond = tensorArg(node, outs[0], 'the body condition').dataSync()[0] !== 0;
          v = outs.slice(1, 1 + N);
          outs.slice(1 + N).forEach((o, k) => scans[k]!.push(tensorArg(node, o, `scan output ${k}`)));
        }
        const finals = v.map((t, k) => (t && isTensor(t) && ins[2 + k] === t ? t.detach() : t));
        const stacked = scans.map((list) => (list.length ? stack(list, 0) : zeros([0])));
        return [...finals, ...stacked];
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
