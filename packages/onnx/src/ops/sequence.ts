// Sequences and optionals: SequenceEmpty SequenceConstruct SequenceInsert SequenceAt
// SequenceErase SequenceLength ConcatFromSequence SplitToSequence SequenceMap, Optional
// OptionalHasElement OptionalGetElement (and Identity on any value).
import { concat, isTensor, reshape, slice, stack, type Tensor } from '@mapnn/core';
import { registerBuiltinOp, valueOp, type OnnxNode } from '../converter.js';
import { runSubgraph } from '../graph.js';
import { describeValue, isOptional, isSequence, optional, sequence, type OnnxSequence, type OnnxValue } from '../values.js';
import { fail, intTensor, normAxis, passThrough, readInts } from './util.js';

function seqArg(node: OnnxNode, v: OnnxValue | undefined, what = 'input 0'): OnnxSequence {
  if (!v || !isSequence(v)) fail(node, `${what} must be a sequence, got ${v ? describeValue(v) : 'nothing'}`);
  return v;
}

function tensorArg(node: OnnxNode, v: OnnxValue | undefined, what: string): Tensor {
  if (!v || !isTensor(v)) fail(node, `${what} must be a tensor, got ${v ? describeValue(v) : 'nothing'}`);
  return v;
}

/** A position in a sequence of `n` items (negative from the end; `n` allowed when inserting). */
function position(node: OnnxNode, t: OnnxValue | undefined, n: number, insert: boolean, def: number): number {
  if (!t) return def;
  let p = readInts(tensorArg(node, t, 'position'))[0]!;
  if (p < 0) p += n;
  if (p < 0 || p > (insert ? n : n - 1)) fail(node, `position ${p} is out of range for a sequence of ${n}`);
  return p;
}

export function registerSequenceOps(): void {
  registerBuiltinOp('SequenceEmpty', valueOp(() => () => sequence([])));
  registerBuiltinOp('SequenceConstruct', valueOp((node) => (ins) => sequence(ins.map((v, k) => tensorArg(node, v, `input ${k}`)))));
  registerBuiltinOp(
    'SequenceInsert',
    valueOp((node) => (ins) => {
      const s = seqArg(node, ins[0]);
      const t = tensorArg(node, ins[1], 'tensor');
      const p = position(node, ins[2], s.items.length, true, s.items.length);
      return sequence([...s.items.slice(0, p), t, ...s.items.slice(p)]);
    }),
  );
  registerBuiltinOp(
    'SequenceAt',
    valueOp((node) => (ins) => {
      const s = seqArg(node, ins[0]);
      return s.items[position(node, ins[1], s.items.length, false, 0)]!;
    }),
  );
  registerBuiltinOp(
    'SequenceErase',
    valueOp((node) => (ins) => {
      const s = seqArg(node, ins[0]);
      const p = position(node, ins[1], s.items.length, false, s.items.length - 1);
      return sequence(s.items.filter((_, i) => i !== p));
    }),
  );
  registerBuiltinOp('SequenceLength', valueOp((node) => (ins) => intTensor([seqArg(node, ins[0]).items.length], [])));
  registerBuiltinOp(
    'ConcatFromSequence',
    valueOp((node) => {
      const axis = node.attrs.int('axis');
      if (axis === undefined) throw new Error("missing attribute 'axis'");
      const newAxis = node.attrs.int('new_axis', 0) === 1;
      return (ins) => {
        const s = seqArg(node, ins[0]);
        if (!s.items.length) fail(node, 'cannot concatenate an empty sequence');
        const r = s.items[0]!.rank;
        if (newAxis) return stack(s.items, normAxis(node, axis, r + 1));
        return s.items.length === 1 ? passThrough(s.items[0]!) : concat(s.items, normAxis(node, axis, r));
      };
    }),
  );
  registerBuiltinOp(
    'SplitToSequence',
    valueOp((node) => {
      const axis = node.attrs.int('axis', 0);
      const keepdims = node.attrs.int('keepdims', 1) === 1;
      return (ins) => {
        const x = tensorArg(node, ins[0], 'input');
        const ax = normAxis(node, axis, x.rank);
        const n = x.shape[ax]!;
        let sizes: number[];
        let squeeze = false;
        if (ins[1]) {
          const split = tensorArg(node, ins[1], 'split');
          const v = readInts(split);
          if (split.rank === 0) {
            const c = v[0]!;
            if (!(c > 0)) fail(node, `split size must be positive, got ${c}`);
            sizes = Array.from({ length: Math.ceil(n / c) }, (_, i) => Math.min(c, n - i * c));
          } else sizes = v;
        } else {
          sizes = new Array<number>(n).fill(1);
          squeeze = !keepdims;
        }
        if (sizes.reduce((a, b) => a + b, 0) !== n) fail(node, `split sizes [${sizes.join(',')}] do not add up to ${n}`);
        let start = 0;
        return sequence(
          sizes.map((sz) => {
            const part = slice(x, [start], [start + sz], [ax]);
            start += sz;
            return squeeze ? reshape(part, part.shape.filter((_, i) => i !== ax)) : part;
          }),
        );
      };
    }),
  );
  registerBuiltinOp(
    'SequenceMap',
    valueOp((node, ctx) => {
      const g = node.attrs.graph('body') ?? ctx.fail("missing graph attribute 'body'");
      const body = ctx.compileSubgraph(g);
      const declared = node.inputs.length - (node.implicitInputs?.length ?? 0);
      return (ins, rt) => {
        const first = seqArg(node, ins[0]);
        const extra = ins.slice(1, declared);
        const cap = new Map<string, OnnxValue>();
        (node.implicitInputs ?? []).forEach((name, k) => ins[declared + k] && cap.set(name, ins[declared + k]!));
        const n = first.items.length;
        for (const e of extra) if (e && isSequence(e) && e.items.length !== n) fail(node, `sequences have different lengths (${n} and ${e.items.length})`);
        const results: Tensor[][] = body.outputs.map(() => []);
        for (let i = 0; i < n; i++) {
          const args = [first.items[i]!, ...extra.map((e) => (e && isSequence(e) ? e.items[i]! : e))];
          const outs = runSubgraph(body, args, cap, rt);
          outs.forEach((o, k) => results[k]!.push(tensorArg(node, o, `body output ${k}`)));
        }
        return results.map((items) => sequence(items));
      };
    }),
  );
  registerBuiltinOp(
    'Optional',
    valueOp((node) => (ins) => {
      const v = ins[0];
      if (v && isOptional(v)) fail(node, 'optionals of optionals are not supported');
      return optional((v as Tensor | OnnxSequence | undefined) ?? null);
    }),
  );
  registerBuiltinOp(
    'OptionalHasElement',
    valueOp(() => (ins) => {
      const v = ins[0];
      const has = v !== undefined && (!isOptional(v) || v.value !== null);
      return intTensor([has ? 1 : 0], [], 'bool');
    }),
  );
  registerBuiltinOp(
    'OptionalGetElement',
    valueOp((node) => (ins) => {
      const v = ins[0];
      if (!v) fail(node, 'input is required');
      if (!isOptional(v)) return v;
      if (v.value === null) fail(node, 'the optional is empty');
      return v.value;
    }),
  );
}
