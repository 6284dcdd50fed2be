import '@mapnn/backend-cpu';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { Generator, noGrad, rand, setBackend, tensor, tidy, type Tensor } from '@mapnn/core';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, type Module } from '@mapnn/layers';
import { calibrate } from './calibrate.js';
import { exportQdqOnnx } from './qdq-export.js';
import { quantizeModel } from './quantize-model.js';
import { QuantizedLinear } from './quantized-linear.js';
import { quantizeWeightPerChannel } from './weight-quant.js';

beforeAll(() => setBackend('cpu'));

const run = (m: Module<any, any>, x: Tensor): Float32Array => noGrad(() => tidy(() => Float32Array.from((m.call(x) as Tensor).dataSync())));

async function ortRun(bytes: Uint8Array, x: Tensor): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const res = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.dataSync()), [...x.shape]) });
  const out = res[session.outputNames[0]!]!.data as Float32Array;
  await session.release();
  return out;
}

/** Output steps (multiples of `scale`) by which ORT and mapnn differ, per element. */
const stepsApart = (a: Float32Array, b: Float32Array, scale: number) => Array.from(a, (v, i) => Math.round(Math.abs(v - b[i]!) / scale));

/** A CNN like the Fashion-MNIST one, seeded, on image-like inputs in [0, 1]. */
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

describe('reduced-range (7-bit) weights', () => {
  it('quantize each channel to [−64, 64] with scale max|w| / 64', () => {
    const w = quantizeWeightPerChannel([1, -2, 0.5, 0.25], [2, 2], 'fc', { reduceRange: true });
    expect(Array.from(w.values)).toEqual([32, -64, 64, 32]);
    expect(Array.from(w.scales)).toEqual([Math.fround(4 / 128), Math.fround(1 / 128)]);
    expect(Array.from(quantizeWeightPerChannel([1, -2], [1, 2], 'fc').values)).toEqual([64, -127]);
  });
});

describe('ONNX Runtime computes what mapnn computes on the exported QDQ file', () => {
  it('a convolution whose int8 products would saturate int16 pair sums (large activations × large weights)', async () => {
    // all-ones weights and inputs: activations quantize to 127 (uint8-shifted 255), weights to
    // the top of their range; ORT's x86 kernels without VNNI sum such products in int16 pairs
    const conv = new Conv2d(8, 2, 3, { bias: false });
    conv.weight.assign(tensor(new Float32Array(2 * 8 * 9).fill(1), [2, 8, 3, 3]));
    const model = new Sequential(conv);
    expect(Array.from(conv.weight.dataSync()).every((v) => v === 1)).toBe(true);
    const x = tensor(new Float32Array(2 * 8 * 16).fill(1), [2, 8, 4, 4]);
    const q = quantizeModel(model, calibrate(model, [x]));
    const [mine, theirs] = [run(q, x), await ortRun(exportQdqOnnx(q, x), x)];
    expect(Array.from(mine)).toEqual(Array.from(theirs));
    expect(mine[0]).toBeCloseTo(72, 0); // 8·9 ones
  });

  it('a seeded CNN: the int8 path gives exactly ORT\'s outputs', async () => {
    const model = cnn(1);
    const q = quantizeModel(model, calibrate(model, [images(32, 2), images(32, 3)]));
    const x = images(256, 4);
    expect(Array.from(run(q, x))).toEqual(Array.from(await ortRun(exportQdqOnnx(q, x.narrow(0, 0, 1)), x)));
  });

  it('a seeded CNN: the float simulation is within one quantization step of ORT, nearly always equal', async () => {
    const model = cnn(5);
    const q = quantizeModel(model, calibrate(model, [images(32, 6)]), { compute: 'simulate' });
    const x = images(256, 7);
    const outScale = (q.at(9) as QuantizedLinear).output.scale;
    const apart = stepsApart(run(q, x), await ortRun(exportQdqOnnx(q, x.narrow(0, 0, 1)), x), outScale);
    expect(Math.max(...apart)).toBeLessThanOrEqual(1);
    expect(apart.filter((d) => d === 0).length / apart.length).toBeGreaterThan(0.99);
  });
});
