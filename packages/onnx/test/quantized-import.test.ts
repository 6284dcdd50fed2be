// Imported QLinearConv (2-D and 1-D, per-channel, strides / pads / group / bias) and QLinearMatMul
// (per-column) nodes run core's int8 ops with the node's geometry: their outputs equal the core
// ops' on the same data, and the backend's int8 kernels run.
import '@mapnn/backend-cpu';
import { observeKernels, qlinearConv2d, qlinearMatmul, setBackend, tensor, tidy, type DType, type Tensor } from '@mapnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { importOnnxSync, registerBuiltinOnnxOps } from '../src/index.js';
import { attr, makeModel, node, rng, T, tensorProto, valueInfo } from './helpers.js';

const ONNX_TYPE: Partial<Record<DType, number>> = { uint8: T.UINT8, int8: T.INT8, int32: T.INT32, float32: T.FLOAT };

function ints(n: number, lo: number, hi: number, seed: number): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => lo + Math.floor(r() * (hi - lo + 1)));
}

/** A one-node model whose inputs after the first are initializers. */
function oneNode(op: string, x: { shape: number[]; dtype: DType }, params: { name: string; shape: number[]; values: number[]; dtype: DType }[], attrs = [] as ReturnType<typeof attr.int>[]) {
  return importOnnxSync(makeModel({
    opset: 13,
    nodes: [node(op, ['x', ...params.map((p) => p.name)], ['y'], attrs)],
    inputs: [valueInfo('x', ONNX_TYPE[x.dtype]!, x.shape)],
    outputs: [valueInfo('y', T.UINT8)],
    initializers: params.map((p) => tensorProto(p.name, p.shape, p.values, ONNX_TYPE[p.dtype]!)),
  }));
}

function runModel(model: ReturnType<typeof importOnnxSync>, x: Tensor): { values: number[]; kernels: string[] } {
  const kernels: string[] = [];
  const values = tidy(() => Array.from(observeKernels((e) => kernels.push(e.op), () => model.run({ x }).y!).dataSync(), Number));
  return { values, kernels };
}

describe('imported QLinear nodes run the int8 ops with the node geometry', () => {
  beforeAll(() => {
    setBackend('cpu');
    registerBuiltinOnnxOps();
  });

  const O = 4;
  const wScale = ints(O, 1, 20, 3).map((v) => Math.fround(v / 1000));
  const wZp = ints(O, -3, 3, 4);
  const bias = ints(O, -3000, 3000, 5);
  const convParams = (w: number[], wShape: number[]) => [
    { name: 'xs', shape: [], values: [Math.fround(0.02)], dtype: 'float32' as const },
    { name: 'xz', shape: [], values: [120], dtype: 'uint8' as const },
    { name: 'w', shape: wShape, values: w, dtype: 'int8' as const },
    { name: 'ws', shape: [O], values: wScale, dtype: 'float32' as const },
    { name: 'wz', shape: [O], values: wZp, dtype: 'int8' as const },
    { name: 'ys', shape: [], values: [Math.fround(0.15)], dtype: 'float32' as const },
    { name: 'yz', shape: [], values: [100], dtype: 'uint8' as const },
    { name: 'b', shape: [O], values: bias, dtype: 'int32' as const },
  ];

  it('QLinearConv 2-D: strides, asymmetric pads, dilations, group 2, per channel, bias', () => {
    const xv = ints(2 * 4 * 7 * 6, 0, 255, 1);
    const wv = ints(O * 2 * 3 * 2, -128, 127, 2);
    const model = oneNode('QLinearConv', { shape: [2, 4, 7, 6], dtype: 'uint8' }, convParams(wv, [O, 2, 3, 2]), [
      attr.ints('strides', [2, 1]), attr.ints('pads', [1, 0, 2, 1]), attr.ints('dilations', [1, 2]), attr.int('group', 2),
    ]);
    const x = tensor(xv, [2, 4, 7, 6], 'uint8');
    const got = runModel(model, x);
    const want = tidy(() => Array.from(qlinearConv2d(
      x, Math.fround(0.02), tensor(120, [], 'uint8'), tensor(wv, [O, 2, 3, 2], 'int8'), tensor(wScale), tensor(wZp, [O], 'int8'),
      Math.fround(0.15), tensor(100, [], 'uint8'), tensor(bias, [O], 'int32'), { stride: [2, 1], padding: [1, 2, 0, 1], dilation: [1, 2], groups: 2 },
    ).dataSync(), Number));
    expect(got.kernels).toContain('qlinearConv2d');
    expect(new Set(want).size).toBeGreaterThan(5);
    expect(got.values).toEqual(want);
    model.dispose();
  });

  it('QLinearConv 1-D (auto_pad SAME_UPPER) equals the 2-D node of height 1', () => {
    const xv = ints(3 * 4 * 11, 0, 255, 6);
    const wv = ints(O * 4 * 3, -128, 127, 7);
    const oneD = oneNode('QLinearConv', { shape: [3, 4, 11], dtype: 'uint8' }, convParams(wv, [O, 4, 3]), [attr.string('auto_pad', 'SAME_UPPER'), attr.ints('strides', [2])]);
    const twoD = oneNode('QLinearConv', { shape: [3, 4, 1, 11], dtype: 'uint8' }, convParams(wv, [O, 4, 1, 3]), [attr.ints('pads', [0, 1, 0, 1]), attr.ints('strides', [1, 2])]);
    const got = runModel(oneD, tensor(xv, [3, 4, 11], 'uint8'));
    const want = runModel(twoD, tensor(xv, [3, 4, 1, 11], 'uint8'));
    expect(got.kernels).toContain('qlinearConv2d');
    expect(got.values).toEqual(want.values);
    oneD.dispose();
    twoD.dispose();
  });

  it('QLinearMatMul: per-column b scale and zero point, batched a', () => {
    const [K, N] = [9, 5];
    const av = ints(2 * 3 * K, 0, 255, 8);
    const bv = ints(K * N, -128, 127, 9);
    const bs = ints(N, 1, 30, 10).map((v) => Math.fround(v / 2000));
    const bz = ints(N, -2, 2, 11);
    const model = oneNode('QLinearMatMul', { shape: [2, 3, K], dtype: 'uint8' }, [
      { name: 'as', shape: [], values: [Math.fround(0.03)], dtype: 'float32' },
      { name: 'az', shape: [], values: [128], dtype: 'uint8' },
      { name: 'b', shape: [K, N], values: bv, dtype: 'int8' },
      { name: 'bs', shape: [N], values: bs, dtype: 'float32' },
      { name: 'bz', shape: [N], values: bz, dtype: 'int8' },
      { name: 'ys', shape: [], values: [Math.fround(0.02)], dtype: 'float32' },
      { name: 'yz', shape: [], values: [127], dtype: 'uint8' },
    ]);
    const a = tensor(av, [2, 3, K], 'uint8');
    const got = runModel(model, a);
    const want = tidy(() => Array.from(qlinearMatmul(
      a, Math.fround(0.03), tensor(128, [], 'uint8'), tensor(bv, [K, N], 'int8'), tensor(bs), tensor(bz, [N], 'int8'), Math.fround(0.02), tensor(127, [], 'uint8'),
    ).dataSync(), Number));
    expect(got.kernels).toContain('qlinearMatmul');
    expect(new Set(want).size).toBeGreaterThan(5);
    expect(got.values).toEqual(want);
    model.dispose();
  });
});
