import '../test/setup.js';
import { describe, expect, it } from 'vitest';
import { memory, mul, noGrad, sum, tidy, type Tensor } from '@mapnn/core';
import {
  AdaptiveAvgPool2d,
  AvgPool1d,
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv1d,
  Conv2d,
  ConvTranspose2d,
  DenseBlock,
  ELU,
  Embedding,
  Flatten,
  GELU,
  GlobalAvgPool2d,
  GroupNorm,
  LayerNorm,
  LeakyReLU,
  Linear,
  LogSoftmax,
  MaxPool1d,
  MaxPool2d,
  PReLU,
  ReLU,
  ResidualBlock,
  SELU,
  SeparableConv2d,
  Sequential,
  Sigmoid,
  SiLU,
  Softmax,
  Softplus,
  Tanh,
  type Module,
} from './index.js';
import { assertClose, decode, readFixture, type Encoded } from '../test/golden.js';

interface Case {
  name: string;
  train: boolean;
  params: Record<string, Encoded>;
  buffers: Record<string, Encoded>;
  input: Encoded;
  r: Encoded;
  out: Encoded;
  gradInput: Encoded | null;
  gradParams: Record<string, Encoded>;
  buffersAfter: Record<string, Encoded>;
}

interface Fixture {
  cases: Case[];
  transferCnn: { stateDict: Record<string, Encoded>; input: Encoded; out: Encoded };
}

const fixture = readFixture<Fixture>('basic.json');

/** The mapnn module of each golden case (same hyper-parameters as the PyTorch script). */
const factories: Record<string, () => Module> = {
  linear: () => new Linear(5, 3),
  linear_nobias: () => new Linear(5, 3, { bias: false }),
  conv1d: () => new Conv1d(3, 4, 3, { stride: 2, padding: 1 }),
  conv1d_same_dilated: () => new Conv1d(2, 3, 3, { padding: 'same', dilation: 2 }),
  conv2d: () => new Conv2d(3, 4, 3, { stride: 2, padding: 1 }),
  conv2d_same_dilated: () => new Conv2d(2, 3, 3, { padding: 'same', dilation: 2 }),
  conv2d_depthwise: () => new Conv2d(4, 8, 3, { padding: 1, groups: 4 }),
  conv2d_grouped_rect: () => new Conv2d(4, 6, [3, 2], { stride: [1, 2], groups: 2, bias: false }),
  separable_conv2d: () => new SeparableConv2d(3, 5, 3, { padding: 1 }),
  conv_transpose2d: () => new ConvTranspose2d(3, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }),
  conv_transpose2d_groups: () => new ConvTranspose2d(4, 6, 2, { stride: 2, groups: 2 }),
  max_pool1d: () => new MaxPool1d(3, { stride: 2, padding: 1 }),
  max_pool2d: () => new MaxPool2d(2),
  max_pool2d_pad: () => new MaxPool2d(3, { stride: 2, padding: 1 }),
  avg_pool1d: () => new AvgPool1d(2),
  avg_pool2d: () => new AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }),
  adaptive_avg_pool2d: () => new AdaptiveAvgPool2d([2, 3]),
  global_avg_pool2d: () => new GlobalAvgPool2d(),
  flatten: () => new Flatten(),
  batch_norm1d_train: () => new BatchNorm1d(3),
  batch_norm1d_3d_train: () => new BatchNorm1d(3, { momentum: 0.3 }),
  batch_norm1d_eval: () => new BatchNorm1d(3),
  batch_norm2d_train: () => new BatchNorm2d(3),
  batch_norm2d_eval: () => new BatchNorm2d(3),
  batch_norm2d_cma_train: () => new BatchNorm2d(2, { momentum: null }),
  batch_norm2d_noaffine_train: () => new BatchNorm2d(2, { affine: false }),
  batch_norm2d_nostats_eval: () => new BatchNorm2d(2, { trackRunningStats: false }),
  layer_norm: () => new LayerNorm(4),
  layer_norm_2d: () => new LayerNorm([3, 4], { eps: 1e-3 }),
  layer_norm_noaffine: () => new LayerNorm(5, { elementwiseAffine: false }),
  group_norm: () => new GroupNorm(2, 4),
  group_norm_1d: () => new GroupNorm(3, 6, { eps: 1e-4 }),
  embedding: () => new Embedding(10, 3),
  embedding_padding: () => new Embedding(6, 3, { paddingIdx: 1 }),
  relu: () => new ReLU(),
  leaky_relu: () => new LeakyReLU(0.2),
  prelu: () => new PReLU(),
  prelu_channels: () => new PReLU(3, 0.1),
  elu: () => new ELU(0.5),
  selu: () => new SELU(),
  gelu: () => new GELU(),
  gelu_tanh: () => new GELU('tanh'),
  sigmoid: () => new Sigmoid(),
  tanh: () => new Tanh(),
  softmax: () => new Softmax(1),
  log_softmax: () => new LogSoftmax(0),
  softplus: () => new Softplus(2, 1),
  silu: () => new SiLU(),
  residual_block_identity_train: () => new ResidualBlock(3, 3),
  residual_block_projection_train: () => new ResidualBlock(2, 4, { stride: 2 }),
  residual_block_projection_eval: () => new ResidualBlock(2, 4, { stride: 2 }),
  dense_block_train: () => new DenseBlock(2, 3, 2),
};

describe('golden values vs PyTorch 1.13 (fixtures/basic.json)', () => {
  it('covers every case of the fixture', () => {
    expect(fixture.cases.map((c) => c.name).sort()).toEqual(Object.keys(factories).sort());
  });

  for (const c of fixture.cases) {
    it(`${c.name}: forward, gradients${Object.keys(c.buffersAfter).length ? ', buffers' : ''}`, () => {
      const before = memory().numTensors;
      const m = factories[c.name]!();
      m.loadStateDict({ ...c.params, ...c.buffers });
      m.train(c.train);
      tidy(() => {
        const x = decode(c.input);
        if (c.gradInput) x.requiresGrad_();
        const out = m.call(x) as Tensor;
        assertClose(out, c.out, `${c.name} output`);
        sum(mul(out, decode(c.r))).backward();
        if (c.gradInput) assertClose(x.grad!, c.gradInput, `${c.name} d/dinput`);
        const params = Object.fromEntries(m.namedParameters());
        for (const [k, g] of Object.entries(c.gradParams)) {
          expect(params[k], `${c.name}: parameter ${k}`).toBeDefined();
          assertClose(params[k]!.grad!, g, `${c.name} d/d${k}`);
        }
        const buffers = Object.fromEntries(m.namedBuffers());
        expect(Object.keys(buffers).sort()).toEqual(Object.keys(c.buffersAfter).sort());
        for (const [k, b] of Object.entries(c.buffersAfter)) assertClose(buffers[k]!, b, `${c.name} buffer ${k}`);
      });
      m.zeroGrad();
      m.dispose();
      expect(memory().numTensors).toBe(before);
    });
  }
});

describe('transfer learning: a PyTorch state_dict in a mapnn Sequential', () => {
  it('loads a trained Conv-BN-ReLU-Pool-Flatten-Linear and gives the same outputs', () => {
    const { stateDict, input, out } = fixture.transferCnn;
    const model = new Sequential(new Conv2d(1, 4, 3, { padding: 1 }), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(64, 3));
    expect(Object.keys(model.stateDict()).sort()).toEqual(Object.keys(stateDict).sort());
    const res = model.loadStateDict(stateDict);
    expect(res).toEqual({ missing: [], unexpected: [] });
    expect(model.stateDict()['1.num_batches_tracked']!.item()).toBe(5);
    model.eval();
    tidy(() => noGrad(() => assertClose(model.call(decode(input)), out, 'transfer CNN output')));
    model.dispose();
  });
});
