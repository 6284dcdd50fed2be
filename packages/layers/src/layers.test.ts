import '../test/setup.js';
import { describe, expect, it } from 'vitest';
import { Generator, memory, ones, randn, sum, tensor, tidy, zeros } from '@mapnn/core';
import {
  AdaptiveAvgPool2d,
  AvgPool1d,
  BatchNorm1d,
  BatchNorm2d,
  Conv1d,
  Conv2d,
  ConvTranspose2d,
  DenseBlock,
  Dropout,
  Embedding,
  Flatten,
  GlobalAvgPool2d,
  GroupNorm,
  LayerNorm,
  Linear,
  MaxPool1d,
  MaxPool2d,
  PReLU,
  ReLU,
  ResidualBlock,
  SeparableConv2d,
  Sequential,
} from './index.js';

describe('Dropout', () => {
  it('is seeded, scales survivors by 1/(1−p), and is the identity in eval mode', () => {
    tidy(() => {
      const x = ones([2000]);
      const a = Array.from(new Dropout(0.3, { generator: new Generator(5) }).call(x).dataSync());
      const b = Array.from(new Dropout(0.3, { generator: new Generator(5) }).call(x).dataSync());
      expect(a).toEqual(b);
      const kept = a.filter((v) => v !== 0);
      expect(new Set(kept.map((v) => v.toFixed(5)))).toEqual(new Set([(1 / 0.7).toFixed(5)]));
      expect(kept.length / a.length).toBeGreaterThan(0.65);
      expect(kept.length / a.length).toBeLessThan(0.75);
      const d = new Dropout(0.5).eval();
      expect(Array.from(d.call(x).dataSync()).every((v) => v === 1)).toBe(true);
      expect(() => new Dropout(1.5)).toThrow(/p must be in \[0, 1\]/);
    });
  });

  it('passes the gradient through the same mask', () => {
    tidy(() => {
      const x = ones([50]).requiresGrad_();
      const y = new Dropout(0.5, { generator: new Generator(1) }).call(x);
      sum(y).backward();
      expect(Array.from(x.grad!.dataSync())).toEqual(Array.from(y.dataSync()));
    });
  });
});

describe('Embedding', () => {
  it('looks up rows for any index shape; the padding row gets no gradient', () => {
    const e = new Embedding(5, 2, { paddingIdx: 0, generator: new Generator(0) });
    tidy(() => {
      const idx = tensor([[0, 2], [2, 4]], undefined, 'int32');
      const out = e.call(idx);
      expect(out.shape).toEqual([2, 2, 2]);
      const w = e.weight.dataSync();
      expect(Array.from(out.dataSync()).slice(2, 4)).toEqual([w[4], w[5]]);
      sum(out).backward();
      expect(Array.from(e.weight.grad!.dataSync())).toEqual([0, 0, 0, 0, 2, 2, 0, 0, 1, 1]);
      expect(() => e.call(tensor([1.5]))).toThrow(/int32 or int64/);
    });
    expect(() => new Embedding(3, 2, { paddingIdx: 3 })).toThrow(/paddingIdx/);
    e.dispose();
  });
});

describe('shapes and options', () => {
  it('conv, pooling and reshaping layers', () => {
    tidy(() => {
      expect(new Conv2d(3, 8, 3, { padding: 'same', dilation: 2 }).call(zeros([1, 3, 9, 9])).shape).toEqual([1, 8, 9, 9]);
      expect(new Conv2d(4, 4, 3, { groups: 4 }).weight.shape).toEqual([4, 1, 3, 3]);
      expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow(/divisible by groups/);
      expect(new Conv1d(2, 4, 5, { stride: 2 }).call(zeros([3, 2, 11])).shape).toEqual([3, 4, 4]);
      expect(new ConvTranspose2d(4, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }).call(zeros([1, 4, 5, 5])).shape).toEqual([1, 2, 10, 10]);
      const sep = new SeparableConv2d(8, 16, 3, { padding: 1 });
      expect(sep.numParameters()).toBe(8 * 9 + 16 * 8 + 16);
      expect(sep.call(zeros([1, 8, 6, 6])).shape).toEqual([1, 16, 6, 6]);
      expect(new MaxPool2d(2).call(zeros([1, 2, 5, 5])).shape).toEqual([1, 2, 2, 2]);
      expect(new MaxPool2d(2, { ceilMode: true }).call(zeros([1, 2, 5, 5])).shape).toEqual([1, 2, 3, 3]);
      expect(new MaxPool1d(2).call(zeros([1, 2, 7])).shape).toEqual([1, 2, 3]);
      expect(new AvgPool1d(3, { stride: 1 }).call(zeros([1, 2, 7])).shape).toEqual([1, 2, 5]);
      expect(new AdaptiveAvgPool2d(1).call(zeros([2, 3, 5, 6])).shape).toEqual([2, 3, 1, 1]);
      expect(new GlobalAvgPool2d().call(zeros([2, 3, 5, 6])).shape).toEqual([2, 3]);
      expect(new GlobalAvgPool2d({ keepDims: true }).call(zeros([2, 3, 5, 6])).shape).toEqual([2, 3, 1, 1]);
      expect(new Flatten().call(zeros([2, 3, 4])).shape).toEqual([2, 12]);
      expect(new Flatten(0).call(zeros([2, 3, 4])).shape).toEqual([24]);
      expect(new Linear(4, 3).call(zeros([2, 5, 4])).shape).toEqual([2, 5, 3]);
    });
  });

  it('norm layers validate their input', () => {
    tidy(() => {
      expect(() => new BatchNorm2d(3).call(zeros([2, 3, 4]))).toThrow(/4-D input/);
      expect(() => new BatchNorm1d(3).call(zeros([2, 4]))).toThrow(/expected 3 channels/);
      expect(() => new LayerNorm([3, 4]).call(zeros([2, 4, 3]))).toThrow(/normalizedShape/);
      expect(() => new GroupNorm(3, 4)).toThrow(/divisible/);
      expect(() => new PReLU(3).call(zeros([2, 4]))).toThrow(/channels/);
      // trackRunningStats false: no buffers, batch statistics in eval too
      const bn = new BatchNorm2d(2, { trackRunningStats: false });
      expect(bn.buffers()).toEqual([]);
      bn.eval();
      const y = bn.call(randn([4, 2, 3, 3]));
      expect(Math.abs(sum(y).item())).toBeLessThan(1e-3);
    });
  });

  it('ResidualBlock: identity or projection shortcut; DenseBlock concatenates', () => {
    tidy(() => {
      const same = new ResidualBlock(4, 4);
      expect(same.downsample).toBeNull();
      expect(same.call(randn([2, 4, 6, 6])).shape).toEqual([2, 4, 6, 6]);
      const proj = new ResidualBlock(4, 8, { stride: 2 });
      expect(Object.keys(proj.stateDict())).toContain('downsample.0.weight');
      expect(Object.keys(proj.stateDict())).toContain('downsample.1.running_var');
      expect(proj.call(randn([2, 4, 6, 6])).shape).toEqual([2, 8, 3, 3]);
      const out = proj.call(randn([2, 4, 6, 6]));
      expect(Math.min(...out.dataSync())).toBeGreaterThanOrEqual(0); // final ReLU
      const dense = new DenseBlock(3, 4, 5);
      expect(dense.outChannels).toBe(19);
      const x = randn([2, 4, 5, 5]);
      const y = dense.call(x);
      expect(y.shape).toEqual([2, 19, 5, 5]);
      // the block's input is passed through unchanged as its first channels
      expect(Array.from(y.slice([0, 0], [1, 4], [0, 1]).dataSync())).toEqual(Array.from(x.slice([0], [1], [0]).dataSync()));
      expect(dense.layers.at(2).conv.weight.shape).toEqual([5, 14, 3, 3]);
      for (const m of [same, proj, dense]) m.dispose();
    });
  });
});

describe('memory', () => {
  it('a training step of a CNN under tidy leaves only the gradients behind', () => {
    const model = new Sequential(
      new Conv2d(1, 2, 3, { padding: 1 }),
      new BatchNorm2d(2),
      new ReLU(),
      new ResidualBlock(2, 4, { stride: 2 }),
      new DenseBlock(1, 4, 2),
      new GlobalAvgPool2d(),
      new Linear(6, 2),
    );
    const before = memory().numTensors;
    tidy(() => sum(model.call(randn([2, 1, 8, 8]))).backward());
    expect(memory().numTensors).toBe(before + model.parameters().length);
    model.zeroGrad();
    expect(memory().numTensors).toBe(before);
    model.dispose();
  });
});
