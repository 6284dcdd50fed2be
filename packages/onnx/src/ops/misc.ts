// Misc: Constant ConstantOfShape Shape Size Range Identity Dropout Cast CastLike OneHot EyeLike
// NonZero Unique TopK Einsum NonMaxSuppression, the losses SoftmaxCrossEntropyLoss and
// NegativeLogLikelihoodLoss, and the random ops (RandomUniform/Normal(+Like), Bernoulli, Multinomial).
import {
  add, arange, cast, div, eq, full, gather, Generator, indexSelect, isFloat, logSoftmax, lt, mean, mul, ne, neg, rand, randn, reshape, slice, sum,
  tensor, where, zeros, type DType, type Tensor,
} from '@mapnn/core';
import { registerBuiltinOp, valueOp, type OnnxNode } from '../converter.js';
import { DataType } from '../proto/onnx.js';
import { dtypeFromOnnx, hostToTensor, requireDtype } from '../proto/tensor.js';
import { einsum } from './einsum.js';
import { unsqueezeAxes } from './shape-movement.js';
import { castIf, checkElements, fail, fromValues, intTensor, need, normAxis, readFloats, readInts, rememberInts, sizeOf, stridesOf } from './util.js';

/** Rounds float32 values to bfloat16 precision (nearest, ties to even), kept as float32. */
function roundBfloat16(x: Tensor): Tensor {
  const src = Float32Array.from(x.dataSync() as ArrayLike<number>);
  const u = new Uint32Array(src.buffer);
  for (let i = 0; i < u.length; i++) {
    const v = u[i]!;
    if ((v & 0x7f800000) === 0x7f800000 && v & 0x7fffff) {
      u[i] = (v | 0x400000) & 0xffff0000;
      continue;
    }
    const lsb = (v >>> 16) & 1;
    u[i] = ((v + 0x7fff + lsb) >>> 0) & 0xffff0000;
  }
  return fromValues(src, x.shape, 'float32');
}

function castTo(x: Tensor, onnxType: number): Tensor {
  const d = dtypeFromOnnx(onnxType)!;
  const out = x.dtype === d ? x : cast(x, d);
  if (onnxType === DataType.BFLOAT16) return roundBfloat16(out);
  return out;
}

function nllLoss(node: OnnxNode, logp: Tensor, target: Tensor, weight: Tensor | undefined, ignore: number | undefined, reduction: string): Tensor {
  if (logp.rank < 2) fail(node, `input must be [N, C, …], got [${logp.shape.join(',')}]`);
  const mask = ignore !== undefined ? ne(target, ignore) : null;
  const safe = mask ? where(mask, target, 0) : target;
  const picked = reshape(gather(logp, 1, reshape(safe, [safe.shape[0]!, 1, ...safe.shape.slice(1)])), safe.shape);
  let w: Tensor | null = weight ? reshape(indexSelect(weight, 0, reshape(safe, [safe.size])), safe.shape) : null;
  if (mask) w = w ? mul(w, cast(mask, logp.dtype)) : cast(mask, logp.dtype);
  let loss = neg(picked);
  if (w) loss = mul(loss, w);
  if (reduction === 'none') return loss;
  if (reduction === 'sum') return sum(loss);
  if (reduction !== 'mean') fail(node, `unknown reduction '${reduction}'`);
  return w ? div(sum(loss), sum(w)) : mean(loss);
}

function topK(node: OnnxNode, x: Tensor, k: number, axis: number, largest: boolean): [Tensor, Tensor] {
  const ax = normAxis(node, axis, x.rank);
  const n = x.shape[ax]!;
  if (!Number.isInteger(k) || k < 0 || k > n) fail(node, `k = ${k} is out of range for a dim of size ${n}`);
  const v = x.dataSync();
  const st = stridesOf(x.shape);
  const outer = sizeOf(x.shape.slice(0, ax));
  const inner = st[ax]!;
  const idx = new Array<number>(outer * k * inner);
  const order = new Array<number>(n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      for (let j = 0; j < n; j++) order[j] = j;
      const at = (j: number) => v[o * n * inner + j * inner + i]!;
      order.sort((a, b) => {
        const d = largest ? at(b) - at(a) : at(a) - at(b);
        return d !== 0 && !Number.isNaN(d) ? d : a - b;
      });
      for (let j = 0; j < k; j++) idx[o * k * inner + j * inner + i] = order[j]!;
    }
  }
  const shape = x.shape.map((d, i) => (i === ax ? k : d));
  const indices = intTensor(idx, shape);
  return [gather(x, ax, indices), indices];
}

function unique(node: OnnxNode, x: Tensor, axis: number | undefined, sorted: boolean): Tensor[] {
  const ax = axis === undefined ? 0 : normAxis(node, axis, x.rank);
  const t = axis === undefined ? reshape(x, [x.size]) : x;
  const n = t.shape[ax]!;
  const v = t.dataSync();
  const st = stridesOf(t.shape);
  const outer = sizeOf(t.shape.slice(0, ax));
  const inner = st[ax]!;
  const sliceOf = (j: number) => {
    const out: number[] = [];
    for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) out.push(v[o * n * inner + j * inner + i]!);
    return out;
  };
  const slices = Array.from({ length: n }, (_, j) => sliceOf(j));
  const cmp = (a: number[], b: number[]) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return 0;
  };
  const firsts: number[] = [];
  const inverse = new Array<number>(n);
  const keyOf = (s: number[]) => s.join(',');
  const seen = new Map<string, number>();
  for (let j = 0; j < n; j++) {
    const key = keyOf(slices[j]!);
    if (!seen.has(key)) {
      seen.set(key, firsts.length);
      firsts.push(j);
    }
  }
  let order = firsts.map((_, i) => i);
  if (sorted) order = order.sort((a, b) => cmp(slices[firsts[a]!]!, slices[firsts[b]!]!));
  const rank = new Map<number, number>();
  order.forEach((u, pos) => rank.set(u, pos));
  const counts = new Array<number>(order.length).fill(0);
  for (let j = 0; j < n; j++) {
    const u = seen.get(keyOf(slices[j]!))!;
    inverse[j] = rank.get(u)!;
    counts[inverse[j]!]!++;
  }
  const idx = order.map((u) => firsts[u]!);
  const y = indexSelect(t, ax, intTensor(idx));
  return [y, intTensor(idx), intTensor(inverse), intTensor(counts)];
}

function nms(node: OnnxNode, ins: readonly (Tensor | undefined)[], centerBox: boolean): Tensor {
  const boxes = need(ins, 0, node);
  const scores = need(ins, 1, node);
  const maxOut = ins[2] && ins[2].size ? readInts(ins[2])[0]! : 0;
  const iouTh = ins[3] && ins[3].size ? readFloats(ins[3])[0]! : 0;
  const scoreTh = ins[4] && ins[4].size ? readFloats(ins[4])[0]! : undefined;
  const [B, N] = boxes.shape as [number, number];
  const C = scores.shape[1]!;
  const bv = boxes.dataSync();
  const sv = scores.dataSync();
  const corners = (b: number, i: number): [number, number, number, number] => {
    const o = (b * N + i) * 4;
    const [a, c, d, e] = [bv[o]!, bv[o + 1]!, bv[o + 2]!, bv[o + 3]!];
    if (centerBox) return [c - e / 2, a - d / 2, c + e / 2, a + d / 2];
    return [Math.min(a, d), Math.min(c, e), Math.max(a, d), Math.max(c, e)];
  };
  const iou = (p: number[], q: number[]) => {
    const ih = Math.max(0, Math.min(p[2]!, q[2]!) - Math.max(p[0]!, q[0]!));
    const iw = Math.max(0, Math.min(p[3]!, q[3]!) - Math.max(p[1]!, q[1]!));
    const inter = ih * iw;
    const ua = (p[2]! - p[0]!) * (p[3]! - p[1]!) + (q[2]! - q[0]!) * (q[3]! - q[1]!) - inter;
    return ua > 0 ? inter / ua : 0;
  };
  const out: number[] = [];
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      const cand: number[] = [];
      for (let i = 0; i < N; i++) {
        const s = sv[(b * C + c) * N + i]!;
        if (scoreTh === undefined || s > scoreTh) cand.push(i);
      }
      cand.sort((i, j) => sv[(b * C + c) * N + j]! - sv[(b * C + c) * N + i]! || i - j);
      const kept: number[] = [];
      for (const i of cand) {
        if (kept.length >= maxOut) break;
        const bi = corners(b, i);
        if (kept.every((j) => iou(bi, corners(b, j)) <= iouTh)) kept.push(i);
      }
      for (const i of kept) out.push(b, c, i);
    }
  }
  return intTensor(out, [out.length / 3, 3]);
}

function generatorOf(node: OnnxNode): Generator | undefined {
  const a = node.attrs.raw('seed');
  const seed = a === undefined ? undefined : a.type === 2 ? node.attrs.int('seed') : node.attrs.float('seed');
  return seed === undefined ? undefined : new Generator(Math.floor(seed));
}

export function registerMiscOps(): void {
  registerBuiltinOp('Constant', (node, ctx) => {
    const a = node.attrs;
    let make: () => Tensor;
    if (a.has('value')) {
      const h = a.tensor('value')!;
      make = () => {
        const t = hostToTensor(h);
        return isFloat(h.dtype) ? t : rememberInts(t, Array.from(h.data));
      };
    } else if (a.has('value_float')) {
      const v = a.float('value_float')!;
      make = () => tensor(v, [], 'float32');
    } else if (a.has('value_floats')) {
      const v = a.floats('value_floats')!;
      make = () => tensor(v, [v.length], 'float32');
    } else if (a.has('value_int')) {
      const v = a.int('value_int')!;
      make = () => intTensor([v], []);
    } else if (a.has('value_ints')) {
      const v = a.ints('value_ints')!;
      make = () => intTensor(v);
    } else if (a.has('sparse_value')) {
      ctx.fail('sparse constants are not supported');
    } else if (a.has('value_string') || a.has('value_strings')) {
      ctx.fail('string constants are not supported (mapnn has no string tensors)');
    } else ctx.fail('has no value attribute');
    return () => make();
  });
  registerBuiltinOp('ConstantOfShape', (node) => {
    const h = node.attrs.tensor('value');
    const value = h ? Number(h.data[0] ?? 0) : 0;
    const dtype: DType = h ? h.dtype : 'float32';
    return (ins) => {
      const shape = readInts(need(ins, 0, node));
      checkElements(node, shape);
      const t = full(shape, h && h.dtype === 'float16' ? Number(hostToTensor(h).dataSync()[0]) : value, dtype);
      return isFloat(dtype) || sizeOf(shape) > 64 ? t : rememberInts(t, new Array<number>(sizeOf(shape)).fill(value));
    };
  });
  registerBuiltinOp('Shape', (node) => {
    const start = node.attrs.int('start', 0);
    const end = node.attrs.int('end');
    return (ins) => {
      const x = need(ins, 0, node);
      const r = x.rank;
      const clampI = (v: number) => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
      const dims = x.shape.slice(clampI(start), end === undefined ? r : clampI(end));
      return intTensor(dims);
    };
  });
  registerBuiltinOp('Size', (node) => (ins) => intTensor([need(ins, 0, node).size], []));
  registerBuiltinOp('Range', (node) => (ins) => {
    const s = need(ins, 0, node);
    const [start] = readFloats(s);
    const [limit] = readFloats(need(ins, 1, node));
    const [delta] = readFloats(need(ins, 2, node));
    if (!delta) fail(node, 'delta must not be 0');
    const n = Math.max(Math.ceil((limit! - start!) / delta!), 0);
    checkElements(node, [n]);
    const vals = Array.from({ length: n }, (_, i) => start! + i * delta!);
    return isFloat(s.dtype) ? fromValues(vals, [n], s.dtype) : intTensor(vals, [n], s.dtype);
  });
  registerBuiltinOp('Identity', valueOp((node) => (ins) => ins[0] ?? fail(node, 'input 0 is required')));
  registerBuiltinOp('Dropout', {
    nondeterministic: true,
    convert: (node) => {
      const legacy = node.opset < 12;
      const ratioAttr = node.attrs.float('ratio', 0.5);
      const isTest = node.opset < 7 ? node.attrs.int('is_test', 0) === 1 : undefined;
      const gen = generatorOf(node);
      return (ins, rt) => {
        const x = need(ins, 0, node);
        const ratio = legacy ? ratioAttr : ins[1] ? readFloats(ins[1])[0]! : 0.5;
        const training = legacy ? (isTest === undefined ? rt.training : !isTest && rt.training) : ins[2] ? readInts(ins[2])[0] !== 0 : rt.training;
        if (!training || ratio === 0) return [x, full(x.shape, true, 'bool')];
        if (ratio >= 1) return [zeros(x.shape, x.dtype), full(x.shape, false, 'bool')];
        const mask = lt(rand(x.shape, gen ? { generator: gen } : {}), 1 - ratio);
        return [castIf(where(mask, div(x, 1 - ratio), 0), x.dtype), mask];
      };
    },
  });
  registerBuiltinOp('Cast', (node, ctx) => {
    const to: number = node.attrs.int('to') ?? ctx.fail("missing attribute 'to'");
    requireDtype(to, `Cast node '${node.name}' (to)`);
    return (ins) => castTo(need(ins, 0, node), to);
  });
  registerBuiltinOp('CastLike', (node, ctx) => {
    const declared = ctx.onnxType(1);
    if (declared !== undefined) requireDtype(declared, `CastLike node '${node.name}' (target type)`);
    return (ins) => {
      const x = need(ins, 0, node);
      const target = need(ins, 1, node);
      if (declared === DataType.BFLOAT16) return castTo(x, declared);
      return castIf(x, target.dtype);
    };
  });
  registerBuiltinOp('OneHot', (node) => {
    const axis = node.attrs.int('axis', -1);
    return (ins) => {
      const idx0 = need(ins, 0, node);
      const depth = Math.trunc(readFloats(need(ins, 1, node))[0]!);
      const values = need(ins, 2, node);
      if (!(depth > 0)) fail(node, `depth must be positive, got ${depth}`);
      checkElements(node, [...idx0.shape, depth]);
      const ax = normAxis(node, axis, idx0.rank + 1);
      const idx = isFloat(idx0.dtype) ? cast(idx0, 'int64') : idx0;
      const wrapped = where(lt(idx, 0), add(idx, depth), idx);
      const classes = reshape(arange(depth, undefined, 1, 'int64'), [...new Array<number>(ax).fill(1), depth, ...new Array<number>(idx0.rank - ax).fill(1)]);
      const hot = eq(unsqueezeAxes(node, castIf(wrapped, 'int64'), [ax]), classes);
      const off = reshape(slice(values, [0], [1]), []);
      const on = reshape(slice(values, [1], [2]), []);
      return where(hot, on, off);
    };
  });
  registerBuiltinOp('EyeLike', (node) => {
    const k = node.attrs.int('k', 0);
    const dt = node.attrs.int('dtype');
    return (ins) => {
      const x = need(ins, 0, node);
      if (x.rank !== 2) fail(node, `input must be 2-D, got [${x.shape.join(',')}]`);
      const [r, c] = x.shape as [number, number];
      const vals = new Array<number>(r * c).fill(0);
      for (let i = 0; i < r; i++) if (i + k >= 0 && i + k < c) vals[i * c + i + k] = 1;
      return fromValues(vals, [r, c], dt !== undefined ? requireDtype(dt, `EyeLike node '${node.name}'`) : x.dtype);
    };
  });
  registerBuiltinOp('NonZero', (node) => (ins) => {
    const x = need(ins, 0, node);
    const v = x.dataSync();
    const st = stridesOf(x.shape);
    const hits: number[] = [];
    for (let i = 0; i < v.length; i++) if (v[i]) hits.push(i);
    const r = Math.max(x.rank, 1);
    const out = new Array<number>(r * hits.length);
    hits.forEach((h, j) => {
      let rem = h;
      for (let d = 0; d < x.rank; d++) {
        out[d * hits.length + j] = Math.floor(rem / st[d]!);
        rem -= out[d * hits.length + j]! * st[d]!;
      }
      if (x.rank === 0) out[j] = 0;
    });
    return intTensor(out, [x.rank, hits.length]);
  });
  registerBuiltinOp('Unique', (node) => {
    const axis = node.attrs.int('axis');
    const sorted = node.attrs.int('sorted', 1) === 1;
    return (ins) => unique(node, need(ins, 0, node), axis, sorted);
  });
  registerBuiltinOp('TopK', (node) => {
    const axis = node.attrs.int('axis', -1);
    const largest = node.attrs.int('largest', 1) === 1;
    const kAttr = node.attrs.int('k');
    return (ins) => {
      const x = need(ins, 0, node);
      const k: number = node.opset < 10 ? (kAttr ?? fail(node, "missing attribute 'k'")) : readInts(need(ins, 1, node))[0]!;
      return topK(node, x, k, axis, largest);
    };
  });
  registerBuiltinOp('Einsum', (node) => {
    const eq0 = node.attrs.string('equation');
    if (!eq0) throw new Error("missing attribute 'equation'");
    return (ins) => einsum(node, eq0, ins.filter((t): t is Tensor => !!t));
  });
  registerBuiltinOp('NonMaxSuppression', (node) => {
    const center = node.attrs.int('center_point_box', 0) === 1;
    return (ins) => nms(node, ins, center);
  });
  registerBuiltinOp('NegativeLogLikelihoodLoss', (node) => {
    const reduction = node.attrs.string('reduction', 'mean');
    const ignore = node.attrs.int('ignore_index');
    return (ins) => nllLoss(node, need(ins, 0, node), need(ins, 1, node), ins[2], ignore, reduction);
  });
  registerBuiltinOp('SoftmaxCrossEntropyLoss', (node) => {
    const reduction = node.attrs.string('reduction', 'mean');
    const ignore = node.attrs.int('ignore_index');
    return (ins) => {
      const scores = need(ins, 0, node);
      const logp = logSoftmax(scores, 1);
      return [nllLoss(node, logp, need(ins, 1, node), ins[2], ignore, reduction), logp];
    };
  });
  // ---- random ops (never folded into constants)
  const randomDtype = (node: OnnxNode, def: DType) => {
    const dt = node.attrs.int('dtype');
    return dt === undefined ? def : requireDtype(dt, `${node.opType} node '${node.name}'`);
  };
  const randomLike = (normal: boolean) => ({
    nondeterministic: true,
    convert: (node: OnnxNode) => {
      const gen = generatorOf(node);
      const a = node.attrs.float(normal ? 'mean' : 'low', 0);
      const b = node.attrs.float(normal ? 'scale' : 'high', 1);
      return (ins: readonly (Tensor | undefined)[]) => {
        const like = node.opType.endsWith('Like') ? need(ins, 0, node) : undefined;
        const shape = like ? like.shape : node.attrs.ints('shape') ?? fail(node, "missing attribute 'shape'");
        checkElements(node, shape);
        const dtype = randomDtype(node, like && isFloat(like.dtype) ? like.dtype : 'float32');
        const opts = gen ? { generator: gen } : {};
        const r = normal ? add(mul(randn(shape, opts), b), a) : add(mul(rand(shape, opts), b - a), a);
        return castIf(r, dtype);
      };
    },
  });
  registerBuiltinOp('RandomUniform', randomLike(false));
  registerBuiltinOp('RandomUniformLike', randomLike(false));
  registerBuiltinOp('RandomNormal', randomLike(true));
  registerBuiltinOp('RandomNormalLike', randomLike(true));
  registerBuiltinOp('Bernoulli', {
    nondeterministic: true,
    convert: (node) => {
      const gen = generatorOf(node);
      return (ins) => {
        const p = need(ins, 0, node);
        const r = lt(rand(p.shape, gen ? { generator: gen } : {}), p);
        return cast(r, randomDtype(node, p.dtype));
      };
    },
  });
}
