import '@mapnn/backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Generator, memory, setBackend, tensor, type Tensor } from '@mapnn/core';
import { Linear, ReLU, Sequential } from '@mapnn/layers';
import { Adam, SGD, StepLR } from '@mapnn/optimizers';
import { DataLoader, TensorDataset } from '@mapnn/data';
import {
  EarlyStopping, LRSchedulerCallback, ProgressStream, TerminateOnNaN, evaluate, fit, predict, resolveLoss,
  type Callback, type LossFn, type ProgressEvent, type TrainingContext,
} from './index.js';

beforeAll(() => setBackend('cpu'));

/** Two Gaussian blobs per class in 2-D, 3 classes (deterministic). */
function blobs(n: number, seed: number): { x: Tensor; y: Tensor } {
  const g = new Generator(seed);
  const xs: number[] = [];
  const ys: number[] = [];
  const centers = [[2, 0], [-1, 1.7], [-1, -1.7]];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    xs.push(centers[c]![0]! + g.nextNormal() * 0.5, centers[c]![1]! + g.nextNormal() * 0.5);
    ys.push(c);
  }
  return { x: tensor(xs, [n, 2]), y: tensor(ys, [n], 'int32') };
}

function mlp(seed: number) {
  const g = new Generator(seed);
  return new Sequential(new Linear(2, 16, { generator: g }), new ReLU(), new Linear(16, 3, { generator: g }));
}

const weightsOf = (m: { parameters(): Tensor[] }) => m.parameters().map((p) => Array.from(p.dataSync()));

describe('fit', () => {
  it('trains a classifier, reports history and metrics, and leaks no tensors', async () => {
    const data = blobs(300, 1);
    const model = mlp(2);
    const before = memory().numTensors;
    const history = await fit(model, data, {
      epochs: 8, optimizer: new Adam(model.parameters(), { lr: 0.05 }), loss: 'cross_entropy',
      metrics: ['accuracy'], batchSize: 32, validationSplit: 0.2, seed: 3,
    });
    expect(history.epochs).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(history.logs.loss![7]!).toBeLessThan(history.logs.loss![0]!);
    expect(history.logs.val_accuracy![7]!).toBeGreaterThan(0.95);
    // what remains is Adam's state: two moment tensors per parameter
    expect(memory().numTensors).toBe(before + 2 * model.parameters().length);
    const ev = await evaluate(model, data, { loss: 'cross_entropy', metrics: ['accuracy'] });
    expect(ev.accuracy).toBeGreaterThan(0.95);
    const out = await predict(model, data.x);
    expect(out.shape).toEqual([300, 3]);
    out.dispose();
  });

  it('is deterministic: same seed ⇒ bit-identical weights', async () => {
    const run = async () => {
      const model = mlp(5);
      await fit(model, blobs(120, 2), { epochs: 3, optimizer: new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }), loss: 'cross_entropy', seed: 11 });
      return weightsOf(model);
    };
    expect(await run()).toEqual(await run());
  });

  it('resuming from epoch k equals the uninterrupted run', async () => {
    const data = blobs(120, 4);
    const full = mlp(6);
    const optFull = new Adam(full.parameters(), { lr: 0.01 });
    await fit(full, data, { epochs: 4, optimizer: optFull, loss: 'cross_entropy', seed: 9 });
    // interrupted after 2 epochs: carry weights and optimizer state into fresh objects
    const a = mlp(6);
    const optA = new Adam(a.parameters(), { lr: 0.01 });
    const h = await fit(a, data, { epochs: 2, optimizer: optA, loss: 'cross_entropy', seed: 9 });
    const b = mlp(123);
    b.loadStateDict(a.stateDict());
    const optB = new Adam(b.parameters(), { lr: 0.01 });
    optB.loadStateDict(JSON.parse(JSON.stringify(optA.stateDict())));
    await fit(b, data, { epochs: 4, optimizer: optB, loss: 'cross_entropy', seed: 9, initialEpoch: 2, history: h });
    expect(weightsOf(b)).toEqual(weightsOf(full));
    expect(h.epochs).toEqual([0, 1, 2, 3]);
  });

  it('early stopping stops on a plateau and restores the best weights', async () => {
    const model = mlp(7);
    const es = new EarlyStopping({ monitor: 'loss', patience: 1, minDelta: 1e-4, restoreBestWeights: true });
    // lr 0 ⇒ the loss never improves after the first epoch
    const h = await fit(model, blobs(60, 5), { epochs: 20, optimizer: new SGD(model.parameters(), { lr: 0 }), loss: 'cross_entropy', callbacks: [es] });
    expect(h.epochs.length).toBe(3);
    expect(es.stoppedEpoch).toBe(2);
    expect(es.bestEpoch).toBe(0);
  });

  it('class weights scale the per-sample loss (Σ wᵢ·lossᵢ / N)', async () => {
    const model = mlp(8);
    const data = blobs(30, 6);
    const zero = await fit(model, data, { epochs: 1, optimizer: new SGD(model.parameters(), { lr: 0 }), loss: 'cross_entropy', classWeights: [0, 0, 0], shuffle: false });
    expect(zero.logs.loss![0]).toBe(0);
    const two = await fit(model, data, { epochs: 1, optimizer: new SGD(model.parameters(), { lr: 0 }), loss: 'cross_entropy', classWeights: [2, 2, 2], shuffle: false });
    const one = await fit(model, data, { epochs: 1, optimizer: new SGD(model.parameters(), { lr: 0 }), loss: 'cross_entropy', shuffle: false });
    expect(two.logs.loss![0]).toBeCloseTo(2 * one.logs.loss![0]!, 5);
  });

  it('emits progress events and steps an LR scheduler', async () => {
    const model = mlp(9);
    const opt = new SGD(model.parameters(), { lr: 0.1 });
    const progress = new ProgressStream();
    const events: ProgressEvent[] = [];
    progress.subscribe((e) => events.push(e));
    await fit(model, blobs(64, 7), {
      epochs: 2, optimizer: opt, loss: 'cross_entropy', batchSize: 16,
      callbacks: [progress, new LRSchedulerCallback(new StepLR(opt, { stepSize: 1, gamma: 0.5 }))],
    });
    expect(events.filter((e) => e.type === 'batch')).toHaveLength(8);
    expect(events[0]!.type).toBe('trainBegin');
    expect(events.at(-1)!.type).toBe('trainEnd');
    const b = events.find((e) => e.type === 'batch')!;
    expect(b.type === 'batch' && b.batchesPerEpoch).toBe(4);
    expect(opt.paramGroups[0]!.lr).toBeCloseTo(0.025, 12);
  });

  it('TerminateOnNaN stops at the first non-finite batch loss: that batch is the last one run', async () => {
    const model = mlp(10);
    const data = blobs(32, 10);
    const crossEntropy = resolveLoss('cross_entropy');
    let lossCalls = 0;
    // the 6th batch (epoch 1, batch 1) gives a NaN loss
    const loss: LossFn = (pred, target, o) => (++lossCalls === 6 ? crossEntropy(pred, target, o).mul(NaN) : crossEntropy(pred, target, o));
    const nan = new TerminateOnNaN();
    const batches: string[] = [];
    const epochEnds: number[] = [];
    let epoch = -1;
    const spy: Callback = { onEpochBegin: (e) => void (epoch = e), onBatchEnd: (b) => void batches.push(`${epoch}:${b}`), onEpochEnd: (e) => void epochEnds.push(e) };
    const before = memory().numTensors;
    const h = await fit(model, data, { epochs: 3, optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss, batchSize: 8, shuffle: false, callbacks: [nan, spy] });
    expect(lossCalls).toBe(6);
    expect(batches).toEqual(['0:0', '0:1', '0:2', '0:3', '1:0', '1:1']);
    expect([nan.stopped, nan.stoppedAtEpoch, nan.stoppedAtBatch, nan.loss]).toEqual([true, 1, 1, NaN]);
    expect(nan.message).toBe('TerminateOnNaN: the loss became NaN at epoch 1, batch 1 (0-based); training stopped');
    // the unfinished epoch is dropped: no onEpochEnd, no history entry
    expect(epochEnds).toEqual([0]);
    expect(h.epochs).toEqual([0]);
    expect(memory().numTensors).toBe(before);
  });

  it('any callback setting stopTraining in onBatchEnd stops an iterable before its next batch', async () => {
    const model = mlp(14);
    const data = blobs(32, 14);
    let drawn = 0;
    const source = {
      *[Symbol.iterator]() {
        for (let i = 0; i < 4; i++) {
          drawn++;
          yield [data.x.narrow(0, 8 * i, 8), data.y.narrow(0, 8 * i, 8)] as [Tensor, Tensor];
        }
      },
    };
    const stopper: Callback & { ctx?: TrainingContext } = {
      setContext(ctx) {
        this.ctx = ctx;
      },
      onBatchEnd(b) {
        if (b === 1) this.ctx!.stopTraining = true;
      },
    };
    const h = await fit(model, source, { epochs: 2, optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: 'cross_entropy', callbacks: [stopper] });
    expect(drawn).toBe(2);
    expect(h.epochs).toEqual([]);
  });

  it('accepts iterables of batches and accumulates gradients over micro-batches', async () => {
    const data = blobs(32, 8);
    const big = mlp(11);
    await fit(big, [[data.x, data.y]], { epochs: 1, optimizer: new SGD(big.parameters(), { lr: 0.5 }), loss: 'cross_entropy', shuffle: false });
    const small = mlp(11);
    const halves = [[data.x.narrow(0, 0, 16), data.y.narrow(0, 0, 16)], [data.x.narrow(0, 16, 16), data.y.narrow(0, 16, 16)]] as [Tensor, Tensor][];
    await fit(small, halves, { epochs: 1, optimizer: new SGD(small.parameters(), { lr: 0.5 }), loss: 'cross_entropy', accumulate: 2, shuffle: false });
    weightsOf(small).forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(weightsOf(big)[i]![j]!, 6)));
  });

  it('passes the batch input to a custom loss, in training and in validation', async () => {
    const data = blobs(64, 14);
    const g = new Generator(15);
    const model = new Linear(2, 1, { generator: g });
    const seen: number[][] = [];
    // the target is ignored: the model must learn x ↦ x₀ + x₁, which only the input defines
    const loss: LossFn = (pred, _y, { input }) => {
      seen.push([...input!.shape]);
      return pred.reshape([-1]).sub(input!.sum(1)).square().mean();
    };
    const h = await fit(model, data, {
      epochs: 30, optimizer: new Adam(model.parameters(), { lr: 0.05 }), loss, batchSize: 16, validationData: blobs(20, 16),
    });
    const w = Array.from(model.weight.dataSync());
    expect(w[0]!).toBeCloseTo(1, 1);
    expect(w[1]!).toBeCloseTo(1, 1);
    expect(h.logs.val_loss!.at(-1)!).toBeLessThan(0.01);
    expect(seen).toContainEqual([16, 2]); // training batches
    expect(seen).toContainEqual([4, 2]); // the last validation batch (20 = 16 + 4; training has 4 full batches)
  });

  it('trains from a @mapnn/data DataLoader (async iteration, prefetch) without leaking', async () => {
    const data = blobs(96, 12);
    const loader = new DataLoader(new TensorDataset({ x: data.x, y: data.y }), { batchSize: 16, shuffle: true, seed: 1 });
    const model = mlp(13);
    const before = memory().numTensors;
    const h = await fit(model, loader, { epochs: 3, optimizer: new SGD(model.parameters(), { lr: 0.2 }), loss: 'cross_entropy', metrics: ['accuracy'] });
    expect(h.logs.accuracy![2]!).toBeGreaterThan(0.9);
    expect(memory().numTensors).toBe(before);
  });
});
