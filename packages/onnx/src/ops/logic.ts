// Logic and comparison: Equal Less Greater LessOrEqual GreaterOrEqual And Or Xor Not Where.
import { eq, ge, gt, le, logicalAnd, logicalNot, logicalOr, logicalXor, lt, where, type Tensor } from '@mapnn/core';
import { registerBuiltinOp, type OnnxConverter } from '../converter.js';
import { legacyBroadcast } from './elementwise.js';
import { need } from './util.js';

function compare(fn: (a: Tensor, b: Tensor) => Tensor): OnnxConverter {
  return (node) => (ins) => {
    const a = need(ins, 0, node);
    return fn(a, legacyBroadcast(node, a, need(ins, 1, node)));
  };
}

export function registerLogicOps(): void {
  registerBuiltinOp('Equal', compare(eq));
  registerBuiltinOp('Less', compare(lt));
  registerBuiltinOp('Greater', compare(gt));
  registerBuiltinOp('LessOrEqual', compare(le));
  registerBuiltinOp('GreaterOrEqual', compare(ge));
  registerBuiltinOp('And', compare(logicalAnd));
  registerBuiltinOp('Or', compare(logicalOr));
  registerBuiltinOp('Xor', compare(logicalXor));
  registerBuiltinOp('Not', (node) => (ins) => logicalNot(need(ins, 0, node)));
  registerBuiltinOp('Where', (node) => (ins) => {
    const c = need(ins, 0, node);
    return where(c, need(ins, 1, node), need(ins, 2, node));
  });
}
