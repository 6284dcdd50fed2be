import '../test/setup.js';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  argmax,
  eq,
  gather,
  Generator,
  logSoftmax,
  manualSeed,
  mean,
  memory,
  mul,
  neg,
  noGrad,
  reshape,
  softplus,
  sub,
  sum,
  tensor,
  tidy,
  type Tensor,
} from '@mapnn/core';
import { BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, Tanh } from './index.js';
import { TinyAdam } from '../test/tiny-adam.js';

/** Mean cross-entropy of logits [N, C] against int64 labels [N]. */
function crossEntropy(logits: Tensor, labels: Tensor): Tensor {
  const lp = logSoftmax(logits, 1);
  return neg(mean(gather(lp, 1, reshape(labels, [-1, 1]))));
}

describe('learning', () => {
  it('an MLP learns XOR', () => {
    const g = new Generator(7);
    const model = new Sequential(new Linear(2, 8, { generator: g }), new Tanh(), new Linear(8, 1, { generator: g }));
    const x = tensor([0, 0, 0, 1, 1, 0, 1, 1], [4, 2]);
    const y = tensor([0, 1, 1, 0], [4, 1]);
    const opt = new TinyAdam(model.parameters(), { lr: 0.05 });
    let last = Infinity;
    for (let step = 0; step < 400; step++) {
      last = tidy(() => {
        const z = model.call(x);
        // binary cross-entropy with logits: softplus(z) − y·z
        const loss = mean(sub(softplus(z), mul(y, z)));
        loss.backward();
        opt.step();
        opt.zeroGrad();
        return loss.item();
      });
    }
    const pred = tidy(() => noGrad(() => Array.from(model.call(x).dataSync()).map((v) => (v > 0 ? 1 : 0))));
    expect(pred).toEqual([0, 1, 1, 0]);
    expect(last).toBeLessThan(0.05);
    opt.dispose();
    model.dispose();
    x.dispose();
    y.dispose();
  });
});

// ---- UCI digits (8×8 images, 10 classes, 1,797 samples) ----

// The shared datasets live beside the checkout (<repo>/../shared, i.e. ../../../../shared from
// this folder); a shared/ folder inside the checkout (<repo>/shared) is accepted too.
const digitsCandidates = ['../../../../shared/datasets/uci/digits.csv.gz', '../../../shared/datasets/uci/digits.csv.gz'].map((p) =>
  fileURLToPath(new URL(p, import.meta.url)),
);
const digitsPath = digitsCandidates.find((p) => existsSync(p)) ?? digitsCandidates[0]!;

function loadDigits(): { x: Float32Array; y: number[]; n: number } | null {
  if (!existsSync(digitsPath)) return null;
  const rows = gunzipSync(readFileSync(digitsPath)).toString('utf8').trim().split('\n');
  const n = rows.length;
  const x = new Float32Array(n * 64);
  const y: number[] = [];
  rows.forEach((line, i) => {
    const v = line.split(',').map(Number);
    if (v.length !== 65) throw new Error(`digits.csv: line ${i + 1} has ${v.length} fields, expected 65`);
    for (let j = 0; j < 64; j++) x[i * 64 + j] = v[j]! / 16;
    y.push(v[64]!);
  });
  return { x, y, n };
}

function digitsCnn(g: Generator): Sequential {
  return new Sequential(
    new Conv2d(1, 8, 3, { padding: 1, generator: g }),
    new BatchNorm2d(8),
    new ReLU(),
    new MaxPool2d(2), // 4×4
    new Conv2d(8, 16, 3, { padding: 1, generator: g }),
    new BatchNorm2d(16),
    new ReLU(),
    new MaxPool2d(2), // 2×2
    new Flatten(),
    new Linear(64, 10, { generator: g }),
  );
}

/** A shuffled split (fixed seed) into training and held-out index lists. */
function split(n: number, heldOut: number, seed: number): [number[], number[]] {
  const g = new Generator(seed);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(g.nextFloat() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return [idx.slice(heldOut), idx.slice(0, heldOut)];
}

function batch(d: { x: Float32Array; y: number[] }, ids: number[]): [Tensor, Tensor] {
  const xs = new Float32Array(ids.length * 64);
  ids.forEach((id, k) => xs.set(d.x.subarray(id * 64, id * 64 + 64), k * 64));
  return [tensor(xs, [ids.length, 1, 8, 8]), tensor(ids.map((id) => d.y[id]!), [ids.length], 'int64')];
}

const digits = loadDigits();

describe('learning on UCI digits', () => {
  if (!digits) {
    const msg = `UCI digits dataset is missing: expected ${digitsCandidates.join(' or ')}`;
    if (process.env.CI === 'true') {
      it('has the UCI digits dataset (required under CI)', () => {
        throw new Error(msg);
      });
    } else {
      console.warn(`[layers/learning.test] ${msg} — the digits tests are skipped (they fail under CI=true).`);
      it.skip(`SKIPPED — ${msg}`, () => {});
    }
    return;
  }
  const d = digits;

  it('a small CNN reaches >= 97 % held-out accuracy', () => {
    manualSeed(0);
    const g = new Generator(1);
    const model = digitsCnn(g);
    const [trainIds, testIds] = split(d.n, 360, 42);
    const opt = new TinyAdam(model.parameters(), { lr: 3e-3 });
    const bs = 32;
    const epochs = 6;
    const order = new Generator(3);
    for (let epoch = 0; epoch < epochs; epoch++) {
      const ids = [...trainIds];
      for (let i = ids.length - 1; i > 0; i--) {
        const j = Math.floor(order.nextFloat() * (i + 1));
        [ids[i], ids[j]] = [ids[j]!, ids[i]!];
      }
      for (let s = 0; s + bs <= ids.length; s += bs) {
        tidy(() => {
          const [xb, yb] = batch(d, ids.slice(s, s + bs));
          crossEntropy(model.call(xb), yb).backward();
          opt.step();
          opt.zeroGrad();
        });
      }
    }
    model.eval();
    const correct = tidy(() =>
      noGrad(() => {
        const [xt, yt] = batch(d, testIds);
        return sum(eq(argmax(model.call(xt), 1), yt)).item();
      }),
    );
    const acc = correct / testIds.length;
    console.log(`[layers/learning.test] digits CNN held-out accuracy: ${(100 * acc).toFixed(2)} % (${correct}/${testIds.length})`);
    expect(acc).toBeGreaterThanOrEqual(0.97);
    opt.dispose();
    model.dispose();
  });

  it('leaks no tensor across 1,000 CNN training steps', () => {
    const g = new Generator(5);
    const model = new Sequential(
      new Conv2d(1, 4, 3, { padding: 1, generator: g }),
      new BatchNorm2d(4),
      new ReLU(),
      new MaxPool2d(2),
      new Flatten(),
      new Linear(64, 10, { generator: g }),
    );
    const opt = new TinyAdam(model.parameters(), { lr: 1e-3 });
    const step = (k: number) =>
      tidy(() => {
        const ids = [(k * 4) % d.n, (k * 4 + 1) % d.n, (k * 4 + 2) % d.n, (k * 4 + 3) % d.n];
        const [xb, yb] = batch(d, ids);
        crossEntropy(model.call(xb), yb).backward();
        opt.step();
        opt.zeroGrad();
      });
    step(0); // creates the optimizer state
    const before = memory().numTensors;
    for (let k = 1; k < 1000; k++) step(k);
    expect(memory().numTensors).toBe(before);
    opt.dispose();
    model.dispose();
  });
});
