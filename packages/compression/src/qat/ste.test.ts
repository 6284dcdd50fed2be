import '@mapnn/backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Generator, grads, mul, randn, setBackend, sum, tensor } from '@mapnn/core';
import { fakeQuantize } from '../quantization/fake-quant.js';
import { fakeQuantizeLearnable, fakeQuantizePerChannelSte, fakeQuantizeSte } from './ste.js';

beforeAll(() => setBackend('cpu'));

// scale 0.5 (x / s = 2x exactly), zero point 2, range [−8, 7]: inside iff round(2x) ∈ [−10, 5]
const X = [-6, -5.25, -5, -4.75, 0.25, 0.75, 2.5, 2.6, 2.74, 2.75, 3, 40];
// round half to even: −10.5 → −10, −9.5 → −10, 0.5 → 0, 1.5 → 2, 5.5 → 6
const EXPECTED_Y = [-5, -5, -5, -5, 0, 1, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5];
const EXPECTED_MASK = [0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0];

describe('fakeQuantizeSte', () => {
  it('forward is quantize → dequantize with round half to even and saturation', () => {
    const y = fakeQuantizeSte(tensor(X), 0.5, 2, { qmin: -8, qmax: 7 });
    expect(Array.from(y.dataSync())).toEqual(EXPECTED_Y);
  });

  it('passes the gradient exactly where round(x / s) + zp is inside [qmin, qmax]', () => {
    const w = randn([X.length], { generator: new Generator(1) });
    const [g] = grads((x) => sum(mul(fakeQuantizeSte(x, 0.5, 2, { qmin: -8, qmax: 7 }), w)))(tensor(X));
    const wd = w.dataSync();
    expect(Array.from(g!.dataSync(), (v) => v + 0)).toEqual(EXPECTED_MASK.map((m, i) => (m ? wd[i]! : 0))); // dy · 0 may be −0
  });

  it('agrees with the post-training fakeQuantize (ONNX Q → DQ) on int8', () => {
    const x = mul(randn([200], { generator: new Generator(2) }), 3);
    const q = { scale: 0.0173, zeroPoint: -5, dtype: 'int8' as const };
    expect(Array.from(fakeQuantizeSte(x, q.scale, q.zeroPoint, { qmin: -128, qmax: 127 }).dataSync())).toEqual(Array.from(fakeQuantize(x, q).dataSync()));
  });

  it('refuses a bad integer range', () => {
    expect(() => fakeQuantizeSte(tensor([1]), 1, 0, { qmin: 5, qmax: 5 })).toThrow(/fakeQuantizeSte: .*qmin < qmax.*\[5, 5\]/);
  });
});

describe('fakeQuantizePerChannelSte', () => {
  it('uses each channel its own scale and zero point, with the per-channel mask', () => {
    // channel 0: s 0.5, zp 2 (the case above, first 6 values); channel 1: s 1, zp 0, range [−8, 7]
    const x = tensor([...X.slice(0, 6), -8.5, -8.49, 6.5, 7.49, 7.5, 0.2], [2, 6]);
    const [g] = grads((t) => sum(fakeQuantizePerChannelSte(t, tensor([0.5, 1]), tensor([2, 0]), 0, { qmin: -8, qmax: 7 })))(x);
    const y = fakeQuantizePerChannelSte(x, tensor([0.5, 1]), tensor([2, 0]), 0, { qmin: -8, qmax: 7 });
    expect(Array.from(y.dataSync())).toEqual([...EXPECTED_Y.slice(0, 6), -8, -8, 6, 7, 7, 0]);
    // −8.5 → −8 (even), −8.49 → −8, 6.5 → 6, 7.49 → 7, 7.5 → 8 (outside)
    expect(Array.from(g!.dataSync())).toEqual([...EXPECTED_MASK.slice(0, 6), 1, 1, 1, 1, 0, 1]);
  });

  it('names the shapes when the scales do not fit the axis', () => {
    expect(() => fakeQuantizePerChannelSte(tensor([1, 2, 3, 4], [2, 2]), tensor([1, 1, 1]), tensor([0, 0, 0]), 0, { qmin: -127, qmax: 127 })).toThrow(
      /fakeQuantizePerChannelSte: scales \[3\].*2 entries \(input \[2, 2\], axis 0\)/,
    );
  });
});

describe('fakeQuantizeLearnable (LSQ)', () => {
  it('gives dx = mask · dy and ds = Σ dy · g (g = (x̂ − x)/s inside, qmin/qmax − zp outside) · gradFactor', () => {
    const s = 0.5;
    const [gx, gs] = grads((x, sc) => sum(mul(fakeQuantizeLearnable(x, sc, 2, { qmin: -8, qmax: 7 }, 0.25), tensor(X.map((_, i) => i + 1)))))(tensor(X), tensor(s));
    expect(Array.from(gx!.dataSync())).toEqual(EXPECTED_MASK.map((m, i) => m * (i + 1)));
    let expected = 0;
    X.forEach((x, i) => {
      const v = Math.round(2 * x) + 2; // no exact .5 ties below other than those with even results handled by EXPECTED_Y
      const g = EXPECTED_MASK[i] ? (EXPECTED_Y[i]! - x) / s : (v < -8 ? -8 : 7) - 2;
      expected += g * (i + 1) * 0.25;
    });
    expect(gs!.item()).toBeCloseTo(expected, 5);
  });
});
