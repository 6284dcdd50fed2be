import '@mapnn/backend-cpu';
import { Generator, randn, tensor, type Tensor } from '@mapnn/core';
import { BatchNorm2d, Conv2d, Flatten, LSTM, Linear, MaxPool2d, type Module, ReLU, ResidualBlock, Sequential, GlobalAvgPool2d } from '@mapnn/layers';
import { describe, expect, it } from 'vitest';
import { l1Unstructured } from '../pruning/l1-unstructured.js';
import { planChannelPruning, pruneChannels, type PruneChannelsOptions } from './prune-channels.js';
import { rowNorms } from './channel-importance.js';

const cnn = (seed: number) => {
  const g = new Generator(seed);
  return new Sequential(
    new Conv2d(1, 8, 3, { generator: g }), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
    new Conv2d(8, 6, 3, { generator: g }), new ReLU(),
    new Flatten(), new Linear(6 * 2 * 2, 12, { generator: g }), new ReLU(), new Linear(12, 4, { generator: g }),
  );
};

const resnet = (seed: number) => {
  const g = new Generator(seed);
  return new Sequential(
    new Conv2d(2, 8, 3, { padding: 1, generator: g }), new BatchNorm2d(8), new ReLU(),
    new ResidualBlock(8, 8, { generator: g }),
    new ResidualBlock(8, 12, { stride: 2, generator: g }),
    new GlobalAvgPool2d(), new Linear(12, 3, { generator: g }),
  );
};

/** Random BatchNorm affine parameters and running statistics, so that the test covers them. */
function randomiseBatchNorms(model: Module<any, any>, seed: number): void {
  const g = new Generator(seed);
  for (const m of model.modules()) {
    if (!(m instanceof BatchNorm2d)) continue;
    const n = m.numFeatures;
    m.loadStateDict({
      weight: randn([n], { generator: g }), bias: randn([n], { generator: g }),
      running_mean: randn([n], { generator: g }), running_var: randn([n], { generator: g }).abs().add(0.5),
      num_batches_tracked: m.num_batches_tracked!,
    });
  }
}

/** Zeroes the removed channels in place of removing them: producer rows and bias, BatchNorm weight and bias. */
function zeroRemovedChannels(model: Module<any, any>, options: PruneChannelsOptions): void {
  const state = model.stateDict();
  const update: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
  const zeroRows = (key: string, keep: Set<number>) => {
    const t = state[key];
    if (!t) return;
    const data = Float32Array.from(t.dataSync() as Float32Array);
    const width = data.length / t.shape[0]!;
    for (let r = 0; r < t.shape[0]!; r++) if (!keep.has(r)) data.fill(0, r * width, (r + 1) * width);
    update[key] = { shape: t.shape, data };
  };
  for (const { group, keep } of planChannelPruning(model, options).groups) {
    const kept = new Set(keep);
    for (const { name } of [...group.producers, ...group.followers]) {
      zeroRows(`${name}.weight`, kept);
      zeroRows(`${name}.bias`, kept);
    }
  }
  model.loadStateDict(update, { strict: false });
}

function expectSameOutputs(pruned: Module<any, any>, masked: Module<any, any>, input: Tensor): void {
  pruned.eval();
  masked.eval();
  const a = pruned.call(input).dataSync();
  const b = masked.call(input).dataSync();
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(Number(a[i]) - Number(b[i]))).toBeLessThan(1e-5 * (1 + Math.abs(Number(b[i]))));
}

const params = (m: Module<any, any>) => m.parameters().reduce((s, p) => s + p.size, 0);

describe('pruneChannels', () => {
  it('shrinks a conv → BatchNorm → flatten → linear chain to what zeroing the channels computes', () => {
    const options: PruneChannelsOptions = { amount: 0.5, norm: 'l2', exampleInput: [2, 1, 10, 10] };
    const pruned = cnn(1);
    const masked = cnn(1);
    randomiseBatchNorms(pruned, 7);
    randomiseBatchNorms(masked, 7);
    zeroRemovedChannels(masked, options);
    const report = pruneChannels(pruned, options);
    expect(report.groups.map((g) => [g.layers.join('+'), g.before, g.after])).toEqual([['0', 8, 4], ['4', 6, 3], ['7', 12, 6]]);
    const conv1 = pruned.at(0) as Conv2d;
    const bn = pruned.at(1) as BatchNorm2d;
    const conv2 = pruned.at(4) as Conv2d;
    const fc1 = pruned.at(7) as Linear;
    const fc2 = pruned.at(9) as Linear;
    expect(conv1.weight.shape).toEqual([4, 1, 3, 3]);
    expect([bn.numFeatures, bn.running_mean!.shape[0], bn.running_var!.shape[0], bn.weight!.shape[0]]).toEqual([4, 4, 4, 4]);
    expect(conv2.weight.shape).toEqual([3, 4, 3, 3]);
    expect(fc1.weight.shape).toEqual([6, 12]); // 3 channels × 2·2 flattened columns
    expect(fc2.weight.shape).toEqual([4, 6]);
    const before = (8 * 9 + 8) + 8 * 2 + (8 * 6 * 9 + 6) + (24 * 12 + 12) + (12 * 4 + 4);
    expect(report.parametersBefore).toBe(before);
    expect(report.parametersAfter).toBe(params(pruned));
    expect(report.parametersAfter).toBe((4 * 9 + 4) + 4 * 2 + (3 * 4 * 9 + 3) + (12 * 6 + 6) + (6 * 4 + 4));
    expect(report.table).toContain('parameters');
    expectSameOutputs(pruned, masked, randn([5, 1, 10, 10], { generator: new Generator(3) }));
  });

  it('keeps the BatchNorm running statistics of the kept channels', () => {
    const model = cnn(2);
    randomiseBatchNorms(model, 11);
    const bn = model.at(1) as BatchNorm2d;
    const mean = Array.from(bn.running_mean!.dataSync());
    const variance = Array.from(bn.running_var!.dataSync());
    const { keep } = planChannelPruning(model, { amount: 0.25, exampleInput: [1, 1, 10, 10] }).groups[0]!;
    pruneChannels(model, { amount: 0.25, exampleInput: [1, 1, 10, 10] });
    expect(Array.from(bn.running_mean!.dataSync())).toEqual(keep.map((c) => mean[c]));
    expect(Array.from(bn.running_var!.dataSync())).toEqual(keep.map((c) => variance[c]));
  });

  it('removes the channels with the smallest L1 or L2 norm', () => {
    const model = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
    // rows: L1 norms 4, 3, 3.2 and L2 norms 4, 2.12, 3.2 → L1 keeps rows 0 and 2; L2 also 0 and 2
    // a row [1.5, 1.5] (L1 3, L2 2.12) vs [0, 2.9] (L1 2.9, L2 2.9): the norms disagree
    model.at(0).loadStateDict({ weight: tensor([[4, 0], [1.5, 1.5], [0, 2.9]]), bias: tensor([0, 0, 0]) });
    expect(planChannelPruning(model, { amount: 0.34, norm: 'l1', exampleInput: [1, 2] }).groups[0]!.keep).toEqual([0, 1]);
    expect(planChannelPruning(model, { amount: 0.34, norm: 'l2', exampleInput: [1, 2] }).groups[0]!.keep).toEqual([0, 2]);
    expect(Array.from(rowNorms(tensor([[3, -4]]), 'l2'))).toEqual([5]);
  });

  it('prunes residual partners together (identity and projection shortcuts)', () => {
    const options: PruneChannelsOptions = { amount: 0.5, norm: 'l1', exampleInput: [1, 2, 8, 8] };
    const pruned = resnet(4);
    const masked = resnet(4);
    randomiseBatchNorms(pruned, 5);
    randomiseBatchNorms(masked, 5);
    zeroRemovedChannels(masked, options);
    const report = pruneChannels(pruned, options);
    const layers = report.groups.map((g) => [...g.layers].sort().join('+'));
    expect(layers).toContain('0+3.conv2'); // the stem and the first block's branch share the identity sum
    expect(layers).toContain('4.conv2+4.downsample.0'); // branch and projection shortcut
    const block = pruned.at(4) as ResidualBlock;
    expect(block.conv1.weight.shape).toEqual([6, 4, 3, 3]);
    expect((block.downsample!.at(0) as Conv2d).weight.shape).toEqual([6, 4, 1, 1]);
    expect((pruned.at(6) as Linear).weight.shape).toEqual([3, 6]);
    expect(report.parametersAfter).toBe(params(pruned));
    expectSameOutputs(pruned, masked, randn([3, 2, 8, 8], { generator: new Generator(9) }));
  });

  it('refuses unsupported graphs by layer name, before changing anything', () => {
    const g = new Generator(0);
    const model = new Sequential(new Linear(4, 8, { generator: g }), new LSTM(8, 4, { generator: g }));
    expect(() => pruneChannels(model, { amount: 0.5, exampleInput: [1, 4] })).toThrow(/layer '1' \(LSTM\)/);
    expect((model.at(0) as Linear).weight.shape).toEqual([8, 4]);
    const grouped = new Sequential(new Conv2d(2, 4, 3, { groups: 2, generator: g }), new ReLU());
    expect(() => pruneChannels(grouped, { amount: 0.5, exampleInput: [1, 2, 5, 5] })).toThrow(/layer '0' \(Conv2d\): grouped convolution/);
    expect(() => pruneChannels(cnn(0), { amount: 1, exampleInput: [1, 1, 10, 10] })).toThrow(/amount must be a fraction in \[0, 1\)/);
    const masked = cnn(0);
    l1Unstructured(masked.at(0), { amount: 0.5 });
    expect(() => pruneChannels(masked, { amount: 0.5, exampleInput: [1, 1, 10, 10] })).toThrow(/layer '0' \(Conv2d\).*removePruning/);
  });
});
