import '@mapnn/backend-cpu';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { argmax, Generator, noGrad, randn, setBackend, tensor, tidy, type Tensor } from '@mapnn/core';
import { Conv2d, Flatten, Linear, LSTM, MaxPool2d, ReLU, Sequential, type Module } from '@mapnn/layers';
import { decodeModelProto, exportOnnx, importOnnxSync } from '@mapnn/onnx';
import { calibrate } from './calibrate.js';
import { FusedReLU } from './fused-relu.js';
import { exportQdqOnnx } from './qdq-export.js';
import { quantizeModel } from './quantize-model.js';
import { QuantizedConv2d } from './quantized-conv2d.js';
import { QuantizedLinear } from './quantized-linear.js';

beforeAll(() => setBackend('cpu'));

const cnn = () => {
  const g = new Generator(3);
  return new Sequential(
    new Conv2d(1, 8, 3, { padding: 1, generator: g }), new ReLU(), new MaxPool2d(2),
    new Conv2d(8, 16, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
    new Flatten(),
    new Linear(16 * 3 * 3, 32, { generator: g, activation: 'relu' }),
    new Linear(32, 10, { generator: g }),
  );
};

const batches = (n: number, seed: number) => Array.from({ length: n }, (_, i) => randn([16, 1, 16, 16], { generator: new Generator(seed + i) }));

const run = (m: Module<any, any>, x: Tensor): Float32Array => noGrad(() => tidy(() => Float32Array.from((m.call(x) as Tensor).dataSync())));
const top1 = (m: Module<any, any>, x: Tensor): number[] => noGrad(() => tidy(() => Array.from(argmax(m.call(x) as Tensor, 1).dataSync())));

async function ortTop1(bytes: Uint8Array, x: Tensor): Promise<number[]> {
  const session = await ort.InferenceSession.create(bytes);
  const res = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.dataSync()), [...x.shape]) });
  const out = res[session.outputNames[0]!]!;
  await session.release();
  const [n, k] = out.dims.map(Number) as [number, number];
  const data = out.data as Float32Array;
  return Array.from({ length: n }, (_, i) => {
    let best = 0;
    for (let j = 1; j < k; j++) if (data[i * k + j]! > data[i * k + best]!) best = j;
    return best;
  });
}

describe('calibrate', () => {
  it('records each layer fused with its ReLU (a following module or its own activation)', () => {
    const cal = calibrate(cnn(), batches(2, 10));
    expect(cal.layers.map((l) => [l.path, l.type, l.activation, l.reluPath])).toEqual([
      ['0', 'Conv2d', 'relu', '1'], ['3', 'Conv2d', 'relu', '4'], ['7', 'Linear', 'relu', null], ['8', 'Linear', 'none', null],
    ]);
    for (const l of cal.layers.slice(0, 3)) expect(l.outputRange[0]).toBe(0); // observed after the ReLU
    expect(cal.layers[3]!.outputRange[0]).toBeLessThan(0);
    expect(cal.layers[0]!.input.dtype).toBe('int8');
  });

  it('every observer gives ranges inside the min-max ones', () => {
    const m = cnn();
    const data = batches(2, 20);
    const ref = calibrate(m, data);
    for (const observer of ['moving-average', 'percentile', 'mse', 'entropy'] as const) {
      const cal = calibrate(m, data, { observer });
      cal.layers.forEach((l, i) => {
        expect(l.outputRange[0]).toBeGreaterThanOrEqual(ref.layers[i]!.outputRange[0]);
        expect(l.outputRange[1]).toBeLessThanOrEqual(ref.layers[i]!.outputRange[1]);
      });
    }
  });

  it('refuses empty and NaN calibration data and names an unquantizable layer', () => {
    expect(() => calibrate(cnn(), [])).toThrow(/no calibration batches/);
    const nan = tensor(new Float32Array(256).fill(NaN), [1, 1, 16, 16]);
    expect(() => calibrate(cnn(), [nan])).toThrow(/layer '0' \(Conv2d\) input: .*NaN/);
    expect(() => calibrate(cnn(), batches(1, 0), { layers: ['2'] })).toThrow(/layer '2' \(MaxPool2d\) cannot be quantized/);
    const rnn = new Sequential(new LSTM(4, 4));
    expect(() => calibrate(rnn, [randn([2, 3, 4])])).toThrow(/no layer that can be quantized/);
  });
});

describe('quantizeModel (fake-quant simulation)', () => {
  it('replaces the layers, leaves the float model alone, and outputs values on the int8 grid', () => {
    const model = cnn();
    const cal = calibrate(model, batches(4, 30));
    const q = quantizeModel(model, cal);
    expect(q.at(0)).toBeInstanceOf(QuantizedConv2d);
    expect(q.at(1)).toBeInstanceOf(FusedReLU);
    expect(q.at(7)).toBeInstanceOf(QuantizedLinear);
    expect(model.at(0)).toBeInstanceOf(Conv2d);
    const x = batches(1, 99)[0]!;
    const { scale, zeroPoint } = cal.layers[3]!.output;
    for (const v of run(q, x)) {
      const level = v / scale + zeroPoint;
      expect(Math.abs(level - Math.round(level))).toBeLessThan(1e-3);
      expect(level).toBeGreaterThanOrEqual(-128.001);
      expect(level).toBeLessThanOrEqual(127.001);
    }
  });

  it('stays close to the float model (relative output error and top-1 agreement)', () => {
    const model = cnn();
    const q = quantizeModel(model, calibrate(model, batches(4, 40)));
    const x = randn([256, 1, 16, 16], { generator: new Generator(7) });
    const [f, y] = [run(model, x), run(q, x)];
    let num = 0;
    let den = 0;
    f.forEach((v, i) => ((num += (v - y[i]!) ** 2), (den += v * v)));
    expect(Math.sqrt(num / den)).toBeLessThan(0.05);
    const [a, b] = [top1(model, x), top1(q, x)];
    expect(a.filter((c, i) => c === b[i]).length / a.length).toBeGreaterThan(0.9);
  });
});

describe('ONNX QDQ export', () => {
  const model = cnn();
  const q = quantizeModel(model, calibrate(model, batches(4, 50)));
  const bytes = exportQdqOnnx(q, randn([1, 1, 16, 16]));

  it('writes QuantizeLinear / DequantizeLinear around Conv and Gemm with int8 per-channel weights', () => {
    const g = decodeModelProto(bytes).graph!;
    const ops = g.node!.map((n) => n.opType);
    expect(ops.filter((o) => o === 'Conv').length).toBe(2);
    expect(ops.filter((o) => o === 'Gemm').length).toBe(2);
    expect(ops.filter((o) => o === 'QuantizeLinear').length).toBe(8);
    const w = g.initializer!.find((t) => t.name === '0.weight_quantized')!;
    expect(w.dataType).toBe(3); // INT8
    const dqW = g.node!.find((n) => n.opType === 'DequantizeLinear' && n.input![0] === '0.weight_quantized')!;
    expect(dqW.attribute!.find((a) => a.name === 'axis')!.i).toBe(0);
    expect(g.initializer!.find((t) => t.name === '0.bias_quantized')!.dataType).toBe(6); // INT32
  });

  it('is over 3.5× smaller than the float32 export for the Fashion-MNIST CNN (225k parameters)', () => {
    const g = new Generator(5);
    const fashion = new Sequential(
      new Conv2d(1, 32, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
      new Conv2d(32, 64, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
      new Flatten(), new Linear(64 * 5 * 5, 128, { generator: g }), new ReLU(), new Linear(128, 10, { generator: g }),
    );
    const sample = randn([1, 1, 28, 28]);
    const float = exportOnnx(fashion, sample);
    const int8 = exportQdqOnnx(quantizeModel(fashion, calibrate(fashion, [randn([4, 1, 28, 28])])), sample);
    expect(float.byteLength / int8.byteLength).toBeGreaterThan(3.5);
  });

  it('runs in onnxruntime-node with the same top-1 as the fake-quant model on ≥ 99.5 % of inputs', async () => {
    const x = randn([512, 1, 16, 16], { generator: new Generator(11) });
    const [a, b] = [top1(q, x), await ortTop1(bytes, x)];
    expect(a.filter((c, i) => c === b[i]).length / a.length).toBeGreaterThanOrEqual(0.995);
  });

  it('imports back into mapnn and computes the fake-quant outputs', () => {
    const back = importOnnxSync(bytes);
    const x = randn([8, 1, 16, 16], { generator: new Generator(12) });
    const [y, z] = [run(q, x), run(back as unknown as Module<any, any>, x)];
    const scale = 0.05; // output step ≈ range / 255; allow a rare one-step difference at a rounding tie
    y.forEach((v, i) => expect(Math.abs(v - z[i]!)).toBeLessThan(scale));
    expect(y.filter((v, i) => v === z[i]).length / y.length).toBeGreaterThan(0.95);
  });
});
