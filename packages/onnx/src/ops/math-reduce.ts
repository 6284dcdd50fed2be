// Reductions and linear algebra: ReduceSum/Mean/Max/Min/Prod/L1/L2/LogSum/LogSumExp/SumSquare,
// ArgMax ArgMin CumSum MatMul Gemm Det.
import {
  abs, add, argmax, argmin, cast, concat, cumsum, flip, isFloat, log, logsumexp, matmul, max, mean, min, mul, prod, reshape, slice, sqrt, sub,
  sum, transpose, zeros, type Tensor,
} from '@mapnn/core';
import { registerBuiltinOp, type OnnxConverter, type OnnxNode } from '../converter.js';
import { castIf, fail, fromValues, need, normAxis, passThrough, readInts, sizeOf } from './util.js';

/** The axes a Reduce* node reduces over, or null for a no-op (noop_with_empty_axes with no axes). */
export function reduceAxes(node: OnnxNode, ins: readonly (Tensor | undefined)[], x: Tensor): number[] | null {
  const fromInput = node.opset >= 18 || (node.opType === 'ReduceSum' && node.opset >= 13);
  const axes = fromInput ? (ins[1] ? readInts(ins[1]) : undefined) : node.attrs.ints('axes');
  if (!axes || axes.length === 0) {
    if (node.attrs.int('noop_with_empty_axes', 0)) return null;
    return [...Array(x.rank).keys()];
  }
  return [...new Set(axes.map((a) => normAxis(node, a, x.rank)))].sort((a, b) => a - b);
}

function reduceOp(fn: (x: Tensor, axes: number[], keep: boolean) => Tensor, opts: { keepType?: boolean } = {}): OnnxConverter {
  return (node) => {
    const keep = node.attrs.int('keepdims', 1) === 1;
    return (ins) => {
      const x = need(ins, 0, node);
      const axes = reduceAxes(node, ins, x);
      if (axes === null) return passThrough(x);
      if (x.rank === 0) return fn(reshape(x, [1]), [0], false);
      const out = fn(x, axes, keep);
      return opts.keepType === false ? out : castIf(out, x.dtype);
    };
  };
}

function argOp(which: 'max' | 'min'): OnnxConverter {
  return (node) => {
    const axis = node.attrs.int('axis', 0);
    const keep = node.attrs.int('keepdims', 1) === 1;
    const last = node.attrs.int('select_last_index', 0) === 1;
    const f = which === 'max' ? argmax : argmin;
    return (ins) => {
      const x = need(ins, 0, node);
      const ax = normAxis(node, axis, x.rank);
      const src = isFloat(x.dtype) || x.dtype === 'int32' || x.dtype === 'int64' ? x : cast(x, 'int32');
      if (!last) return castIf(f(src, ax, keep), 'int64');
      const idx = f(flip(src, [ax]), ax, keep);
      return castIf(sub(x.shape[ax]! - 1, idx), 'int64');
    };
  };
}

function det(node: OnnxNode, x: Tensor): Tensor {
  const n = x.shape[x.rank - 1]!;
  if (x.rank < 2 || x.shape[x.rank - 2] !== n) fail(node, `input must be [..., n, n], got [${x.shape.join(',')}]`);
  const v = x.dataSync();
  const batch = sizeOf(x.shape.slice(0, -2));
  const out = new Array<number>(batch);
  const a = new Float64Array(n * n);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < n * n; i++) a[i] = v[b * n * n + i]!;
    let d = 1;
    for (let c = 0; c < n; c++) {
      let p = c;
      for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]!) > Math.abs(a[p * n + c]!)) p = r;
      if (a[p * n + c] === 0) {
        d = 0;
        break;
      }
      if (p !== c) {
        for (let k = 0; k < n; k++) [a[c * n + k], a[p * n + k]] = [a[p * n + k]!, a[c * n + k]!];
        d = -d;
      }
      d *= a[c * n + c]!;
      for (let r = c + 1; r < n; r++) {
        const f = a[r * n + c]! / a[c * n + c]!;
        for (let k = c; k < n; k++) a[r * n + k]! -= f * a[c * n + k]!;
      }
    }
    out[b] = d;
  }
  return fromValues(out, x.shape.slice(0, -2), x.dtype);
}

export function registerMathReduceOps(): void {
  registerBuiltinOp('ReduceSum', reduceOp((x, a, k) => sum(x, a, k)));
  registerBuiltinOp('ReduceMean', reduceOp((x, a, k) => mean(x, a, k)));
  registerBuiltinOp('ReduceMax', reduceOp((x, a, k) => max(x, a, k)));
  registerBuiltinOp('ReduceMin', reduceOp((x, a, k) => min(x, a, k)));
  registerBuiltinOp('ReduceProd', reduceOp((x, a, k) => prod(x, a, k)));
  registerBuiltinOp('ReduceL1', reduceOp((x, a, k) => sum(abs(x), a, k)));
  registerBuiltinOp('ReduceL2', reduceOp((x, a, k) => sqrt(sum(mul(x, x), a, k))));
  registerBuiltinOp('ReduceSumSquare', reduceOp((x, a, k) => sum(mul(x, x), a, k)));
  registerBuiltinOp('ReduceLogSum', reduceOp((x, a, k) => log(sum(x, a, k))));
  registerBuiltinOp('ReduceLogSumExp', reduceOp((x, a, k) => logsumexp(x, a, k)));
  registerBuiltinOp('ArgMax', argOp('max'));
  registerBuiltinOp('ArgMin', argOp('min'));
  registerBuiltinOp('CumSum', (node) => {
    const exclusive = node.attrs.int('exclusive', 0) === 1;
    const reverse = node.attrs.int('reverse', 0) === 1;
    return (ins) => {
      const x = need(ins, 0, node);
      const ax = normAxis(node, readInts(need(ins, 1, node))[0]!, x.rank);
      let t = reverse ? flip(x, [ax]) : x;
      if (exclusive) {
        const zshape = t.shape.map((d, i) => (i === ax ? 1 : d));
        t = concat([zeros(zshape, t.dtype), slice(t, [0], [t.shape[ax]! - 1], [ax])], ax);
      }
      let out = castIf(cumsum(t, ax), x.dtype);
      if (reverse) out = flip(out, [ax]);
      return out;
    };
  });
  registerBuiltinOp('MatMul', (node) => (ins) => {
    const a = need(ins, 0, node);
    const b = need(ins, 1, node);
    return castIf(matmul(a, b), a.dtype);
  });
  registerBuiltinOp('Gemm', (node) => {
    const alpha = node.attrs.float('alpha', 1);
    const beta = node.attrs.float('beta', 1);
    const tA = node.attrs.int('transA', 0) === 1;
    const tB = node.attrs.int('transB', 0) === 1;
    return (ins) => {
      let a = need(ins, 0, node);
      let b = need(ins, 1, node);
      if (a.rank !== 2 || b.rank !== 2) fail(node, `A and B must be 2-D, got [${a.shape.join(',')}] and [${b.shape.join(',')}]`);
      if (tA) a = transpose(a, [1, 0]);
      if (tB) b = transpose(b, [1, 0]);
      let y = matmul(a, b);
      if (alpha !== 1) y = mul(y, alpha);
      const c = ins[2];
      if (c && beta !== 0) y = add(y, beta === 1 ? c : mul(c, beta));
      return castIf(y, ins[0]!.dtype);
    };
  });
  registerBuiltinOp('Det', (node) => (ins) => det(node, need(ins, 0, node)));
}
