// Activations: Relu LeakyRelu PRelu Elu Selu Celu Sigmoid HardSigmoid HardSwish Softplus Softsign
// ThresholdedRelu Shrink Gelu Mish Clip Softmax LogSoftmax Hardmax.
import {
  abs, add, argmax, cast, clip, div, elu, exp, gelu, gt, hardSigmoid, isFloat, leakyRelu, lt, logSoftmax, mul, neg, oneHot,
  relu, reshape, sigmoid, softmax, softplus, sub, tanh, transpose, where, type Tensor,
} from '@mapnn/core';
import { registerBuiltinOp, type OnnxConverter, type OnnxNode } from '../converter.js';
import { unary } from './elementwise.js';
import { castIf, need, normAxis, passThrough } from './util.js';

/** Applies `fn` along `axis` with ONNX's opset rules: before 13 the input is coerced to 2-D at `axis`. */
export function softmaxFamily(fn: (x: Tensor, axis: number) => Tensor): OnnxConverter {
  return (node) => {
    const legacy = node.opset < 13;
    const axis = node.attrs.int('axis', legacy ? 1 : -1);
    return (ins) => {
      const x = need(ins, 0, node);
      const ax = normAxis(node, axis, x.rank);
      if (!legacy || x.rank === 0) return fn(x, ax);
      const rows = x.shape.slice(0, ax).reduce((a, b) => a * b, 1);
      const flat = reshape(x, [rows, x.size / Math.max(rows, 1) || 0]);
      return reshape(fn(flat, 1), x.shape);
    };
  };
}

function hardmax(x: Tensor, axis: number): Tensor {
  const n = x.shape[axis]!;
  const hot = oneHot(argmax(x, axis, false), n); // class dim last
  const perm = x.shape.map((_, i) => (i < axis ? i : i === axis ? x.rank - 1 : i - 1));
  return castIf(transpose(hot, perm), x.dtype);
}

function activation(fn: (x: Tensor, node: OnnxNode) => Tensor): OnnxConverter {
  return unary((x, node) => fn(isFloat(x.dtype) ? x : cast(x, 'float32'), node));
}

export function registerActivationOps(): void {
  registerBuiltinOp('Relu', unary((x) => relu(x)));
  registerBuiltinOp('LeakyRelu', (node) => {
    const alpha = node.attrs.float('alpha', 0.01);
    return (ins) => leakyRelu(need(ins, 0, node), alpha);
  });
  registerBuiltinOp('PRelu', (node) => (ins) => {
    const x = need(ins, 0, node);
    let slope = need(ins, 1, node);
    // opset < 7 (and PyTorch's 1-D slope for N-D input): a [C] slope applies to the channel axis
    if (slope.rank === 1 && x.rank > 2 && slope.shape[0] !== x.shape[x.rank - 1] && slope.shape[0] === x.shape[1]) {
      slope = reshape(slope, [slope.shape[0]!, ...new Array<number>(x.rank - 2).fill(1)]);
    }
    return castIf(where(lt(x, 0), mul(x, slope), x), x.dtype);
  });
  registerBuiltinOp('Elu', (node) => {
    const alpha = node.attrs.float('alpha', 1);
    return (ins) => elu(need(ins, 0, node), alpha);
  });
  registerBuiltinOp('Selu', (node) => {
    const alpha = node.attrs.float('alpha', 1.67326319217681884765625);
    const gamma = node.attrs.float('gamma', 1.05070102214813232421875);
    return (ins) => {
      const x = need(ins, 0, node);
      return mul(where(gt(x, 0), x, mul(sub(exp(x), 1), alpha)), gamma);
    };
  });
  registerBuiltinOp('Celu', (node) => {
    const alpha = node.attrs.float('alpha', 1);
    return (ins) => {
      const x = need(ins, 0, node);
      return add(relu(x), neg(relu(neg(mul(sub(exp(div(x, alpha)), 1), alpha)))));
    };
  });
  registerBuiltinOp('Sigmoid', activation((x) => sigmoid(x)));
  registerBuiltinOp('HardSigmoid', (node) => {
    const alpha = node.attrs.float('alpha', 0.2);
    const beta = node.attrs.float('beta', 0.5);
    return (ins) => hardSigmoid(need(ins, 0, node), alpha, beta);
  });
  registerBuiltinOp('HardSwish', activation((x) => mul(x, hardSigmoid(x, 1 / 6, 0.5))));
  registerBuiltinOp('Softplus', activation((x) => softplus(x)));
  registerBuiltinOp('Softsign', activation((x) => div(x, add(abs(x), 1))));
  registerBuiltinOp('Mish', activation((x) => mul(x, tanh(softplus(x)))));
  registerBuiltinOp('ThresholdedRelu', (node) => {
    const alpha = node.attrs.float('alpha', 1);
    return (ins) => {
      const x = need(ins, 0, node);
      return where(gt(x, alpha), x, 0);
    };
  });
  registerBuiltinOp('Shrink', (node) => {
    const bias = node.attrs.float('bias', 0);
    const lambd = node.attrs.float('lambd', 0.5);
    return (ins) => {
      const x = need(ins, 0, node);
      const out = where(lt(x, -lambd), add(x, bias), where(gt(x, lambd), sub(x, bias), 0));
      return castIf(out, x.dtype);
    };
  });
  registerBuiltinOp('Gelu', (node) => {
    const approx = node.attrs.string('approximate', 'none');
    if (approx !== 'none' && approx !== 'tanh') throw new Error(`approximate must be 'none' or 'tanh', got '${approx}'`);
    return (ins) => gelu(need(ins, 0, node), approx);
  });
  registerBuiltinOp('Clip', (node) => {
    const legacy = node.opset < 11;
    const minA = node.attrs.float('min', -3.4028234663852886e38);
    const maxA = node.attrs.float('max', 3.4028234663852886e38);
    return (ins) => {
      const x = need(ins, 0, node);
      const lo = legacy ? minA : ins[1];
      const hi = legacy ? maxA : ins[2];
      if (lo === undefined && hi === undefined) return passThrough(x);
      return castIf(clip(x, lo ?? null, hi ?? null), x.dtype);
    };
  });
  registerBuiltinOp('Softmax', softmaxFamily((x, a) => softmax(x, a)));
  registerBuiltinOp('LogSoftmax', softmaxFamily((x, a) => logSoftmax(x, a)));
  registerBuiltinOp('Hardmax', softmaxFamily(hardmax));
}
