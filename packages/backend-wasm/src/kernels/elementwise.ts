/** Elementwise kernels: unary, binary (broadcasting), where and broadcastTo. */
import { broadcastShapes, sizeOf, type DType } from '@mapnn/core';
import { ALL, DTYPE_CODE, ELEMENT_BYTES, FLOATS, NUMERIC } from '../dtype-codes.js';
import { BINARY_CODE, FIRST_BOOL_BINARY, UNARY_CODE } from './op-codes.js';
import { broadcastStridesTo, coalesce, contiguousStrides } from './plan.js';
import { wasmKernel } from './register.js';

const FLOAT_ONLY = new Set(['exp', 'expm1', 'log', 'log1p', 'sqrt', 'sin', 'cos', 'tanh', 'erf', 'reciprocal', 'sigmoid']);

for (const [op, code] of Object.entries(UNARY_CODE)) {
  wasmKernel(
    op,
    ([x], _attrs, be) => {
      const outDtype: DType = op === 'logicalNot' ? 'bool' : x!.dtype;
      const n = sizeOf(x!.shape);
      const out = be.alloc(x!.shape, outDtype);
      if (n > 0) be.run('unary', [code, DTYPE_CODE[x!.dtype], be.ptr(x!), out.ptr, n], n * 4);
      return be.output(out, x!.shape, outDtype);
    },
    FLOAT_ONLY.has(op) ? FLOATS : NUMERIC,
  );
}

for (const [op, code] of Object.entries(BINARY_CODE)) {
  wasmKernel(
    op,
    ([x, y], _attrs, be) => {
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
    },
    NUMERIC,
  );
}

wasmKernel(
  'where',
  ([c, x, y], _attrs, be) => {
    const shape = broadcastShapes('where', c!.shape, x!.shape, y!.shape);
    const out = be.alloc(shape, x!.dtype);
    const n = sizeOf(shape);
    if (n > 0) {
      const it = coalesce(shape, [c, x, y].map((t) => broadcastStridesTo(t!.shape, shape)));
      const plan = be.plan(it.dims, it.strides);
      be.run('where', [ELEMENT_BYTES[x!.dtype], be.ptr(c!), be.ptr(x!), be.ptr(y!), out.ptr, plan], n);
    }
    return be.output(out, shape, x!.dtype);
  },
  NUMERIC,
);

wasmKernel(
  'broadcastTo',
  ([x], attrs, be) => {
    const shape = attrs.shape as number[];
    const out = be.alloc(shape, x!.dtype);
    const n = sizeOf(shape);
    if (n > 0) {
      const it = coalesce(shape, [broadcastStridesTo(x!.shape, shape), contiguousStrides(shape)]);
      const plan = be.plan(it.dims, it.strides);
      be.run('copyStrided', [ELEMENT_BYTES[x!.dtype], be.ptr(x!), out.ptr, plan, 0, 0], n);
    }
    return be.output(out, shape, x!.dtype);
  },
  ALL,
);
