// Learning tests (behaviour, not timing) of the sequence layers: an LSTM solves the adding
// problem, a one-layer Transformer encoder learns to reverse short sequences.
import '../test/setup.js';
import {
  add,
  argmax,
  eq,
  Generator,
  indexSelect,
  logSoftmax,
  manualSeed,
  mean,
  memory,
  mul,
  neg,
  noGrad,
  oneHot,
  randn,
  reshape,
  square,
  sub,
  sum,
  tensor,
  tidy,
  type Tensor,
} from '@mapnn/core';
import { describe, expect, it } from 'vitest';
import { Linear } from './linear.js';
import { LSTM } from './lstm.js';
import { Module, parameter } from './module.js';
import { TransformerEncoderLayer } from './transformer-encoder-layer.js';
import { TinyAdam } from '../test/tiny-adam.js';
import { mulberry32 as rng } from '@mapnn/config/random';

const log = (...a: unknown[]) => {
  if (process.env.SEQ_LEARN_LOG) console.log(...a);
};

// ------------------------------------------------------------------ adding problem
const T = 50;

/**
 * x [len, N, 2] (value, marker) time-major, y [N, 1]: the sum of the two marked values, one
 * marker in each half of the sequence.
 */
function addingBatch(n: number, next: () => number, len = T): [Tensor, Tensor] {
  const x = new Float32Array(len * n * 2);
  const y = new Float32Array(n);
  const half = Math.floor(len / 2);
  for (let b = 0; b < n; b++) {
    const i = Math.floor(next() * half);
    const j = half + Math.floor(next() * (len - half));
    for (let t = 0; t < len; t++) {
      const v = next();
      x[(t * n + b) * 2] = v;
      if (t === i || t === j) {
        x[(t * n + b) * 2 + 1] = 1;
        y[b]! += v;
      }
    }
  }
  return [tensor(x, [len, n, 2]), tensor(y, [n, 1])];
}

class Adder extends Module<[Tensor], Tensor> {
  lstm: LSTM;
  head: Linear;
  constructor(readonly hidden: number, g: Generator) {
    super();
    this.lstm = new LSTM(2, hidden, { generator: g });
    this.head = new Linear(hidden, 1, { generator: g });
  }
  forward(x: Tensor): Tensor {
    const [, [h]] = this.lstm.call(x);
    return this.head.call(reshape(h, [x.shape[1]!, this.hidden]));
  }
}

// ------------------------------------------------------------------ sequence reversal
const LEN = 6;
const VOCAB = 8;

/** Token embedding (a private stand-in: [vocab, dim] table looked up with indexSelect). */
class TokenEmbedding extends Module<[Tensor], Tensor> {
  weight: Tensor;
  constructor(vocab: number, readonly dim: number) {
    super();
    this.weight = parameter(randn([vocab, dim], { generator: new Generator(5) }));
  }
  forward(ids: Tensor): Tensor {
    return reshape(indexSelect(this.weight, 0, reshape(ids, [-1])), [...ids.shape, this.dim]);
  }
}

class Reverser extends Module<[Tensor], Tensor> {
  embed: TokenEmbedding;
  pos: Tensor;
  encoder: TransformerEncoderLayer;
  out: Linear;
  constructor(readonly dModel: number) {
    super();
    const g = new Generator(9);
    this.embed = new TokenEmbedding(VOCAB, dModel);
    this.pos = parameter(mul(randn([LEN, dModel], { generator: g }), 0.5)); // learned positions
    this.encoder = new TransformerEncoderLayer(dModel, 4, { dimFeedforward: 64, dropout: 0, batchFirst: true, generator: g });
    this.out = new Linear(dModel, VOCAB, { generator: g });
  }
  /** ids [N, LEN] (int32) → logits [N, LEN, VOCAB]. */
  forward(ids: Tensor): Tensor {
    return this.out.call(this.encoder.call(add(this.embed.call(ids), this.pos)));
  }
}

function reverseBatch(n: number, next: () => number): [Tensor, Tensor] {
  const x = new Int32Array(n * LEN);
  const y = new Int32Array(n * LEN);
  for (let b = 0; b < n; b++) {
    for (let t = 0; t < LEN; t++) x[b * LEN + t] = Math.floor(next() * VOCAB);
    for (let t = 0; t < LEN; t++) y[b * LEN + t] = x[b * LEN + LEN - 1 - t]!;
  }
  return [tensor(x, [n, LEN], 'int32'), tensor(y, [n, LEN], 'int32')];
}

describe('sequence layers learn', () => {
  it('an LSTM solves the adding problem (T = 50) to test MSE < 0.01', () => {
    manualSeed(1);
    const hidden = 16;
    const batch = 32;
    // Curriculum: the gating solution is found quickly on short sequences (and steps are cheap
    // there), then refined on longer ones; the test uses T = 50 only.
    const schedule: [len: number, steps: number][] = [
      [10, 400],
      [20, 100],
      [35, 100],
      [50, 200],
    ];
    const total = schedule.reduce((a, [, n]) => a + n, 0);
    const model = new Adder(hidden, new Generator(2));
    // forget-gate bias 1 (a standard LSTM init trick; gates ordered i, f, g, o)
    noGrad(() => {
      const b = model.lstm.stateDict().bias_hh_l0!;
      const v = Float32Array.from(b.dataSync());
      for (let k = hidden; k < 2 * hidden; k++) v[k] = 1;
      const t = tensor(v, b.shape);
      b.assign(t);
      t.dispose();
    });
    const opt = new TinyAdam(model.parameters(), { lr: 1e-2, clipNorm: 1 });
    const next = rng(123);
    const mse = (x: Tensor, y: Tensor) => mean(square(sub(model.call(x), y)));
    const t0 = Date.now();
    let ema = 0.17;
    let s = 0;
    for (const [len, n] of schedule) {
      for (let k = 0; k < n; k++) {
        s++;
        const l = tidy(() => {
          const [x, y] = addingBatch(batch, next, len);
          const loss = mse(x, y);
          loss.backward();
          return loss.item();
        });
        opt.step();
        ema = 0.95 * ema + 0.05 * l;
        if (s % 50 === 0) log(`adding step ${s} (T=${len}): loss ${ema.toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
        if (s === Math.floor(total * 0.85)) opt.lr /= 3;
      }
    }
    const test = tidy(() => {
      const [x, y] = addingBatch(500, rng(999));
      return noGrad(() => mse(x, y).item());
    });
    log(`adding: test MSE ${test.toFixed(5)} (T=${T}) after ${total} steps, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    expect(test).toBeLessThan(0.01);
    opt.dispose();
    model.dispose();
  }, 180_000);

  it('a one-layer Transformer encoder learns to reverse sequences (held-out token accuracy ≥ 95 %)', () => {
    manualSeed(4);
    const model = new Reverser(32);
    const opt = new TinyAdam(model.parameters(), { lr: 3e-3 });
    const next = rng(77);
    const steps = 200;
    const nll = (logits: Tensor, y: Tensor) => neg(mean(sum(mul(logSoftmax(logits, -1), oneHot(y, VOCAB)), -1)));
    const t0 = Date.now();
    const before = memory().numTensors;
    for (let s = 1; s <= steps; s++) {
      const l = tidy(() => {
        const [x, y] = reverseBatch(64, next);
        const loss = nll(model.call(x), y);
        loss.backward();
        return loss.item();
      });
      opt.step();
      if (s % 50 === 0) log(`reverse step ${s}: loss ${l.toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
    expect(memory().numTensors).toBe(before);
    model.eval();
    const acc = tidy(() => {
      const [x, y] = reverseBatch(500, rng(4242));
      return noGrad(() => mean(eq(argmax(model.call(x), -1), y).cast('float32')).item());
    });
    log(`reverse: held-out token accuracy ${(acc * 100).toFixed(1)} % after ${steps} steps, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    expect(acc).toBeGreaterThanOrEqual(0.95);
    opt.dispose();
    model.dispose();
  }, 180_000);
});
