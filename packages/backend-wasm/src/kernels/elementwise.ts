/** Elementwise kernels: unary, binary (broadcasting), where and broadcastTo. */
import { broadcastShapes, sizeOf, type DType } from '@mapnn/core/backend';
import { DTYPE_CODE, ELEMENT_BYTES } from '../dtype-codes.js';
import { BINARY_OPS, FIRST_BOOL_BINARY, UNARY_OPS, opCode, type BinaryOp, type UnaryOp } from './op-codes.js';
import { broadcastStridesTo, coalesce, contiguousStrides } from './plan.js';
import type { WasmKernel, WasmKernels } from './register.js';

/** The kernel of unary `op`: the module's `unary` export with the op's code. */
function unaryKernel(op: UnaryOp): WasmKernel<'neg'> { // every unary kernel takes no attrs
  const code = opCode(UNARY_OPS, op);
  return ([x], _attrs, be) => {
    const outDtype: DType = op === 'logicalNot' ? 'bool' : x!.dtype;
    const n = sizeOf(x!.shape);
    const out = be.alloc(x!.shape, outDtype);
    if (n > 0) be.run('unary', [code, DTYPE_CODE[x!.dtype], be.ptr(x!), out.ptr, n], n * 4);
    return be.output(out, x!.shape, outDtype);
  };
}

const unaryKernels = {
  neg: unaryKernel('neg'), abs: unaryKernel('abs'), sign: unaryKernel('sign'), floor: unaryKernel('floor'),
  ceil: unaryKernel('ceil'), round: unaryKernel('round'), logicalNot: unaryKernel('logicalNot'),
  exp: unaryKernel('exp'), expm1: unaryKernel('expm1'), log: unaryKernel('log'), log1p: unaryKernel('log1p'),
  sqrt: unaryKernel('sqrt'), sin: unaryKernel('sin'), cos: unaryKernel('cos'), tanh: unaryKernel('tanh'),
  erf: unaryKernel('erf'), reciprocal: unaryKernel('reciprocal'), sigmoid: unaryKernel('sigmoid'),
} satisfies WasmKernels;

/** The kernel of binary `op` (broadcasting): the module's `binary` export with the op's code. */
function binaryKernel(op: BinaryOp): WasmKernel<'add'> { // every binary kernel takes no attrs
  const code = opCode(BINARY_OPS, op);
  return ([x, y], _attrs, be) => {
    const shape = broadcastShapes(op, x!.shape, y!.shape);
    const outDtype: DType = code >= FIRST_BOOL_BINARY ? 'bool' : x!.dtype;
    const out = be.alloc(shape, outDtype);
    const n = sizeOf(shape);
    if (n > 0) {
      const it = coalesce(shape, [broadcastStridesTo(x!.shape, shape), broadcastStridesTo(y!.shape, shape)]);
      const plan = be.plan(it.dims, it.strides);
      be.run('binary', [code, DTYPE_CODE[x!.dtype], be.ptr(x!), be.ptr(y!), out.ptr, plan], n);
    }
    return be.output(out, shape, outDtype);
  };
}

const binaryKernels = {
  add: binaryKernel('add'), sub: binaryKernel('sub'), mul: binaryKernel('mul'), div: binaryKernel('div'),
  pow: binaryKernel('pow'), maximum: binaryKernel('maximum'), minimum: binaryKernel('minimum'), mod: binaryKernel('mod'),
  eq: binaryKernel('eq'), ne: binaryKernel('ne'), lt: binaryKernel('lt'), le: binaryKernel('le'), gt: binaryKernel('gt'),
  ge: binaryKernel('ge'), logicalAnd: binaryKernel('logicalAnd'), logicalOr: binaryKernel('logicalOr'),
  logicalXor: binaryKernel('logicalXor'),
} satisfies WasmKernels;

const where: WasmKernel<'where'> = ([c, x, y], _attrs, be) => {
  const shape = broadcastShapes('where', c!.shape, x!.shape, y!.shape);
  const out = be.alloc(shape, x!.dtype);
  const n = sizeOf(shape);
  if (n > 0) {
    const it = coalesce(shape, [c, x, y].map((t) => broadcastStridesTo(t!.shape, shape)));
    const plan = be.plan(it.dims, it.strides);
    be.run('where', [ELEMENT_BYTES[x!.dtype], be.ptr(c!), be.ptr(x!), be.ptr(y!), out.ptr, plan], n);
  }
  return be.output(out, shape, x!.dtype);
};

const broadcastTo: WasmKernel<'broadcastTo'> = ([x], attrs, be) => {
  const shape = attrs.shape;
  const out = be.alloc(shape, x!.dtype);
  const n = sizeOf(shape);
  if (n > 0) {
    const it = coalesce(shape, [broadcastStridesTo(x!.shape, shape), contiguousStrides(shape)]);
    const plan = be.plan(it.dims, it.strides);
    be.run('copyStrided', [ELEMENT_BYTES[x!.dtype], be.ptr(x!), out.ptr, plan, 0, 0], n);
  }
  return be.output(out, shape, x!.dtype);
};

export const elementwiseKernels = { ...unaryKernels, ...binaryKernels, where, broadcastTo } satisfies WasmKernels;
