// Every layer of @mapnn/layers, each in a tiny model, exported at opsets 13 and 17 and run in
// ONNX Runtime at the sample's batch size and another one (the batch dim is dynamic).
import '@mapnn/backend-cpu';
import { Generator, add, gt, manualSeed, narrow, noGrad, randint, randn, setBackend, tidy, type Tensor } from '@mapnn/core';
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
  Dropout,
  ELU,
  Embedding,
  Flatten,
  GELU,
  GRU,
  GlobalAvgPool2d,
  GroupNorm,
  LSTM,
  LayerNorm,
  LeakyReLU,
  Linear,
  LogSoftmax,
  MaxPool1d,
  MaxPool2d,
  Module,
  MultiHeadAttention,
  PReLU,
  RNN,
  ReLU,
  ResidualBlock,
  SELU,
  SeparableConv2d,
  Sequential,
  SiLU,
  Sigmoid,
  Softmax,
  Softplus,
  Tanh,
  TransformerEncoder,
  TransformerEncoderLayer,
  causalMask,
} from '@mapnn/layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeModelProto } from '../proto/decode.js';
import type { ExportOnnxOptions } from './export.js';
import { compareWithOrt } from '../../test/export-ort.js';

interface Case {
  name: string;
  make: () => Module<any, any>;
  /** Input sets: the first is the export sample, the others run with other batch sizes. */
  inputs: () => Tensor[][];
  /** Op types the exported graph must contain (module-level export), per opset when a function. */
  ops?: string[] | ((opset: number) => string[]);
  options?: ExportOnnxOptions;
}

const g = () => new Generator(7);
const x = (...shape: number[]) => randn(shape);
/** One sample per batch size. */
const batches = (f: (n: number) => Tensor[], sizes = [2, 5]) => () => sizes.map(f);

/** Updates a model's BatchNorm running statistics with a few training-mode passes. */
function warmBatchNorm<M extends Module<any, any>>(m: M, shape: number[]): M {
  m.train();
  noGrad(() => tidy(() => {
    for (let i = 0; i < 3; i++) (m as unknown as { call: (x: Tensor) => unknown }).call(add(randn(shape), 0.5 * i));
  }));
  return m.eval();
}

class Wrap extends Module<[Tensor], Tensor> {
  constructor(readonly inner: Module<any, any>, readonly pick: (out: any) => Tensor) {
    super();
  }
  forward(x: Tensor): Tensor {
    return this.pick((this.inner as unknown as { call: (x: Tensor) => unknown }).call(x));
  }
}

class Causal extends Module<[Tensor], [Tensor, Tensor | null]> {
  mha = new MultiHeadAttention(8, 2, { batchFirst: true, generator: new Generator(3) });
  forward(x: Tensor): [Tensor, Tensor | null] {
    return this.mha.call(x, x, x, { attnMask: causalMask(x.shape[1]!) });
  }
}

class Cross extends Module<[Tensor, Tensor], [Tensor, Tensor | null]> {
  mha = new MultiHeadAttention(8, 4, { kdim: 6, vdim: 5, generator: new Generator(4) });
  forward(q: Tensor, kv: Tensor): [Tensor, Tensor | null] {
    return this.mha.call(q, kv, narrow(kv, 2, 0, 5), { averageAttnWeights: false });
  }
}

class PaddedAttention extends Module<[Tensor, Tensor], Tensor> {
  mha = new MultiHeadAttention(8, 2, { batchFirst: true, generator: new Generator(5) });
  forward(x: Tensor, pad: Tensor): Tensor {
    return this.mha.call(x, null, null, { keyPaddingMask: pad, needWeights: false })[0];
  }
}

const CASES: Case[] = [
  { name: 'Linear', make: () => new Linear(5, 3, { generator: g() }), inputs: batches((n) => [x(n, 5)]), ops: ['Gemm'] },
  { name: 'Linear on 3-D input', make: () => new Linear(5, 3, { generator: g() }), inputs: batches((n) => [x(n, 4, 5)]), ops: ['MatMul'] },
  { name: 'Linear without bias', make: () => new Linear(5, 3, { bias: false, generator: g() }), inputs: batches((n) => [x(n, 5)]), ops: ['Gemm'] },
  { name: 'Linear with activation relu', make: () => new Linear(5, 3, { activation: 'relu', generator: g() }), inputs: batches((n) => [x(n, 5)]), ops: ['Gemm', 'Relu'] },
  {
    name: 'Conv2d with activation relu, and Conv2d → ReLU in a Sequential (fused when run)',
    make: () => new Sequential(new Conv2d(2, 3, 3, { padding: 1, activation: 'relu', generator: g() }), new Conv2d(3, 4, 3, { generator: g() }), new ReLU()),
    inputs: batches((n) => [x(n, 2, 6, 6)]),
    ops: ['Conv', 'Relu'],
  },
  {
    name: 'Conv1d',
    make: () => new Sequential(new Conv1d(3, 4, 3, { padding: 'same', generator: g() }), new Conv1d(4, 4, 2, { stride: 2, dilation: 2, groups: 2, generator: g() })),
    inputs: batches((n) => [x(n, 3, 11)]),
    ops: ['Conv'],
  },
  {
    name: 'Conv2d',
    make: () =>
      new Sequential(
        new Conv2d(3, 6, 3, { padding: 'same', generator: g() }),
        new Conv2d(6, 6, [3, 2], { stride: [2, 1], padding: [1, 0, 2, 1], dilation: [1, 2], groups: 3, generator: g() }),
        new Conv2d(6, 4, 1, { bias: false, generator: g() }),
      ),
    inputs: batches((n) => [x(n, 3, 9, 8)]),
    ops: ['Conv'],
  },
  { name: 'SeparableConv2d', make: () => new SeparableConv2d(4, 6, 3, { padding: 1, depthMultiplier: 2, generator: g() }), inputs: batches((n) => [x(n, 4, 6, 6)]), ops: ['Conv'] },
  {
    name: 'ConvTranspose2d',
    make: () => new ConvTranspose2d(4, 3, 3, { stride: 2, padding: 1, outputPadding: 1, generator: g() }),
    inputs: batches((n) => [x(n, 4, 5, 5)]),
    ops: ['ConvTranspose'],
  },
  {
    name: 'MaxPool2d',
    make: () => new Sequential(new MaxPool2d(3, { stride: 2, padding: 1 }), new MaxPool2d([2, 1], { ceilMode: true })),
    inputs: batches((n) => [x(n, 2, 9, 7)]),
    ops: ['MaxPool'],
  },
  { name: 'MaxPool2d with dilation', make: () => new MaxPool2d(2, { stride: 1, dilation: 2 }), inputs: batches((n) => [x(n, 2, 7, 7)]), ops: ['MaxPool'] },
  { name: 'MaxPool1d', make: () => new MaxPool1d(3, { stride: 2, padding: 1 }), inputs: batches((n) => [x(n, 3, 10)]), ops: ['MaxPool'] },
  {
    name: 'AvgPool2d',
    make: () => new Sequential(new AvgPool2d(3, { stride: 2, padding: 1 }), new AvgPool2d(2, { padding: 1, countIncludePad: false })),
    inputs: batches((n) => [x(n, 2, 9, 9)]),
    ops: ['AveragePool'],
  },
  { name: 'AvgPool2d with ceil mode (op by op)', make: () => new AvgPool2d(2, { ceilMode: true }), inputs: batches((n) => [x(n, 2, 5, 5)]) },
  { name: 'AvgPool1d', make: () => new AvgPool1d(2), inputs: batches((n) => [x(n, 3, 9)]), ops: ['AveragePool'] },
  { name: 'AdaptiveAvgPool2d(1)', make: () => new AdaptiveAvgPool2d(1), inputs: batches((n) => [x(n, 3, 5, 7)]), ops: ['GlobalAveragePool'] },
  { name: 'AdaptiveAvgPool2d(2)', make: () => new AdaptiveAvgPool2d([2, 3]), inputs: batches((n) => [x(n, 3, 6, 9)]), ops: ['AveragePool'] },
  { name: 'AdaptiveAvgPool2d(3) on 7×7 (op by op)', make: () => new AdaptiveAvgPool2d(3), inputs: batches((n) => [x(n, 3, 7, 7)]) },
  { name: 'GlobalAvgPool2d', make: () => new GlobalAvgPool2d(), inputs: batches((n) => [x(n, 3, 4, 5)]), ops: ['GlobalAveragePool'] },
  { name: 'GlobalAvgPool2d keepDims', make: () => new GlobalAvgPool2d({ keepDims: true }), inputs: batches((n) => [x(n, 3, 4, 5)]) },
  { name: 'Flatten', make: () => new Sequential(new Flatten(), new Linear(24, 2, { generator: g() })), inputs: batches((n) => [x(n, 2, 3, 4)]), ops: ['Flatten'] },
  { name: 'Flatten(2, 3)', make: () => new Flatten(2, 3), inputs: batches((n) => [x(n, 2, 3, 4, 2)]) },
  { name: 'Dropout (eval)', make: () => new Sequential(new Linear(4, 4, { generator: g() }), new Dropout(0.5)), inputs: batches((n) => [x(n, 4)]) },
  { name: 'Dropout alone', make: () => new Dropout(0.3), inputs: batches((n) => [x(n, 4)]) },
  {
    name: 'BatchNorm1d',
    make: () => warmBatchNorm(new Sequential(new BatchNorm1d(4), new BatchNorm1d(4, { affine: false })), [8, 4]),
    inputs: batches((n) => [x(n, 4)]),
    ops: ['BatchNormalization'],
  },
  { name: 'BatchNorm1d on [N, C, L]', make: () => warmBatchNorm(new BatchNorm1d(3), [6, 3, 5]), inputs: batches((n) => [x(n, 3, 5)]), ops: ['BatchNormalization'] },
  { name: 'BatchNorm2d', make: () => warmBatchNorm(new BatchNorm2d(3, { eps: 1e-3 }), [4, 3, 5, 5]), inputs: batches((n) => [x(n, 3, 5, 5)]), ops: ['BatchNormalization'] },
  {
    name: 'BatchNorm2d without running stats (op by op)',
    make: () => new BatchNorm2d(3, { trackRunningStats: false }),
    inputs: batches((n) => [x(n, 3, 4, 4)]),
  },
  {
    name: 'LayerNorm',
    make: () => new Sequential(new LayerNorm(6), new LayerNorm([3, 6], { elementwiseAffine: false }), new LayerNorm(6, { bias: false })),
    inputs: batches((n) => [x(n, 3, 6)]),
    ops: (o) => (o >= 17 ? ['LayerNormalization'] : ['ReduceMean']),
  },
  { name: 'GroupNorm (op by op)', make: () => new GroupNorm(2, 6), inputs: batches((n) => [x(n, 6, 3, 3)]) },
  {
    name: 'Embedding (int32)',
    make: () => new Embedding(10, 4, { paddingIdx: 0, generator: g() }),
    inputs: batches((n) => [randint(0, 10, [n, 5])]),
    ops: ['Gather'],
  },
  {
    name: 'Embedding (int64)',
    make: () => new Sequential(new Embedding(10, 4, { generator: g() }), new Flatten(), new Linear(12, 2, { generator: g() })),
    inputs: batches((n) => [randint(0, 10, [n, 3], { dtype: 'int64' })]),
    ops: ['Gather'],
  },
  { name: 'ReLU', make: () => new ReLU(), inputs: batches((n) => [x(n, 7)]), ops: ['Relu'] },
  { name: 'LeakyReLU', make: () => new LeakyReLU(0.2), inputs: batches((n) => [x(n, 7)]), ops: ['LeakyRelu'] },
  { name: 'PReLU', make: () => new PReLU(), inputs: batches((n) => [x(n, 7)]), ops: ['PRelu'] },
  { name: 'PReLU per channel', make: () => new PReLU(3, 0.1), inputs: batches((n) => [x(n, 3, 4, 2)]), ops: ['PRelu'] },
  { name: 'ELU', make: () => new ELU(0.7), inputs: batches((n) => [x(n, 7)]), ops: ['Elu'] },
  { name: 'SELU', make: () => new SELU(), inputs: batches((n) => [x(n, 7)]), ops: ['Selu'] },
  { name: 'GELU', make: () => new GELU(), inputs: batches((n) => [x(n, 7)]), ops: ['Erf'] },
  { name: 'GELU tanh', make: () => new GELU('tanh'), inputs: batches((n) => [x(n, 7)]), ops: ['Tanh'] },
  { name: 'Sigmoid', make: () => new Sigmoid(), inputs: batches((n) => [x(n, 7)]), ops: ['Sigmoid'] },
  { name: 'Tanh', make: () => new Tanh(), inputs: batches((n) => [x(n, 7)]), ops: ['Tanh'] },
  { name: 'Softmax', make: () => new Softmax(1), inputs: batches((n) => [x(n, 4, 3)]), ops: ['Softmax'] },
  { name: 'LogSoftmax', make: () => new LogSoftmax(), inputs: batches((n) => [x(n, 4, 3)]), ops: ['LogSoftmax'] },
  { name: 'Softplus', make: () => new Sequential(new Softplus(), new Softplus(2, 1)), inputs: batches((n) => [x(n, 9)]), ops: ['Softplus'] },
  { name: 'SiLU', make: () => new SiLU(), inputs: batches((n) => [x(n, 7)]), ops: ['Sigmoid'] },
  {
    name: 'ResidualBlock',
    make: () => warmBatchNorm(new Sequential(new ResidualBlock(3, 6, { stride: 2, generator: g() }), new ResidualBlock(6, 6, { generator: g() })), [4, 3, 8, 8]),
    inputs: batches((n) => [x(n, 3, 8, 8)]),
    ops: ['Conv', 'BatchNormalization', 'Add', 'Relu'],
  },
  { name: 'DenseBlock', make: () => warmBatchNorm(new DenseBlock(2, 4, 3, { generator: g() }), [4, 4, 5, 5]), inputs: batches((n) => [x(n, 4, 5, 5)]), ops: ['Concat'] },
  { name: 'RNN (time-major)', make: () => new RNN(4, 5, { generator: g() }), inputs: batches((n) => [x(6, n, 4)]), ops: ['RNN'] },
  {
    name: 'RNN relu, 2 layers, bidirectional, batch-first',
    make: () => new RNN(4, 5, { nonlinearity: 'relu', numLayers: 2, bidirectional: true, batchFirst: true, generator: g() }),
    inputs: batches((n) => [x(n, 6, 4)]),
    ops: ['RNN'],
  },
  {
    name: 'RNN with initial state',
    make: () => new RNN(4, 5, { numLayers: 2, generator: g() }),
    inputs: batches((n) => [x(6, n, 4), x(2, n, 5)]),
    ops: ['RNN'],
  },
  { name: 'LSTM', make: () => new LSTM(4, 6, { generator: g() }), inputs: batches((n) => [x(5, n, 4)]), ops: ['LSTM'] },
  {
    name: 'LSTM 2 layers, bidirectional, batch-first',
    make: () => new LSTM(4, 6, { numLayers: 2, bidirectional: true, batchFirst: true, generator: g() }),
    inputs: batches((n) => [x(n, 5, 4)]),
    ops: ['LSTM'],
  },
  {
    name: 'LSTM without bias, with peepholes',
    make: () => new LSTM(3, 4, { bias: false, peephole: true, batchFirst: true, generator: g() }),
    inputs: batches((n) => [x(n, 5, 3)]),
    ops: ['LSTM'],
  },
  { name: 'LSTM unbatched', make: () => new LSTM(3, 4, { generator: g() }), inputs: () => [[x(5, 3)], [x(5, 3)]], ops: ['LSTM'] },
  { name: 'GRU', make: () => new GRU(4, 6, { generator: g() }), inputs: batches((n) => [x(5, n, 4)]), ops: ['GRU'] },
  {
    name: 'GRU 2 layers, bidirectional, batch-first',
    make: () => new GRU(4, 3, { numLayers: 2, bidirectional: true, batchFirst: true, generator: g() }),
    inputs: batches((n) => [x(n, 5, 4)]),
    ops: ['GRU'],
  },
  { name: 'MultiHeadAttention (self, time-major)', make: () => new MultiHeadAttention(8, 2, { generator: g() }), inputs: batches((n) => [x(5, n, 8)]), ops: ['Softmax', 'MatMul'] },
  { name: 'MultiHeadAttention with a causal mask', make: () => new Causal(), inputs: batches((n) => [x(n, 4, 8)]), ops: ['Where'] },
  {
    name: 'MultiHeadAttention cross, kdim/vdim, per-head weights',
    make: () => new Cross(),
    inputs: batches((n) => [x(3, n, 8), x(4, n, 6)]),
    ops: ['Softmax'],
    options: { batchAxes: [1, 1] },
  },
  {
    name: 'MultiHeadAttention with a key padding mask input',
    make: () => new PaddedAttention(),
    inputs: batches((n) => [x(n, 4, 8), gt(randn([n, 4]), 0.8)]),
    ops: ['Where'],
  },
  {
    name: 'TransformerEncoderLayer',
    make: () => new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, generator: g() }),
    inputs: batches((n) => [x(5, n, 8)]),
    ops: ['Softmax'],
  },
  {
    name: 'TransformerEncoder (pre-norm, gelu, batch-first) with a final norm',
    make: () => new TransformerEncoder(() => new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, normFirst: true, activation: 'gelu', batchFirst: true, generator: g() }), 2, new LayerNorm(8)),
    inputs: batches((n) => [x(n, 5, 8)]),
    ops: ['Softmax', 'Erf'],
  },
  { name: 'a wrapped LSTM output', make: () => new Wrap(new LSTM(3, 4, { batchFirst: true, generator: g() }), (o) => o[1][1]), inputs: batches((n) => [x(n, 4, 3)]), ops: ['LSTM'] },
];

beforeAll(() => {
  setBackend('cpu');
  manualSeed(1234);
});

describe.each([13, 17])('exported layers agree with ONNX Runtime (opset %i)', (opset) => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const model = c.make();
    const [sample, ...others] = c.inputs();
    const { diff, bytes } = await compareWithOrt(model, sample!, others, { opset, ...c.options });
    expect(diff).toBeLessThan(1e-4);
    const proto = decodeModelProto(bytes);
    expect(Number(proto.irVersion)).toBe(8);
    expect(Number(proto.opsetImport![0]!.version)).toBe(opset);
    const ops = new Set(proto.graph!.node!.map((n) => n.opType));
    const want = typeof c.ops === 'function' ? c.ops(opset) : (c.ops ?? []);
    for (const op of want) expect([...ops]).toContain(op);
    // the batch dim is symbolic on the first input
    const dims = proto.graph!.input![0]!.type!.tensorType!.shape!.dim!;
    if (others.length && sample![0]!.rank === 3 && others[0]![0]!.shape[0] === sample![0]!.shape[0]) {
      expect(dims.some((d) => d.dimParam === 'batch')).toBe(true);
    } else if (others.length && others[0]![0]!.shape[0] !== sample![0]!.shape[0] && sample![0]!.rank > 1) {
      expect(dims[0]!.dimParam).toBe('batch');
    }
    model.dispose();
  });
});
