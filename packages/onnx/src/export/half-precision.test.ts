// exportOnnx(…, { precision: 'float16' }): float16 initializers + Cast to float32, run in ONNX Runtime.
import '@mapnn/backend-cpu';
import { Generator, float16BitsToFloat32, float32ToFloat16Bits, randn, setBackend, tensor } from '@mapnn/core';
import { BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@mapnn/layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { importOnnxSync } from '../import.js';
import { decodeModelProto } from '../proto/decode.js';
import { DataType } from '../proto/onnx.js';
import { decodeTensor } from '../proto/tensor.js';
import { OnnxExportError } from './errors.js';
import { exportOnnx } from './export.js';
import { FLOAT16_MAX, HALF_MIN_ELEMENTS, withHalfInitializers } from './half-precision.js';
import { runMapnn, runOrt } from '../../test/export-ort.js';

beforeAll(() => setBackend('cpu'));

const cnn = () => {
  const g = new Generator(4);
  const m = new Sequential(
    new Conv2d(1, 8, 3, { generator: g }), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
    new Conv2d(8, 16, 3, { generator: g }), new ReLU(), new Flatten(),
    new Linear(16 * 4 * 4, 32, { generator: g }), new ReLU(), new Linear(32, 10, { generator: g }),
  );
  m.eval();
  return m;
};
const sample = () => randn([5, 1, 14, 14], { generator: new Generator(9) });

describe("exportOnnx precision: 'float16'", () => {
  it('runs in ONNX Runtime within float16 tolerance of mapnn float32, in about half the bytes', async () => {
    const model = cnn();
    const x = sample();
    const [f32, f16] = [exportOnnx(model, x), exportOnnx(model, x, { precision: 'float16' })];
    const ratio = f16.byteLength / f32.byteLength;
    expect(ratio).toBeGreaterThan(0.49);
    expect(ratio).toBeLessThan(0.56);
    const ref = runMapnn(model, [x])[0]!;
    const [got] = await runOrt(f16, ['input'], [x]);
    expect(got!.shape).toEqual(ref.shape);
    const err = got!.data.map((v, i) => Math.abs(v - ref.data[i]!) / Math.max(1, Math.abs(ref.data[i]!)));
    expect(Math.max(...err)).toBeLessThan(2e-2);
    expect(Math.max(...err)).toBeGreaterThan(0); // the weights really were rounded
    // and the float32 export is (near) exact, so the difference is the rounding
    const [exact] = await runOrt(f32, ['input'], [x]);
    expect(Math.max(...exact!.data.map((v, i) => Math.abs(v - ref.data[i]!)))).toBeLessThan(1e-4);
  });

  it('stores each weight as float16 under its state-dict name, read through a Cast to float32', () => {
    const model = cnn();
    const proto = decodeModelProto(exportOnnx(model, sample(), { precision: 'float16' }));
    const inits = new Map(proto.graph!.initializer!.map((t) => [t.name!, t]));
    const w = inits.get('7.weight')!;
    expect(w.dataType).toBe(DataType.FLOAT16);
    const bits = decodeTensor(w).data as Uint16Array;
    const want = Array.from((model.stateDict()['7.weight']!).dataSync(), (v) => float32ToFloat16Bits(v));
    expect(Array.from(bits)).toEqual(want);
    const casts = proto.graph!.node!.filter((n) => n.opType === 'Cast');
    expect(casts.map((n) => n.input![0])).toContain('7.weight');
    const half = [...inits.values()].filter((t) => t.dataType === DataType.FLOAT16);
    expect(casts).toHaveLength(half.length);
    // no node reads a float16 initializer except its Cast
    const halfNames = new Set(half.map((t) => t.name));
    for (const n of proto.graph!.node!) if (n.opType !== 'Cast') expect(n.input!.some((v) => halfNames.has(v))).toBe(false);
    // small tensors (the 8 BatchNorm statistics, the 10-entry bias) stay float32; inputs and outputs too
    expect(inits.get('1.running_mean')!.dataType).toBe(DataType.FLOAT);
    expect(inits.get('9.bias')!.dataType).toBe(DataType.FLOAT);
    expect(HALF_MIN_ELEMENTS).toBe(16);
    expect(proto.graph!.input![0]!.type!.tensorType!.elemType).toBe(DataType.FLOAT);
    expect(proto.graph!.output![0]!.type!.tensorType!.elemType).toBe(DataType.FLOAT);
  });

  it('imports back into mapnn and computes what ONNX Runtime does', async () => {
    const x = sample();
    const bytes = exportOnnx(cnn(), x, { precision: 'float16' });
    const back = runMapnn(importOnnxSync(bytes), [x])[0]!;
    const [ort] = await runOrt(bytes, ['input'], [x]);
    back.data.forEach((v, i) => expect(v).toBeCloseTo(ort!.data[i]!, 4));
  });

  it('clamps finite weights beyond the float16 range to ±65504 and keeps infinities', () => {
    const lin = new Linear(4, 4);
    lin.weight.assign(tensor([1e5, -1e6, Infinity, 0.1, ...Array(12).fill(1)], [4, 4]));
    const proto = decodeModelProto(exportOnnx(lin, randn([1, 4]), { precision: 'float16' }));
    const w = proto.graph!.initializer!.find((t) => t.name === 'weight')!;
    const vals = Array.from(decodeTensor(w).data as Uint16Array, float16BitsToFloat32);
    expect(vals.slice(0, 4)).toEqual([FLOAT16_MAX, -FLOAT16_MAX, Infinity, float16BitsToFloat32(float32ToFloat16Bits(0.1))]);
  });

  it('leaves the input model unchanged and refuses an unknown precision', () => {
    const proto = decodeModelProto(exportOnnx(cnn(), sample()));
    const before = proto.graph!.initializer!.map((t) => t.dataType);
    const half = withHalfInitializers(proto);
    expect(proto.graph!.initializer!.map((t) => t.dataType)).toEqual(before);
    expect(half.graph!.node!.length).toBeGreaterThan(proto.graph!.node!.length);
    expect(() => exportOnnx(cnn(), sample(), { precision: 'int8' as never })).toThrow(OnnxExportError);
    expect(() => exportOnnx(cnn(), sample(), { precision: 'bfloat16' as never })).toThrow(/exportOnnx: precision must be 'float32' or 'float16', got 'bfloat16'/);
  });
});
