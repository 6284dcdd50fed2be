import '@mapnn/backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend, tensor, grads, mul, sum, type Tensor } from '@mapnn/core';
import { BatchNorm2d, Conv2d } from '@mapnn/layers';
import { roundHalfEven } from '../pruning/amount.js';
import { MovingAverageMinMaxObserver } from '../quantization/min-max.js';
import { computeQParams } from '../quantization/qparams.js';
import { loadTorchGolden, type FakeQuantCase } from '../../test/torch-golden.js';
import { ActivationFakeQuant } from './activation-fake-quant.js';
import { foldConvBatchNorm } from './fold-batch-norm.js';
import { fakeQuantizeLearnable, fakeQuantizePerChannelSte, fakeQuantizeSte } from './ste.js';

beforeAll(() => setBackend('cpu'));
const golden = loadTorchGolden();
const f = Math.fround;

/**
 * Where PyTorch's x · (1/s) rounds to another integer than ONNX's x / s (this package's
 * arithmetic, shared with the int8 export): there the two fake-quant values are one step apart.
 */
function orderDiffers(x: number, s: number): boolean {
  return roundHalfEven(f(f(x) / f(s))) !== roundHalfEven(f(f(x) * f(1 / f(s))));
}

/** Expects `got` = torch's `want` exactly, except one step (`scale`) where the division order differs. */
function expectTorchValues(got: ArrayLike<number>, c: { x: number[]; y: number[] }, scaleOf: (i: number) => number): number {
  let differing = 0;
  for (let i = 0; i < c.y.length; i++) {
    const s = scaleOf(i);
    if (orderDiffers(c.x[i]!, s)) {
      differing++;
      expect(Math.abs(got[i]! - c.y[i]!), `element ${i} (x = ${c.x[i]})`).toBeLessThanOrEqual(f(s) * 1.0000001);
    } else {
      expect(got[i], `element ${i} (x = ${c.x[i]})`).toBe(c.y[i]);
    }
  }
  return differing;
}

/** Expects the input gradient dy · mask to be torch's (mask differences only where the order differs at a range edge). */
function expectTorchGrad(got: ArrayLike<number>, c: { x: number[]; dx: number[] }, scaleOf: (i: number) => number): void {
  for (let i = 0; i < c.dx.length; i++) {
    if (orderDiffers(c.x[i]!, scaleOf(i)) && got[i] !== c.dx[i]) continue;
    expect(got[i]! + 0, `gradient ${i} (x = ${c.x[i]})`).toBe(c.dx[i]! + 0);
  }
}

const gradOf = (fn: (x: Tensor) => Tensor, c: { x: number[]; dy: number[] }, shape = [c.x.length]) =>
  grads((x) => sum(mul(fn(x), tensor(c.dy, shape))))(tensor(c.x, shape))[0]!.dataSync();

describe(`PyTorch ${golden.torch} fake quantization (golden fixture)`, () => {
  it.each(golden.perTensor.map((c) => [`[${c.qmin}, ${c.qmax}] s ${c.scale} zp ${c.zeroPoint}`, c] as [string, FakeQuantCase]))(
    'fake_quantize_per_tensor_affine %s: values and gradients',
    (_, c) => {
      const range = { qmin: c.qmin, qmax: c.qmax };
      const y = fakeQuantizeSte(tensor(c.x), c.scale, c.zeroPoint, range).dataSync();
      const differing = expectTorchValues(y, c, () => c.scale);
      expect(differing).toBeLessThanOrEqual(2); // rare: x/s within one ulp of a tie
      expectTorchGrad(gradOf((x) => fakeQuantizeSte(x, c.scale, c.zeroPoint, range), c), c, () => c.scale);
      expect(c.dx.filter((v) => v === 0).length).toBeGreaterThanOrEqual(4); // the case does hold values outside the range
    },
  );

  it('fake_quantize_per_channel_affine: values and gradients', () => {
    const c = golden.perChannel;
    const per = c.x.length / c.scales.length;
    const scaleOf = (i: number) => c.scales[Math.floor(i / per)]!;
    const fq = (x: Tensor) => fakeQuantizePerChannelSte(x, tensor(c.scales), tensor(c.zeroPoints), c.axis, { qmin: c.qmin, qmax: c.qmax });
    const y = fq(tensor(c.x, c.shape)).dataSync();
    expect(expectTorchValues(y, c, scaleOf)).toBeLessThanOrEqual(2);
    expectTorchGrad(gradOf(fq, c, c.shape), c, scaleOf);
    expect(c.dx.filter((v) => v === 0).length).toBeGreaterThanOrEqual(2);
  });

  it('_fake_quantize_learnable_per_tensor_affine (LSQ): values, dx, and dscale to float-summation order', () => {
    const c = golden.learnable;
    const range = { qmin: c.qmin, qmax: c.qmax };
    const [gx, gs] = grads((x, s) => sum(mul(fakeQuantizeLearnable(x, s, c.zeroPoint, range, c.gradFactor), tensor(c.dy))))(tensor(c.x), tensor([c.scale]));
    expect(expectTorchValues(fakeQuantizeLearnable(tensor(c.x), tensor([c.scale]), c.zeroPoint, range).dataSync(), c, () => c.scale)).toBeLessThanOrEqual(2);
    expectTorchGrad(gx!.dataSync(), c, () => c.scale);
    expect(Math.abs(gs!.item() - c.dscale)).toBeLessThanOrEqual(1e-5 * Math.abs(c.dscale));
  });
});

describe(`PyTorch ${golden.torch} MovingAverageMinMaxObserver (golden fixture)`, () => {
  it.each(golden.observer.map((o) => [o.dtype, o] as const))('%s: min / max, scale and zero point after each batch', (_, o) => {
    const obs = new MovingAverageMinMaxObserver(0.01);
    const fq = new ActivationFakeQuant({ dtype: o.dtype });
    o.batches.forEach((b, i) => {
      obs.observe(b);
      fq.call(tensor(b));
      const want = o.after[i]!;
      const [lo, hi] = obs.range();
      // torch keeps the averages in float32; here they are float64: equal to float32 rounding
      expect(Math.abs(lo - want.min)).toBeLessThanOrEqual(2 ** -22 * Math.abs(want.min));
      expect(Math.abs(hi - want.max)).toBeLessThanOrEqual(2 ** -22 * Math.abs(want.max));
      const q = computeQParams(lo, hi, { dtype: o.dtype });
      expect(Math.abs(q.scale - want.scale)).toBeLessThanOrEqual(2 ** -23 * want.scale); // ≤ 1 ulp
      expect(q.zeroPoint).toBe(want.zeroPoint);
      expect(fq.qparams()).toEqual(q); // the QAT activation quantizer is that observer
    });
  });
});

describe(`PyTorch ${golden.torch} fuse_conv_bn_eval (golden fixture)`, () => {
  it('folds Conv2d + BatchNorm2d to torch’s weight and bias (to 1 ulp)', () => {
    const g = golden.fold;
    const [o, i, kh] = g.weightShape as [number, number, number];
    const conv = new Conv2d(i, o, kh, { padding: 1 });
    const bn = new BatchNorm2d(o, { eps: g.eps });
    conv.loadStateDict({ weight: tensor(g.convWeight, g.weightShape), bias: tensor(g.convBias) });
    bn.loadStateDict({ weight: tensor(g.gamma), bias: tensor(g.beta), running_mean: tensor(g.runningMean), running_var: tensor(g.runningVar), num_batches_tracked: tensor(0, [], 'int64') });
    const { weight, bias } = foldConvBatchNorm(conv, bn);
    const ulp = (v: number) => 2 ** (Math.floor(Math.log2(Math.abs(v) || 2 ** -126)) - 23);
    weight.dataSync().forEach((v, k) => expect(Math.abs(v - g.weight[k]!), `weight ${k}`).toBeLessThanOrEqual(ulp(g.weight[k]!)));
    bias.dataSync().forEach((v, k) => expect(Math.abs(v - g.bias[k]!), `bias ${k}`).toBeLessThanOrEqual(ulp(g.bias[k]!)));
  });
});
