// Normalization: BatchNormalization (inference and training_mode), InstanceNormalization,
// LayerNormalization, GroupNormalization, MeanVarianceNormalization, LpNormalization.
import { abs, add, div, mean, mul, reshape, rsqrt, sqrt, sub, sum, type Tensor } from '@mapnn/core';
import { registerBuiltinOp } from '../converter.js';
import { fail, need, normAxis } from './util.js';

/** [C] (or [C, …] for opset < 9 spatial = 0) parameters as [1, C, 1, …] for an input of rank `rank`. */
function channelView(p: Tensor, rank: number): Tensor {
  if (p.rank === 1) return reshape(p, [1, p.shape[0]!, ...new Array<number>(Math.max(0, rank - 2)).fill(1)]);
  return reshape(p, [1, ...p.shape]);
}

function moments(x: Tensor, axes: number[]): [Tensor, Tensor] {
  const m = mean(x, axes, true);
  const d = sub(x, m);
  return [m, mean(mul(d, d), axes, true)];
}

export function registerNormalizationOps(): void {
  registerBuiltinOp('BatchNormalization', {
    nonTrainableInputs: [3, 4],
    convert: (node) => {
      const eps = node.attrs.float('epsilon', 1e-5);
      const momentum = node.attrs.float('momentum', 0.9);
      const training = node.opset >= 14 ? node.attrs.int('training_mode', 0) === 1 : node.opset < 7 ? node.attrs.int('is_test', 0) === 0 && node.outputs.length > 1 : node.outputs.filter((o) => o).length > 1;
      return (ins) => {
        const x = need(ins, 0, node);
        const scale = need(ins, 1, node);
        const bias = need(ins, 2, node);
        const rm = need(ins, 3, node);
        const rv = need(ins, 4, node);
        if (x.rank < 2) fail(node, `input must have a channel dim, got [${x.shape.join(',')}]`);
        const r = x.rank;
        const s = channelView(scale, r);
        const b = channelView(bias, r);
        if (!training) {
          const y = add(mul(div(sub(x, channelView(rm, r)), sqrt(add(channelView(rv, r), eps))), s), b);
          return y;
        }
        const axes = [...Array(r).keys()].filter((a) => a !== 1);
        const [m, v] = moments(x, axes);
        const y = add(mul(mul(sub(x, m), rsqrt(add(v, eps))), s), b);
        const mFlat = reshape(m, [x.shape[1]!]);
        const vFlat = reshape(v, [x.shape[1]!]);
        const runMean = add(mul(rm, momentum), mul(mFlat, 1 - momentum));
        const runVar = add(mul(rv, momentum), mul(vFlat, 1 - momentum));
        return [y, runMean, runVar, mFlat, vFlat];
      };
    },
  });
  registerBuiltinOp('InstanceNormalization', (node) => {
    const eps = node.attrs.float('epsilon', 1e-5);
    return (ins) => {
      const x = need(ins, 0, node);
      const axes = [...Array(x.rank).keys()].slice(2);
      const [m, v] = moments(x, axes);
      const y = mul(sub(x, m), rsqrt(add(v, eps)));
      return add(mul(y, channelView(need(ins, 1, node), x.rank)), channelView(need(ins, 2, node), x.rank));
    };
  });
  registerBuiltinOp('LayerNormalization', (node) => {
    const axis = node.attrs.int('axis', -1);
    const eps = node.attrs.float('epsilon', 1e-5);
    return (ins) => {
      const x = need(ins, 0, node);
      const a = normAxis(node, axis, x.rank);
      const axes = [...Array(x.rank).keys()].slice(a);
      const [m, v] = moments(x, axes);
      const inv = rsqrt(add(v, eps));
      let y = mul(mul(sub(x, m), inv), need(ins, 1, node));
      if (ins[2]) y = add(y, ins[2]);
      return [y, m, inv];
    };
  });
  registerBuiltinOp('GroupNormalization', (node) => {
    const groups = node.attrs.int('num_groups', 0);
    const eps = node.attrs.float('epsilon', 1e-5);
    if (groups < 1) throw new Error(`num_groups must be ≥ 1, got ${groups}`);
    return (ins) => {
      const x = need(ins, 0, node);
      const [N, C] = x.shape as [number, number];
      if (C % groups) fail(node, `channels ${C} not divisible by num_groups ${groups}`);
      const g = reshape(x, [N, groups, -1]);
      const [m, v] = moments(g, [2]);
      const yn = mul(sub(g, m), rsqrt(add(v, eps)));
      const scale = need(ins, 1, node);
      const bias = need(ins, 2, node);
      if (scale.size === groups && C !== groups) {
        const y = add(mul(yn, reshape(scale, [1, groups, 1])), reshape(bias, [1, groups, 1]));
        return reshape(y, x.shape);
      }
      const y = reshape(yn, x.shape);
      return add(mul(y, channelView(scale, x.rank)), channelView(bias, x.rank));
    };
  });
  registerBuiltinOp('MeanVarianceNormalization', (node) => {
    const axesAttr = node.attrs.ints('axes', [0, 2, 3]);
    return (ins) => {
      const x = need(ins, 0, node);
      const axes = axesAttr.map((a) => normAxis(node, a, x.rank));
      const m = mean(x, axes, true);
      const v = sub(mean(mul(x, x), axes, true), mul(m, m));
      return div(sub(x, m), add(sqrt(v), 1e-9));
    };
  });
  registerBuiltinOp('LpNormalization', (node) => {
    const axis = node.attrs.int('axis', -1);
    const p = node.attrs.int('p', 2);
    return (ins) => {
      const x = need(ins, 0, node);
      const a = normAxis(node, axis, x.rank);
      const n = p === 1 ? sum(abs(x), [a], true) : sqrt(sum(mul(x, x), [a], true));
      return div(x, n);
    };
  });
}
