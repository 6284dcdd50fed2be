// Losses: float64 finite-difference gradients, memory, Module forms, errors and edge cases.
// (Values and gradients against PyTorch are in losses-golden.test.ts.)
import '@mapnn/backend-cpu';
import { dispose, grads, logSoftmax, memory, randn, setBackend, softmax, tensor, tidy, type Tensor } from '@mapnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as L from '../index-losses.js';

beforeAll(() => {
  setBackend('cpu');
});

const f64 = (v: number[] | number[][], shape?: number[]) => tensor(v as number[], shape, 'float64');
const i64 = (v: number[], shape?: number[]) => tensor(v, shape, 'int64');
const i32 = (v: number[], shape?: number[]) => tensor(v, shape, 'int32');
const val = (t: Tensor) => t.dataSync()[0]!;

/**
 * Central differences of the scalar `f` at the float64 `inputs` (all differentiated) against
 * autograd; |analytic − numeric| ≤ 1e-6 + 1e-5·|numeric|.
 */
function gradCheck(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): string[] {
  const errors: string[] = [];
  tidy(() => {
    const analytic = grads(f)(...inputs).map((g) => Array.from(g.dataSync()));
    const h = 1e-6;
    inputs.forEach((x, k) => {
      const base = Array.from(x.dataSync());
      for (let i = 0; i < base.length; i++) {
        const at = (d: number) =>
          tidy(() => {
            const v = base.slice();
            v[i]! += d;
            const xs = inputs.slice();
            xs[k] = tensor(v, x.shape, 'float64');
            return val(f(...xs));
          });
        const num = (at(h) - at(-h)) / (2 * h);
        const ana = analytic[k]![i]!;
        if (!(Math.abs(ana - num) <= 1e-6 + 1e-5 * Math.abs(num))) errors.push(`input ${k}[${i}]: autograd ${ana}, numeric ${num}`);
      }
    });
  });
  return errors;
}

describe('losses: float64 finite-difference gradients', () => {
  const x = () => f64([[0.3, -1.2, 2.1, 0.4], [1.5, 0.2, -0.7, -2.2], [0.05, 0.9, -0.3, 1.1]]);
  const t = () => i64([2, 0, 3]);
  const w = () => f64([0.5, 2, 1, 1.5]);
  const cases: [string, () => Tensor[], (...xs: Tensor[]) => Tensor][] = [
    ['crossEntropyLoss (weight, ignore, smoothing)', () => [x()], (a) => L.crossEntropyLoss(a, i64([2, -100, 3]), { weight: w(), labelSmoothing: 0.2 })],
    ['crossEntropyLoss (probabilities)', () => [x(), f64([[0.1, 0.2, 0.3, 0.4], [0.7, 0.1, 0.1, 0.1], [0.25, 0.25, 0.25, 0.25]])], (a, p) => L.crossEntropyLoss(a, p, { labelSmoothing: 0.1 })],
    ['bceWithLogitsLoss (posWeight)', () => [x(), f64([[1, 0, 1, 0.3], [0, 1, 1, 0], [0.5, 0, 1, 1]])], (a, y) => L.bceWithLogitsLoss(a, y, { posWeight: w() })],
    ['bceLoss', () => [f64([0.2, 0.7, 0.95, 0.4]), f64([0, 1, 1, 0.3])], (a, y) => L.bceLoss(a, y, { weight: w() })],
    ['huberLoss', () => [x(), f64([[0, 0, 0, 0], [0, 0, 0, 0], [1, 1, 1, 1]])], (a, y) => L.huberLoss(a, y, { delta: 0.8 })],
    ['multiMarginLoss p=2', () => [x()], (a) => L.multiMarginLoss(a, t(), { p: 2, margin: 0.7, weight: w() })],
    ['klDivLoss batchmean', () => [logSoftmax(x(), 1)], (a) => L.klDivLoss(a, softmax(f64([[1, 0, 0, 2], [0, 1, 0, 0], [3, 0, 1, 0]]), 1), { reduction: 'batchmean' })],
    ['focalLoss', () => [x()], (a) => L.focalLoss(a, f64([[1, 0, 1, 0], [0, 1, 1, 0], [0, 0, 1, 1]]), { gamma: 1.5 })],
    ['softmaxFocalLoss', () => [x()], (a) => L.softmaxFocalLoss(a, t(), { gamma: 2, alpha: w() })],
    ['cosineEmbeddingLoss', () => [x(), f64([[0.1, -1, 2, 0.7], [-1.5, 0.4, 0.1, 2], [0.2, 0.3, -0.1, 1]])], (a, b) => L.cosineEmbeddingLoss(a, b, f64([1, -1, -1]), { margin: 0.1 })],
    ['softTargetDistillationLoss', () => [x()], (a) => L.softTargetDistillationLoss(a, f64([[1, 0, 0, 2], [0, 1, 0, 0], [3, 0, 1, 0]]), { temperature: 3 })],
  ];
  for (const [name, inputs, f] of cases) {
    it(name, () => {
      const xs = inputs();
      const errors = gradCheck(f, xs);
      dispose(xs);
      expect(errors, errors.join('\n')).toEqual([]);
    });
  }
});

describe('losses: memory', () => {
  // every loss, forward + backward inside tidy, Module and functional forms: nothing left behind
  const cases: [string, () => Tensor][] = [
    ['MSELoss', () => new L.MSELoss().call(randn([3, 4]).requiresGrad_(), randn([3, 4]))],
    ['L1Loss', () => new L.L1Loss().call(randn([3, 4]).requiresGrad_(), randn([3, 4]))],
    ['HuberLoss', () => new L.HuberLoss({ delta: 0.5 }).call(randn([3, 4]).requiresGrad_(), randn([3, 4]))],
    ['SmoothL1Loss', () => new L.SmoothL1Loss({ beta: 0.5 }).call(randn([3, 4]).requiresGrad_(), randn([3, 4]))],
    ['bceLoss', () => L.bceLoss(randn([3, 4]).sigmoid().requiresGrad_(), tensor([[1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 1, 0]]), { weight: [1, 2, 3, 4] })],
    ['bceWithLogitsLoss', () => L.bceWithLogitsLoss(randn([3, 4]).requiresGrad_(), tensor([[1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 1, 0]]), { posWeight: [1, 2, 3, 4] })],
    ['crossEntropyLoss', () => L.crossEntropyLoss(randn([3, 4, 2]).requiresGrad_(), i64([0, 1, 2, 3, -100, 1], [3, 2]), { weight: [1, 2, 1, 1], labelSmoothing: 0.1 })],
    ['crossEntropyLoss probs', () => L.crossEntropyLoss(randn([3, 4]).requiresGrad_(), softmax(randn([3, 4]), 1))],
    ['nllLoss', () => L.nllLoss(logSoftmax(randn([3, 4]).requiresGrad_(), 1), i64([0, 1, 3]))],
    ['hingeEmbeddingLoss', () => L.hingeEmbeddingLoss(randn([3, 4]).requiresGrad_(), tensor([[1, -1, 1, -1], [1, 1, 1, 1], [-1, -1, -1, -1]]))],
    ['hingeLoss', () => L.hingeLoss(randn([4]).requiresGrad_(), tensor([1, -1, 1, -1]))],
    ['multiMarginLoss', () => L.multiMarginLoss(randn([3, 4]).requiresGrad_(), i64([0, 1, 3]), { p: 2, weight: [1, 2, 3, 4] })],
    ['multilabelMarginLoss', () => L.multilabelMarginLoss(randn([2, 4]).requiresGrad_(), i64([1, 2, -1, 0, 3, -1, 0, 0], [2, 4]))],
    ['klDivLoss', () => L.klDivLoss(logSoftmax(randn([3, 4]).requiresGrad_(), 1), softmax(randn([3, 4]), 1), { reduction: 'batchmean' })],
    ['focalLoss', () => new L.FocalLoss().call(randn([3, 4]).requiresGrad_(), tensor([[1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 1, 0]]))],
    ['softmaxFocalLoss', () => L.softmaxFocalLoss(randn([3, 4]).requiresGrad_(), i64([0, 1, 3]), { alpha: [1, 2, 3, 4] })],
    ['cosineEmbeddingLoss', () => new L.CosineEmbeddingLoss().call(randn([3, 4]).requiresGrad_(), randn([3, 4]).requiresGrad_(), tensor([1, -1, 1]))],
    ['softTargetDistillationLoss', () => L.softTargetDistillationLoss(randn([3, 4]).requiresGrad_(), randn([3, 4]))],
  ];
  for (const [name, f] of cases) {
    it(`${name} leaves no tensor behind after forward + backward in tidy`, () => {
      const before = memory().numTensors;
      tidy(() => {
        const loss = f();
        loss.backward();
      });
      // (leaves made inside tidy keep their .grad, which is disposed with them)
      expect(memory().numTensors).toBe(before);
    });
  }

  it('Module losses keep class weights as buffers (in the state dict) and free them on dispose()', () => {
    const before = memory().numTensors;
    const crit = new L.SoftmaxFocalLoss({ alpha: [1, 2, 3] });
    const ce = new L.CrossEntropyLoss({ weight: [1, 2, 3] });
    expect(crit.buffers().length).toBe(1);
    expect(Object.keys(ce.stateDict())).toEqual(['weight']);
    tidy(() => {
      ce.call(randn([2, 3]).requiresGrad_(), [0, 2]).backward();
      crit.call(randn([2, 3]).requiresGrad_(), [0, 2]).backward();
    });
    expect(memory().numTensors).toBe(before + 2);
    crit.dispose();
    ce.dispose();
    expect(memory().numTensors).toBe(before);
  });
});

describe('losses: Module forms and conveniences', () => {
  it('Module forms equal the functional forms', () => {
    tidy(() => {
      const x = randn([4, 3]);
      const t = i64([0, 2, 1, 2]);
      const y = randn([4, 3]);
      const pairs: [Tensor, Tensor][] = [
        [new L.CrossEntropyLoss({ weight: [1, 2, 3], labelSmoothing: 0.1, reduction: 'sum' }).call(x, t), L.crossEntropyLoss(x, t, { weight: [1, 2, 3], labelSmoothing: 0.1, reduction: 'sum' })],
        [new L.NLLLoss({ ignoreIndex: 2 }).call(x, t), L.nllLoss(x, t, { ignoreIndex: 2 })],
        [new L.MAELoss().call(x, y), L.maeLoss(x, y)],
        [new L.MultiMarginLoss({ p: 2 }).call(x, t), L.multiMarginLoss(x, t, { p: 2 })],
        [new L.KLDivLoss({ reduction: 'batchmean', logTarget: true }).call(logSoftmax(x, 1), logSoftmax(y, 1)), L.klDivLoss(logSoftmax(x, 1), logSoftmax(y, 1), { reduction: 'batchmean', logTarget: true })],
        [new L.BCEWithLogitsLoss({ posWeight: [2, 1, 1] }).call(x, y.sigmoid()), L.bceWithLogitsLoss(x, y.sigmoid(), { posWeight: [2, 1, 1] })],
        [new L.SoftTargetDistillationLoss({ temperature: 3 }).call(x, y), L.softTargetDistillationLoss(x, y, { temperature: 3 })],
        [new L.HingeLoss().call(x, y.sign()), L.hingeLoss(x, y.sign())],
      ];
      for (const [a, b] of pairs) expect(val(a)).toBeCloseTo(val(b), 6);
    });
  });

  it('describe() lists the options', () => {
    expect(new L.CrossEntropyLoss({ labelSmoothing: 0.1 }).toString()).toBe('CrossEntropyLoss(reduction=mean, ignoreIndex=-100, labelSmoothing=0.1)');
    expect(new L.HuberLoss({ delta: 2 }).toString()).toBe('HuberLoss(reduction=mean, delta=2)');
  });

  it('class indices may be int32, int64 or plain arrays', () => {
    tidy(() => {
      const x = randn([3, 4]);
      const a = val(L.crossEntropyLoss(x, i64([1, 0, 3])));
      expect(val(L.crossEntropyLoss(x, i32([1, 0, 3])))).toBeCloseTo(a, 6);
      expect(val(L.crossEntropyLoss(x, [1, 0, 3]))).toBeCloseTo(a, 6);
      expect(val(L.nllLoss(logSoftmax(x, 1), [1, 0, 3]))).toBeCloseTo(a, 6);
    });
  });

  it('softmaxFocalLoss with gamma 0 and crossEntropyLoss agree', () => {
    tidy(() => {
      const x = randn([5, 3]);
      const t = i64([0, 2, 1, -100, 2]);
      expect(val(L.softmaxFocalLoss(x, t, { gamma: 0 }))).toBeCloseTo(val(L.crossEntropyLoss(x, t)), 6);
    });
  });

  it('huberLoss is delta times smoothL1Loss with beta = delta', () => {
    tidy(() => {
      const x = randn([10]).mul(3);
      const y = randn([10]);
      expect(val(L.huberLoss(x, y, { delta: 0.7 }))).toBeCloseTo(0.7 * val(L.smoothL1Loss(x, y, { beta: 0.7 })), 6);
    });
  });

  it('float64 inputs give float64 losses (weights follow the input dtype)', () => {
    tidy(() => {
      const out = L.crossEntropyLoss(f64([[1, 2, 3]]), i64([1]), { weight: tensor([1, 2, 3]) });
      expect(out.dtype).toBe('float64');
      expect(L.mseLoss(f64([1, 2]), tensor([1, 1])).dtype).toBe('float64');
    });
  });
});

describe('losses: numerics', () => {
  it('bceLoss is finite at saturated probabilities (logs clamped at -100) with a finite gradient', () => {
    tidy(() => {
      const p = tensor([0, 1, 1, 0]).requiresGrad_();
      const loss = L.bceLoss(p, tensor([1, 0, 1, 0]), { reduction: 'none' });
      expect(Array.from(loss.dataSync(), (v) => v + 0)).toEqual([100, 100, 0, 0]);
      const [g] = grads((q) => L.bceLoss(q, tensor([1, 0, 1, 0])))(p);
      expect(Array.from(g!.dataSync()).every(Number.isFinite)).toBe(true);
    });
  });

  it('bceWithLogitsLoss is stable for huge logits and has gradient σ(x) − y at x = 0', () => {
    tidy(() => {
      const loss = L.bceWithLogitsLoss(tensor([1000, -1000, 1000]), tensor([0, 1, 1]), { reduction: 'none' });
      const v = Array.from(loss.dataSync());
      expect(v[0]).toBeCloseTo(1000, 3);
      expect(v[1]).toBeCloseTo(1000, 3);
      expect(v[2]).toBeCloseTo(0, 6);
      const [g] = grads((x) => L.bceWithLogitsLoss(x, tensor([1, 0]), { reduction: 'sum' }))(tensor([0, 0]));
      expect(Array.from(g!.dataSync())).toEqual([-0.5, 0.5]);
    });
  });

  it('crossEntropyLoss is stable for huge logits', () => {
    tidy(() => {
      const v = val(L.crossEntropyLoss(tensor([[1000, 0, -1000]]), [0]));
      expect(v).toBeCloseTo(0, 6);
      expect(val(L.crossEntropyLoss(tensor([[1000, 0, -1000]]), [2]))).toBeCloseTo(2000, 1);
    });
  });

  it('klDivLoss treats 0·log 0 as 0 (value and gradient)', () => {
    tidy(() => {
      const x = logSoftmax(randn([2, 3]), 1);
      const y = tensor([[0, 0.5, 0.5], [1, 0, 0]]);
      expect(Number.isFinite(val(L.klDivLoss(x, y, { reduction: 'sum' })))).toBe(true);
      const [gy] = grads((t) => L.klDivLoss(x, t, { reduction: 'sum' }))(y);
      expect(Array.from(gy!.dataSync()).every(Number.isFinite)).toBe(true);
    });
  });

  it('crossEntropyLoss with every target ignored gives NaN for mean (0/0) and 0 for sum, as PyTorch', () => {
    tidy(() => {
      const x = randn([2, 3]);
      expect(Number.isNaN(val(L.crossEntropyLoss(x, [-100, -100])))).toBe(true);
      expect(val(L.crossEntropyLoss(x, [-100, -100], { reduction: 'sum' }))).toBe(0);
    });
  });

  it('hingeEmbeddingLoss can be negative', () => {
    tidy(() => {
      expect(val(L.hingeEmbeddingLoss(tensor([-2, -1]), tensor([1, 1])))).toBe(-1.5);
    });
  });
});

describe('losses: errors name the loss, the shapes and what was expected', () => {
  const x = () => randn([3, 4]);
  it.each([
    ['mseLoss', () => L.mseLoss(x(), randn([3, 5])), /mseLoss: target shape \[3,5\] does not match input shape \[3,4\]/],
    ['bceLoss range', () => L.bceLoss(tensor([0.5, 1.5]), tensor([1, 0])), /bceLoss: input \[2\] must hold probabilities in \[0, 1\], got 1.5/],
    ['bceWithLogitsLoss posWeight', () => L.bceWithLogitsLoss(x(), randn([3, 4]), { posWeight: [1, 2] }), /bceWithLogitsLoss: posWeight shape \[2\] does not broadcast to input shape \[3,4\]/],
    ['crossEntropyLoss index range', () => L.crossEntropyLoss(x(), [0, 4, 1]), /crossEntropyLoss: target class index 4 \(at flat index 1 of target \[3\]\) is out of range for input \[3,4\] with 4 classes/],
    ['crossEntropyLoss negative index', () => L.crossEntropyLoss(x(), [0, -1, 1]), /class index -1 .* or ignoreIndex -100/],
    ['crossEntropyLoss target shape', () => L.crossEntropyLoss(x(), [0, 1]), /crossEntropyLoss: target shape \[2\] does not match input shape \[3,4\]; expected class indices of shape \[3\]/],
    ['crossEntropyLoss float target', () => L.crossEntropyLoss(x(), tensor([0, 1, 2])), /neither class probabilities .* expected int32\/int64 indices of shape \[3\] or float probabilities of shape \[3,4\]/],
    ['crossEntropyLoss weight', () => L.crossEntropyLoss(x(), [0, 1, 2], { weight: [1, 2, 3] }), /crossEntropyLoss: weight shape \[3\] does not match the 4 classes of input \[3,4\]; expected weight of shape \[4\]/],
    ['crossEntropyLoss labelSmoothing', () => L.crossEntropyLoss(x(), [0, 1, 2], { labelSmoothing: 1.5 }), /labelSmoothing must be in \[0, 1\]/],
    ['nllLoss reduction', () => L.nllLoss(x(), [0, 1, 2], { reduction: 'avg' as 'mean' }), /nllLoss: reduction must be one of 'mean', 'sum', 'none', got 'avg'/],
    ['klDivLoss reduction', () => L.klDivLoss(x(), x(), { reduction: 'avg' as 'mean' }), /klDivLoss: reduction must be one of 'mean', 'sum', 'none', 'batchmean'/],
    ['multiMarginLoss p', () => L.multiMarginLoss(x(), [0, 1, 2], { p: 3 as 1 }), /multiMarginLoss: p must be 1 or 2, got 3/],
    ['multiMarginLoss 3-D', () => L.multiMarginLoss(randn([2, 3, 4]), [[0]]), /multiMarginLoss: input must have shape \[C\] or \[N, C\], got \[2,3,4\]/],
    ['multilabelMarginLoss range', () => L.multilabelMarginLoss(x(), i64([0, 5, -1, 0, 1, -1, 0, 0, 2, -1, 0, 0], [3, 4])), /multilabelMarginLoss: target class index 5 \(sample 0, position 1/],
    ['hingeLoss labels', () => L.hingeLoss(tensor([1, 2]), tensor([1, 0])), /hingeLoss: target \[2\] must hold labels −1 or 1, got 0/],
    ['cosineEmbeddingLoss target', () => L.cosineEmbeddingLoss(x(), x(), tensor([1, -1])), /cosineEmbeddingLoss: target shape \[2\] does not match inputs \[3,4\]; expected target of shape \[3\]/],
    ['huberLoss delta', () => L.huberLoss(x(), x(), { delta: 0 }), /huberLoss: delta must be positive/],
    ['softmaxFocalLoss alpha', () => L.softmaxFocalLoss(x(), [0, 1, 2], { alpha: [1, 2] }), /softmaxFocalLoss: alpha shape \[2\] does not match the 4 classes/],
    ['softTargetDistillationLoss shapes', () => L.softTargetDistillationLoss(x(), randn([3, 5])), /softTargetDistillationLoss: teacher logits shape \[3,5\] does not match input shape \[3,4\]/],
  ])('%s', (_name, f, re) => {
    const before = memory().numTensors;
    expect(() => tidy(f)).toThrow(re);
    expect(memory().numTensors).toBe(before);
  });
});
