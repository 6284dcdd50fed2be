import '@mapnn/backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { dequantizeLinear, Generator, maxPool2d, noGrad, quantizeLinear, rand, randn, setBackend, tensor, tidy, type Tensor } from '@mapnn/core';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, type Module } from '@mapnn/layers';
import { calibrate } from './calibrate.js';
import { quantizeModel } from './quantize-model.js';
import { QuantizedConv2d } from './quantized-conv2d.js';
import { QuantizedMaxPool2d } from './quantized-max-pool2d.js';

beforeAll(() => setBackend('cpu'));

const cnn = (seed: number) => {
  const g = new Generator(seed);
  return new Sequential(
    new Conv2d(1, 8, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
    new Conv2d(8, 16, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
    new Flatten(),
    new Linear(16 * 2 * 2, 32, { generator: g }), new ReLU(),
    new Linear(32, 10, { generator: g }),
  );
};
const images = (n: number, seed: number) => rand([n, 1, 14, 14], { generator: new Generator(seed) });
const run = (m: Module<any, any>, x: Tensor): Float32Array => noGrad(() => tidy(() => Float32Array.from((m.call(x) as Tensor).dataSync())));

describe('the int8 inference path', () => {
  it('passes int8 tensors from layer to layer (pooling and flatten on int8) and returns float32', () => {
    const model = cnn(1);
    const q = quantizeModel(model, calibrate(model, [images(16, 2)]));
    expect(q.at(2)).toBeInstanceOf(QuantizedMaxPool2d);
    expect(q.at(5)).toBeInstanceOf(QuantizedMaxPool2d);
    const seen: string[] = [];
    for (const i of [2, 3, 6, 7, 9]) q.at(i).registerForwardHook((_m, inputs) => void seen.push(`${i}:${(inputs[0] as Tensor).dtype}`));
    const y = noGrad(() => q.call(images(4, 3)) as Tensor);
    expect(seen).toEqual(['2:int8', '3:int8', '6:int8', '7:int8', '9:int8']);
    expect(y.dtype).toBe('float32');
    expect(y.shape).toEqual([4, 10]);
    // the consumer's input parameters are the producer's output ones (one quantized tensor)
    expect((q.at(3) as QuantizedConv2d).input).toEqual((q.at(0) as QuantizedConv2d).output);
  });

  it('agrees with the float simulation within one output step, nearly always exactly', () => {
    const model = cnn(4);
    const cal = calibrate(model, [images(32, 5)]);
    const [int8, sim] = [quantizeModel(model, cal), quantizeModel(model, cal, { compute: 'simulate' })];
    const x = images(128, 6);
    const [a, b] = [run(int8, x), run(sim, x)];
    const step = cal.layers[3]!.output.scale;
    const apart = Array.from(a, (v, i) => Math.round(Math.abs(v - b[i]!) / step));
    expect(Math.max(...apart)).toBeLessThanOrEqual(1);
    expect(apart.filter((d) => d === 0).length / apart.length).toBeGreaterThan(0.99);
  });

  it('a layer refuses an input of another quantized type, naming it', () => {
    const model = cnn(1);
    const q = quantizeModel(model, calibrate(model, [images(4, 2)]));
    const u8 = tensor(new Uint8Array(196), [1, 1, 14, 14], 'uint8');
    expect(() => q.at(0).call(u8)).toThrow(/layer '0'.*float32 or int8.*uint8/);
  });
});

describe('QuantizedMaxPool2d', () => {
  const params = { scale: 0.05, zeroPoint: -10, dtype: 'int8' as const };
  const zp = () => tensor([params.zeroPoint], [], 'int8');
  /** The reference: dequantize, float max pooling, quantize back. */
  const reference = (x: Tensor, opts: Parameters<typeof maxPool2d>[1]) =>
    quantizeLinear(maxPool2d(dequantizeLinear(x, params.scale, zp()), opts), params.scale, zp());
  const int8Input = () => quantizeLinear(randn([2, 3, 7, 9], { generator: new Generator(8) }), params.scale, zp());

  it('pools tiling windows on the integers (odd sizes cropped as floor mode does)', () => {
    const pool = new QuantizedMaxPool2d(new MaxPool2d(2), params);
    const x = int8Input();
    const y = pool.call(x);
    expect(y.dtype).toBe('int8');
    expect(y.shape).toEqual([2, 3, 3, 4]);
    expect(Array.from(y.dataSync())).toEqual(Array.from(reference(x, { kernelSize: 2 }).dataSync()));
  });

  it('overlapping padded windows (stride 1, padding 1) pool the integers too, and float input pools in float', () => {
    const pool = new QuantizedMaxPool2d(new MaxPool2d(3, { stride: 1, padding: 1 }), params);
    const x = int8Input();
    expect(Array.from(pool.call(x).dataSync())).toEqual(Array.from(reference(x, { kernelSize: 3, stride: 1, padding: 1 }).dataSync()));
    const f = randn([1, 1, 4, 4], { generator: new Generator(9) });
    expect(Array.from(pool.call(f).dataSync())).toEqual(Array.from(maxPool2d(f, { kernelSize: 3, stride: 1, padding: 1 }).dataSync()));
  });
});
