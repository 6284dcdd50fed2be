import '@mapnn/backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Generator, noGrad, randn, setBackend, tensor, type Tensor } from '@mapnn/core';
import { Conv2d, GRU, Linear, LSTM, ReLU, Sequential } from '@mapnn/layers';
import { loadTorchGolden, type RecurrentCase } from '../../test/torch-golden.js';
import { DynamicQuantizedLinear } from './dynamic-linear.js';
import { DynamicQuantizedGRU, DynamicQuantizedLSTM } from './dynamic-recurrent.js';
import { quantizeDynamic } from './quantize-dynamic.js';
import { quantizedSizeReport } from './size-report.js';

beforeAll(() => setBackend('cpu'));
const golden = loadTorchGolden().dynamic;
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));
const values = (t: Tensor) => Array.from(t.dataSync());

describe('quantizeDynamic', () => {
  it('quantizes the activations per call from their own range (a batch with an outlier loses the small values)', () => {
    const fc = new Linear(2, 2, { bias: false });
    fc.loadStateDict({ weight: tensor([1, 0, 0, 0.5], [2, 2]) }); // exact in int8 per channel: 127 · (1/127), 127 · (0.5/127)
    const q = quantizeDynamic(new Sequential(fc));
    const y1 = noGrad(() => q.call(tensor([0.4, 2.55], [1, 2])));
    expect(Math.abs(y1.dataSync()[0]! - 0.4)).toBeLessThan(1e-6); // range [0, 2.55]: scale 0.01, 0.4 is exact
    const y2 = noGrad(() => q.call(tensor([0.4, 2.55, 255, 0], [2, 2])));
    expect(values(y2).slice(0, 2)).toEqual([0, 1.5]); // range [0, 255]: scale 1, 0.4 → 0 and 2.55 → 3
  });

  it('stores int8 weights: replaces Linear, LSTM and GRU, and reports the bytes (≈ 4× smaller)', () => {
    const model = new Sequential(new Linear(16, 32), new ReLU(), new Linear(32, 8));
    const q = quantizeDynamic(model);
    expect(q.at(0)).toBeInstanceOf(DynamicQuantizedLinear);
    expect(q.at(2)).toBeInstanceOf(DynamicQuantizedLinear);
    expect(model.at(0)).toBeInstanceOf(Linear); // a copy
    expect((q.at(0) as DynamicQuantizedLinear).weight_int8.dtype).toBe('int8');
    const r = quantizedSizeReport(model, q);
    // float: (16·32 + 32 + 32·8 + 8) · 4 B; int8: weights 1 B, per-channel scales and biases 4 B
    expect(r.before).toBe((16 * 32 + 32 + 32 * 8 + 8) * 4);
    expect(r.after).toBe(16 * 32 + 32 * 4 + 32 * 4 + 32 * 8 + 8 * 4 + 8 * 4);
    expect(r.table).toMatch(/total/);
    expect(quantizeDynamic(new Sequential(new LSTM(3, 4), new GRU(4, 2)), { layers: ['LSTM'] }).at(1)).toBeInstanceOf(GRU);
  });

  it('runs stacked, bidirectional, batch-first and unbatched LSTM / GRU close to the float layers', () => {
    for (const m of [new LSTM(3, 5, { numLayers: 2, bidirectional: true, batchFirst: true, generator: new Generator(1) }), new GRU(3, 5, { numLayers: 2, bidirectional: true, batchFirst: true, generator: new Generator(2) })]) {
      const q = quantizeDynamic(new Sequential(m)).at(0) as DynamicQuantizedLSTM | DynamicQuantizedGRU;
      for (const x of [randn([2, 4, 3], { generator: new Generator(3) }), randn([4, 3], { generator: new Generator(4) })]) {
        const [yf, sf] = noGrad(() => (m as LSTM).call(x));
        const [yq, sq] = noGrad(() => (q as DynamicQuantizedLSTM).call(x));
        expect(yq.shape).toEqual(yf.shape);
        expect(maxDiff(yq.dataSync(), yf.dataSync())).toBeLessThan(0.03);
        const hf = Array.isArray(sf) ? sf[0]! : (sf as Tensor);
        const hq = Array.isArray(sq) ? sq[0]! : (sq as Tensor);
        expect(hq.shape).toEqual(hf.shape);
        expect(maxDiff(hq.dataSync(), hf.dataSync())).toBeLessThan(0.03);
      }
    }
  });

  it('names what cannot be quantized: a layer type, NaN activations, a peephole LSTM', () => {
    expect(() => quantizeDynamic(new Sequential(new Conv2d(1, 2, 3)), { layers: ['Conv2d'] })).toThrow(/quantizeDynamic: layer type 'Conv2d' cannot be dynamically quantized; supported: Linear, LSTM, GRU/);
    expect(() => quantizeDynamic(new Sequential(new Conv2d(1, 2, 3)))).toThrow(/quantizeDynamic: the model has no Linear \/ LSTM \/ GRU layer/);
    const q = quantizeDynamic(new Sequential(new Linear(2, 2)));
    expect(() => noGrad(() => q.call(tensor([NaN, 1], [1, 2])))).toThrow(/quantizeDynamic: layer '0' got activations that are not finite/);
    expect(() => quantizeDynamic(new Sequential(new LSTM(2, 2, { peephole: true })))).toThrow(/layer '0' is an LSTM with peephole connections/);
  });
});

describe(`PyTorch quantize_dynamic (${golden.engine}) golden values`, () => {
  it('Linear: mapnn is as close to torch’s dynamic output as torch’s is to float', () => {
    const g = golden.linear;
    const fc = new Linear(g.inFeatures, g.outFeatures);
    fc.loadStateDict({ weight: tensor(g.weight, [g.outFeatures, g.inFeatures]), bias: tensor(g.bias) });
    const q = quantizeDynamic(new Sequential(fc));
    const y = values(noGrad(() => q.call(tensor(g.x, g.xShape))));
    expectTorchTolerance(y, g.dynamicPerChannel, g.float);
  });

  const recurrent = (g: RecurrentCase, kind: 'lstm' | 'gru') => {
    const m = kind === 'lstm' ? new LSTM(g.inputSize, g.hiddenSize) : new GRU(g.inputSize, g.hiddenSize);
    m.loadStateDict(Object.fromEntries(Object.entries(g.state).map(([k, v]) => [k, tensor(v, k.startsWith('weight') ? [v.length / (k.includes('_ih') ? g.inputSize : g.hiddenSize), k.includes('_ih') ? g.inputSize : g.hiddenSize] : [v.length])])));
    const q = quantizeDynamic(new Sequential(m));
    expect(q.at(0)).toBeInstanceOf(kind === 'lstm' ? DynamicQuantizedLSTM : DynamicQuantizedGRU);
    const out = noGrad(() => (q.at(0) as DynamicQuantizedLSTM).call(tensor(g.x, g.xShape))[0]);
    const fl = noGrad(() => (m as LSTM).call(tensor(g.x, g.xShape))[0]);
    expect(maxDiff(values(fl), g.float)).toBeLessThan(1e-5); // the float layers agree first
    expectTorchTolerance(values(out), g.dynamic, g.float);
  };
  it('LSTM: within the documented tolerance of torch’s dynamic LSTM', () => {
    recurrent(golden.lstm, 'lstm');
  });
  it('GRU: within the documented tolerance of torch’s dynamic GRU', () => {
    recurrent(golden.gru, 'gru');
  });
});

/**
 * The documented tolerance against torch's quantize_dynamic: both quantize, but with other
 * weight scales (torch: max|w|/127.5 in [−128, 127]; mapnn: max|w|/127 in [−127, 127]) and
 * activation zero-point nudging, so they differ by about one quantization error. Required:
 * mapnn's distance to torch's dynamic output ≤ 2 × torch's own error against float, and
 * mapnn's error against float ≤ 1.5 × torch's.
 */
function expectTorchTolerance(mine: ArrayLike<number>, torchDynamic: ArrayLike<number>, torchFloat: ArrayLike<number>): void {
  const torchErr = maxDiff(torchDynamic, torchFloat);
  expect(torchErr).toBeGreaterThan(0); // torch did quantize
  expect(maxDiff(mine, torchDynamic)).toBeLessThanOrEqual(2 * torchErr);
  expect(maxDiff(mine, torchFloat)).toBeLessThanOrEqual(1.5 * torchErr);
}
