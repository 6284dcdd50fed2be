import {
  Generator,
  noGrad,
  randperm,
  tensor,
  tidy,
  uniform,
  type Tensor,
} from '@mapnn/core';
import type { Digits } from './digits.js';

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  onEpoch?: (e: { epoch: number; loss: number; trainAccuracy: number }) => void;
}

export interface TrainResult {
  testAccuracy: number;
  history: { epoch: number; loss: number; trainAccuracy: number }[];
}

/**
 * Placeholder main job until the layers/optimizers/train packages land: a 64-128-10 MLP on the
 * digits, trained with mini-batch SGD + momentum written directly with core ops and autograd.
 */
export function trainDigitsMlp(data: Digits, opts: TrainOptions): TrainResult {
  const gen = new Generator(opts.seed);
  const permutation = (n: number) => tidy(() => Array.from(randperm(n, { generator: gen }).dataSync()));
  const order = permutation(data.n);
  const nTest = Math.round(data.n * 0.2);
  const testIdx = order.slice(0, nTest);
  const trainIdx = order.slice(nTest);
  const pick = (idx: number[]) => {
    const x = new Float32Array(idx.length * 64);
    const y = new Int32Array(idx.length);
    idx.forEach((r, i) => {
      x.set(data.features.subarray(r * 64, r * 64 + 64), i * 64);
      y[i] = data.labels[r]!;
    });
    return { x, y };
  };
  const init = (fanIn: number, shape: number[]) => {
    const b = 1 / Math.sqrt(fanIn);
    return uniform(shape, -b, b, { generator: gen }).keep().requiresGrad_();
  };
  const params = [init(64, [64, 128]), init(64, [128]), init(128, [128, 10]), init(128, [10])];
  const velocity = params.map((p) => noGrad(() => p.mul(0)).keep());
  const [w1, b1, w2, b2] = params as [Tensor, Tensor, Tensor, Tensor];
  const forward = (x: Tensor) => x.matmul(w1).add(b1).relu().matmul(w2).add(b2);

  const history: TrainResult['history'] = [];
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    const perm = permutation(trainIdx.length);
    let lossSum = 0;
    let correct = 0;
    for (let s = 0; s < perm.length; s += opts.batchSize) {
      const batch = pick(perm.slice(s, s + opts.batchSize).map((i) => trainIdx[i]!));
      const bs = batch.y.length;
      tidy(() => {
        const x = tensor(batch.x, [bs, 64]);
        const y = tensor(batch.y, [bs], 'int32');
        const logits = forward(x);
        const logp = logits.logSoftmax(-1);
        const loss = logp.gather(1, y.reshape([bs, 1])).mean().neg();
        loss.backward();
        lossSum += loss.item() * bs;
        correct += logits.argmax(1).eq(y.cast('int64')).sum().item();
        noGrad(() =>
          params.forEach((p, i) => {
            const v = velocity[i]!;
            v.assign(v.mul(0.9).add(p.grad!));
            p.assign(p.sub(v.mul(opts.lr)));
            p.grad!.dispose();
            p.grad = null;
          }),
        );
      });
    }
    const entry = { epoch, loss: lossSum / perm.length, trainAccuracy: correct / perm.length };
    history.push(entry);
    opts.onEpoch?.(entry);
  }
  const test = pick(testIdx);
  const testAccuracy = tidy(() => {
    const pred = noGrad(() => forward(tensor(test.x, [testIdx.length, 64])).argmax(1));
    return pred.eq(tensor(test.y, undefined, 'int32').cast('int64')).cast('float32').mean().item();
  });
  for (const t of [...params, ...velocity]) t.dispose();
  return { testAccuracy, history };
}
