import '@mapnn/backend-cpu';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { argmax, Generator, noGrad, randint, randn, setBackend, tidy, type Tensor } from '@mapnn/core';
import { BatchNorm2d, Conv2d, crossEntropyLoss, Flatten, Linear, LSTM, MaxPool2d, ReLU, Sequential, type Module } from '@mapnn/layers';
import { SGD } from '@mapnn/optimizers';
import { FusedReLU } from '../quantization/fused-relu.js';
import { computeQParams } from '../quantization/qparams.js';
import { exportQdqOnnx } from '../quantization/qdq-export.js';
import { QuantizedConv2d } from '../quantization/quantized-conv2d.js';
import { QuantizedLinear } from '../quantization/quantized-linear.js';
import { dequantizeWeight, quantizeWeightPerChannel } from '../quantization/weight-quant.js';
import { convertQat } from './convert-qat.js';
import { FoldedBatchNorm, foldBatchNorm } from './fold-batch-norm.js';
import { prepareQat } from './prepare-qat.js';
import { QatConv2d, QatLinear } from './qat-layers.js';
import { fakeQuantizeWeight } from './weight-fake-quant.js';

beforeAll(() => setBackend('cpu'));

const cnn = () => {
  const g = new Generator(5);
  return new Sequential(
    new Conv2d(1, 6, 3, { padding: 1, generator: g }), new BatchNorm2d(6), new ReLU(), new MaxPool2d(2),
    new Conv2d(6, 8, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
    new Flatten(),
    new Linear(8 * 3 * 3, 16, { generator: g, activation: 'relu' }),
    new Linear(16, 4, { generator: g }),
  );
};
const batch = (seed: number, n = 16) => randn([n, 1, 16, 16], { generator: new Generator(seed) });
const run = (m: Module<any, any>, x: Tensor): Float32Array => noGrad(() => tidy(() => Float32Array.from((m.call(x) as Tensor).dataSync())));

/** A model whose BatchNorm has non-trivial running statistics and affine parameters. */
function trainedBnModel(): Sequential {
  const m = cnn();
  for (let i = 0; i < 3; i++) run(m, batch(100 + i)); // training mode: running stats move
  const bn = m.at(1) as BatchNorm2d;
  bn.weight!.assign(randn([6], { generator: new Generator(9) }));
  bn.bias!.assign(randn([6], { generator: new Generator(10) }));
  return m.eval() as Sequential;
}

describe('foldBatchNorm', () => {
  it('folds Conv2d → BatchNorm2d so the model computes what it did in eval mode', () => {
    const m = trainedBnModel();
    const x = batch(1);
    const before = run(m, x);
    expect(foldBatchNorm(m)).toEqual([{ conv: '0', batchNorm: '1' }]);
    expect(m.at(1)).toBeInstanceOf(FoldedBatchNorm);
    const after = run(m.train() as Sequential, x); // training mode too: nothing depends on batch statistics any more
    const worst = Math.max(...before.map((v, i) => Math.abs(v - after[i]!)));
    expect(worst).toBeLessThan(1e-5);
  });

  it('refuses a BatchNorm that does not fit the conv before it', () => {
    const m = new Sequential(new Conv2d(1, 4, 3), new BatchNorm2d(5));
    expect(() => foldBatchNorm(m)).toThrow(/foldBatchNorm: layers '0' → '1': BatchNorm2d has 5 features .* 4 output channels/);
  });
});

describe('prepareQat', () => {
  it('folds BatchNorm, fuses the ReLUs and swaps in QAT layers on a copy', () => {
    const m = trainedBnModel();
    const ref = run(m, batch(1));
    const qat = prepareQat(m);
    expect(qat.at(0)).toBeInstanceOf(QatConv2d);
    expect(qat.at(1)).toBeInstanceOf(FoldedBatchNorm);
    expect(qat.at(2)).toBeInstanceOf(FusedReLU);
    expect(qat.at(4)).toBeInstanceOf(QatConv2d);
    expect(qat.at(5)).toBeInstanceOf(FusedReLU);
    expect(qat.at(8)).toBeInstanceOf(QatLinear);
    expect([(qat.at(0) as QatConv2d).fusedActivation, (qat.at(4) as QatConv2d).fusedActivation, (qat.at(8) as QatLinear).fusedActivation, (qat.at(9) as QatLinear).fusedActivation])
      .toEqual(['relu', 'relu', 'relu', 'none']);
    expect(m.at(1)).toBeInstanceOf(BatchNorm2d); // the float model is left as it was
    expect(run(m, batch(1))).toEqual(ref);
    expect(Object.keys(qat.stateDict())).toContain('0.input_quant.scale');
  });

  it('observes each batch with the EMA min/max (c = 0.01) and sets scale and zero point from it', () => {
    const qat = prepareQat(cnn(), { foldBatchNorm: true });
    const x0 = batch(1);
    const x1 = batch(2);
    run(qat, x0);
    run(qat, x1);
    const mm = (t: Tensor) => [Math.min(...t.dataSync()), Math.max(...t.dataSync())] as const;
    const [a0, b0] = mm(x0);
    const [a1, b1] = mm(x1);
    const lo = a0 + 0.01 * (a1 - a0);
    const hi = b0 + 0.01 * (b1 - b0);
    const q = (qat.at(0) as QatConv2d).input_quant!.qparams();
    expect(q).toEqual(computeQParams(lo, hi, { dtype: 'int8' }));
  });

  it('freezes the observers after N training batches', () => {
    const qat = prepareQat(cnn(), { freezeObserversAfter: 2 });
    const fq = (qat.at(8) as QatLinear).output_quant;
    run(qat, batch(1));
    const after1 = fq.qparams();
    run(qat, batch(2));
    const after2 = fq.qparams();
    run(qat, mul3(batch(3)));
    expect(after2).not.toEqual(after1);
    expect(fq.qparams()).toEqual(after2);
    expect(fq.isObserving).toBe(false);
  });

  it('trains: the loss of a fixed batch falls with SGD through the straight-through estimator', () => {
    const qat = prepareQat(cnn());
    const x = batch(7, 32);
    const y = randint(0, 4, [32], { generator: new Generator(8) });
    const opt = new SGD(qat.parameters(), { lr: 0.3 });
    const loss = () => crossEntropyLoss(qat.call(x), y);
    const first = tidy(() => loss().item());
    for (let i = 0; i < 30; i++) {
      opt.zeroGrad();
      tidy(() => loss().backward());
      opt.step();
    }
    expect(tidy(() => loss().item())).toBeLessThan(first * 0.9);
  });

  it('learns the activation scales with LSQ once the observers froze', () => {
    const qat = prepareQat(cnn(), { learnableScale: true });
    const fq = (qat.at(0) as QatConv2d).output_quant;
    const x = batch(7, 32);
    const y = randint(0, 4, [32], { generator: new Generator(8) });
    const opt = new SGD(qat.parameters(), { lr: 0.05 });
    run(qat, x); // observes once, then frozen
    const s0 = fq.scale.item();
    opt.zeroGrad();
    tidy(() => crossEntropyLoss(qat.call(x), y).backward());
    expect(Math.abs(fq.scale.grad!.item())).toBeGreaterThan(0);
    opt.step();
    expect(fq.scale.item()).not.toBe(s0);
  });

  it('names the layer: one that cannot be quantized, NaN activations, a layer never run', () => {
    expect(() => prepareQat(cnn(), { layers: ['3'] })).toThrow(/prepareQat: layer '3' \(MaxPool2d\) cannot be quantized/);
    const lstm = new Sequential(new LSTM(4, 4));
    expect(() => prepareQat(lstm, { layers: ['0'] })).toThrow(/prepareQat: layer '0' \(LSTM\) cannot be quantized/);
    const qat = prepareQat(cnn());
    const bad = batch(1).mul(NaN);
    expect(() => run(qat, bad)).toThrow(/QAT layer '0' input: the observed activations are not finite.*NaN/);
    expect(() => convertQat(prepareQat(cnn()))).toThrow(/QAT layer '0' input: no training batch was observed yet/);
  });
});

function mul3(t: Tensor): Tensor {
  return t.mul(3);
}

describe('convertQat', () => {
  it('gives quantizeModel’s modules with the trained int8 weights, computing what the QAT model does', async () => {
    const qat = prepareQat(trainedBnModel());
    for (let i = 0; i < 4; i++) run(qat, batch(20 + i));
    const x = batch(30);
    qat.eval();
    const fq = run(qat, x);
    const weight0 = noGrad(() => Float32Array.from(fakeQuantizeWeight((qat.at(0) as QatConv2d).weight, true).dataSync()));
    const raw0 = (qat.at(0) as QatConv2d).weight;
    const int8 = convertQat(qat);
    expect(qat.at(0)).toBeInstanceOf(QatConv2d); // left as it was
    expect((qat.at(4) as QatConv2d).input_quant).toBeNull(); // conv 0's output grid, through pooling
    expect((int8.at(4) as QuantizedConv2d).input).toEqual((int8.at(0) as QuantizedConv2d).output);
    expect(int8.at(0)).toBeInstanceOf(QuantizedConv2d);
    expect(int8.at(8)).toBeInstanceOf(QuantizedLinear);
    const q0 = int8.at(0) as QuantizedConv2d;
    // the fake-quant weight of training is exactly the stored int8 one
    expect(weight0).toEqual(dequantizeWeight(quantizeWeightPerChannel(raw0.dataSync(), raw0.shape, '0', { reduceRange: true })));
    expect(Float32Array.from(q0.q.weightFloat.dataSync())).toEqual(weight0);
    // outputs: the same but for the int32-rounded biases (at most one output quantization step)
    const out = run(int8, x);
    const step = (int8.at(9) as QuantizedLinear).output.scale;
    const worst = Math.max(...out.map((v, i) => Math.abs(v - fq[i]!)));
    expect(worst).toBeLessThanOrEqual(step * 1.0001);
    // and it exports as QDQ that ONNX Runtime runs to the same classes
    const bytes = exportQdqOnnx(int8, x.narrow(0, 0, 1));
    const session = await ort.InferenceSession.create(bytes);
    const res = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.dataSync()), [...x.shape]) });
    const ortOut = res[session.outputNames[0]!]!.data as Float32Array;
    await session.release();
    const top = (v: ArrayLike<number>) => Array.from({ length: 16 }, (_, r) => {
      let b = 0;
      for (let k = 1; k < 4; k++) if (v[r * 4 + k]! > v[r * 4 + b]!) b = k;
      return b;
    });
    const ortWorst = Math.max(...out.map((v, i) => Math.abs(v - ortOut[i]!)));
    expect(ortWorst).toBeLessThanOrEqual(step * 1.0001); // ORT's QLinearConv / QGemm: within one output step (here: equal)
    expect(top(ortOut)).toEqual(top(out));
    expect(noGrad(() => Array.from(argmax(int8.call(x), 1).dataSync()))).toEqual(top(out));
  });
});
