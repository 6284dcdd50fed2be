// saveModel/loadModel (Node folder) and encodeModel/decodeModel (bytes): architectures through
// the module registry of @mapnn/layers, weights as safetensors, bit-exact outputs, clear errors.
import '@mapnn/backend-cpu';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator, memory, randint, randn, setBackend, tensor, tidy, type Tensor } from '@mapnn/core';
import * as L from '@mapnn/layers';
import { Linear, Module, ReLU, Sequential, registerModule } from '@mapnn/layers';
import { MODEL_FORMAT_VERSION, ModelFormatError, SafetensorsError, decodeModel, encodeModel, encodeSafetensors } from './index.js';
import { loadModel, saveModel } from './node.js';

beforeAll(() => setBackend('cpu'));
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mapnn-model-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const values = (t: Tensor) => Array.from(t.dataSync());

/** A user module over sequences: embedding, every recurrent layer, attention, an encoder. */
class SeqNet extends Module<[Tensor], Tensor> {
  emb: L.Embedding;
  rnn: L.RNN;
  lstm: L.LSTM;
  gru: L.GRU;
  attn: L.MultiHeadAttention;
  encoder: L.TransformerEncoder;
  head: Sequential;
  constructor(readonly vocab: number, readonly dim: number) {
    super();
    this.emb = new L.Embedding(vocab, dim, { paddingIdx: 0 });
    this.rnn = new L.RNN(dim, dim, { batchFirst: true, nonlinearity: 'relu' });
    this.lstm = new L.LSTM(dim, dim / 2, { batchFirst: true, bidirectional: true, peephole: true });
    this.gru = new L.GRU(dim, dim, { batchFirst: true, numLayers: 2 });
    this.attn = new L.MultiHeadAttention(dim, 2, { batchFirst: true });
    this.encoder = new L.TransformerEncoder(() => new L.TransformerEncoderLayer(dim, 2, { dimFeedforward: 16, batchFirst: true, activation: 'gelu' }), 2, new L.LayerNorm(dim));
    this.head = new Sequential(new L.LayerNorm(dim), new Linear(dim, 3), new L.LogSoftmax(-1));
  }
  getConfig() {
    return { vocab: this.vocab, dim: this.dim };
  }
  static fromConfig(c: { vocab: number; dim: number }) {
    return new SeqNet(c.vocab, c.dim);
  }
  forward(ids: Tensor): Tensor {
    let x = this.emb.call(ids);
    x = this.rnn.call(x)[0];
    x = this.lstm.call(x)[0];
    x = this.gru.call(x)[0];
    x = this.attn.call(x)[0];
    return this.head.call(this.encoder.call(x));
  }
}
registerModule('test.SeqNet', SeqNet);

const ARCHITECTURES: [string, () => Module<any, any>, () => Tensor][] = [
  ['MLP', () => new Sequential(new Linear(4, 8), new ReLU(), new L.Dropout(0.2), new Linear(8, 8, { activation: 'relu' }), new L.Tanh(), new Linear(8, 3), new L.Softmax(1)), () => randn([5, 4])],
  [
    'CNN with norms and pooling',
    () =>
      new Sequential(
        new L.Conv2d(1, 4, 3, { padding: 'same' }), new L.BatchNorm2d(4), new ReLU(), new L.MaxPool2d(2),
        new L.Conv2d(4, 4, 3, { padding: 1, groups: 2 }), new L.GroupNorm(2, 4), new L.ELU(), new L.AvgPool2d(2),
        new L.AdaptiveAvgPool2d(1), new L.Flatten(), new Linear(4, 2), new L.LeakyReLU(0.1),
      ),
    () => randn([2, 1, 8, 8]),
  ],
  [
    'nested Sequentials of blocks',
    () =>
      new Sequential(
        new Sequential(new L.ResidualBlock(2, 4, { stride: 2 }), new L.DenseBlock(2, 4, 2)),
        new L.SeparableConv2d(8, 4, 3, { padding: 'same', depthMultiplier: 2 }),
        new L.ConvTranspose2d(4, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }),
        new Sequential(new L.PReLU(2), new L.GELU('tanh'), new L.SiLU()),
        new L.GlobalAvgPool2d(), new L.SELU(), new L.Softplus(2), new L.Sigmoid(),
      ),
    () => randn([2, 2, 8, 8]),
  ],
  [
    '1-D convolutions',
    () => new Sequential(new L.Conv1d(3, 4, 3, { padding: 'same' }), new L.BatchNorm1d(4), new L.MaxPool1d(2), new L.Conv1d(4, 4, 2, { dilation: 2 }), new L.AvgPool1d(2), new L.Flatten(), new L.LayerNorm(8)),
    () => randn([3, 3, 12]),
  ],
  ['a registered user module over sequences', () => new SeqNet(10, 8), () => randint(0, 10, [2, 5], { dtype: 'int32' })],
];

describe('saveModel / loadModel', () => {
  for (const [name, make, input] of ARCHITECTURES) {
    it(`${name}: the loaded model gives bit-identical outputs in eval mode`, () => {
      const dir = join(tmp(), 'model');
      const model = make();
      tidy(() => void model.call(input())); // training-mode step: batch norms get non-trivial running statistics
      model.eval();
      saveModel(model, dir);
      expect(readdirSync(dir).sort()).toEqual(['model.json', 'model.safetensors']);
      const x = input();
      const before = memory().numTensors;
      const loaded = loadModel(dir);
      expect(loaded.constructor).toBe(model.constructor);
      expect(loaded.training).toBe(false);
      expect(tidy(() => values(loaded.call(x)))).toEqual(tidy(() => values(model.call(x))));
      loaded.dispose();
      expect(memory().numTensors).toBe(before);
      model.dispose();
      x.dispose();
    });
  }

  it('keeps frozen parameters and mixed train/eval modes', () => {
    const dir = tmp();
    const model = new Sequential(new Linear(2, 3), new L.BatchNorm1d(3), new Linear(3, 1));
    (model.at(0) as Linear).freeze();
    model.at(1).eval(); // a frozen batch norm in a training model
    saveModel(model, dir, { overwrite: true }); // an empty existing folder is fine
    const loaded = loadModel(dir) as Sequential;
    expect(loaded.namedParameters().filter(([, p]) => !p.requiresGrad).map(([k]) => k)).toEqual(['0.weight', '0.bias']);
    expect(loaded.trainableParameters().length).toBe(4);
    expect(loaded.modules().map((m) => m.training)).toEqual([true, true, false, true]);
    loaded.dispose();
    model.dispose();
  });

  it("does not overwrite a saved model without { overwrite: true }, and leaves the folder's other files alone", () => {
    const dir = tmp();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const a = new Sequential(new Linear(2, 2));
    saveModel(a, dir);
    const first = readFileSync(join(dir, 'model.safetensors'));
    const b = new Sequential(new Linear(2, 2));
    expect(() => saveModel(b, dir)).toThrow(/already holds a saved model .*model\.json.*pass \{ overwrite: true \}/);
    expect(readFileSync(join(dir, 'model.safetensors'))).toEqual(first);
    saveModel(b, dir, { overwrite: true });
    const loaded = loadModel(dir);
    expect(values(loaded.parameters()[0]!)).toEqual(values(b.parameters()[0]!));
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'model.safetensors', 'notes.txt']);
    [a, b, loaded].forEach((m) => m.dispose());
  });

  it('an unregistered class is an error naming it, and nothing is written', () => {
    class Custom extends Module {
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const dir = join(tmp(), 'out');
    const model = new Sequential(new Linear(2, 2), new Custom());
    expect(() => saveModel(model, dir)).toThrow(/saveModel: class Custom \(module '1'\) is not registered; call registerModule\('Custom', Custom\)/);
    expect(existsSync(dir)).toBe(false);
    model.dispose();
  });

  it('refuses a file as the folder and a folder without a model', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'f'), '');
    const model = new Sequential(new Linear(1, 1));
    expect(() => saveModel(model, join(dir, 'f'))).toThrow(/saveModel: .*f exists and is not a folder/);
    expect(() => loadModel(join(dir, 'nope'))).toThrow(/loadModel: no folder at/);
    expect(() => loadModel(dir)).toThrow(/loadModel: .* has no model\.json; expected a folder written by saveModel/);
    model.dispose();
  });
});

describe('encodeModel / decodeModel: errors name what is wrong and leak nothing', () => {
  const saved = () => {
    const model = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1, { generator: new Generator(1) }));
    const enc = encodeModel(model);
    model.dispose();
    return { ...enc, file: JSON.parse(enc.json) as Record<string, any> };
  };
  const decodeFails = (json: string, weights: Uint8Array, pattern: RegExp) => {
    const before = memory().numTensors;
    expect(() => decodeModel({ json, weights })).toThrow(pattern);
    expect(memory().numTensors).toBe(before);
  };

  it('round-trips as bytes (browser-safe form), the JSON as bytes too', () => {
    const model = new Sequential(new Linear(2, 2));
    const { json, weights } = encodeModel(model);
    const copy = decodeModel({ json: new TextEncoder().encode(json), weights });
    expect(values(copy.parameters()[1]!)).toEqual(values(model.parameters()[1]!));
    [model, copy].forEach((m) => m.dispose());
  });

  it('malformed JSON, another format, an unsupported version', () => {
    const { weights, file } = saved();
    decodeFails('{"format": ', weights, /decodeModel: model\.json is not valid JSON/);
    decodeFails('[1]', weights, /model\.json must hold a JSON object, got an array/);
    decodeFails(JSON.stringify({ ...file, format: 'mapnn-checkpoint' }), weights, /has format "mapnn-checkpoint"; expected "mapnn-model"/);
    decodeFails(JSON.stringify({ ...file, version: MODEL_FORMAT_VERSION + 1 }), weights, /format version 2; this @mapnn\/train reads version 1 \(.*newer @mapnn\/train/);
    decodeFails(JSON.stringify({ ...file, version: undefined }), weights, /format version undefined/);
    decodeFails(JSON.stringify({ ...file, frozen: 'all' }), weights, /'frozen' must be an array of names/);
    decodeFails(JSON.stringify({ ...file, weights: null }), weights, /'weights' must be \{"file": "model\.safetensors"/);
  });

  it('an unknown class, naming it and saying to register it', () => {
    const { weights, file } = saved();
    file.architecture.children[1].class = 'MyBlock';
    decodeFails(JSON.stringify(file), weights, /module '1': unknown module class 'MyBlock'; register it with registerModule\('MyBlock', MyBlock\)/);
  });

  it('missing, unexpected and reshaped weights, naming each with its shapes', () => {
    const { file } = saved();
    const id = file.weights.saveId as string;
    const weightsOf = (ts: Record<string, Tensor>) => encodeSafetensors(ts, { 'mapnn.save_id': id });
    const good = { '0.weight': randn([3, 2]), '0.bias': randn([3]), '2.weight': randn([1, 3]), '2.bias': randn([1]) };
    const { ['2.bias']: _dropped, ...missing } = good;
    decodeFails(JSON.stringify(file), weightsOf(missing), /weights do not fit the architecture: missing weight '2\.bias' \(float32 \[1\]\)/);
    decodeFails(JSON.stringify(file), weightsOf({ ...good, extra: randn([4]) }), /unexpected weight 'extra' \(float32 \[4\]\)/);
    decodeFails(JSON.stringify(file), weightsOf({ ...good, '0.weight': randn([2, 3]) }), /'0\.weight' is float32 \[2,3\] in model\.safetensors, but the architecture has float32 \[3,2\]/);
    decodeFails(JSON.stringify(file), weightsOf({ ...good, '0.bias': tensor([1, 2, 3], undefined, 'float64') }), /'0\.bias' is float64 \[3\] .*float32 \[3\]/);
    Object.values(good).forEach((t) => t.dispose());
  });

  it('weights from another save, and frozen/eval names the model lacks', () => {
    const a = saved();
    const b = saved();
    decodeFails(a.json, b.weights, /model\.safetensors \(save id .*\) was not written with this model\.json .*different saves/);
    decodeFails(JSON.stringify({ ...a.file, frozen: ['9.weight'] }), a.weights, /freezes '9\.weight', which the model has no parameter of/);
    decodeFails(JSON.stringify({ ...a.file, eval: ['7'] }), a.weights, /eval-mode modules '7'/);
  });

  it('a truncated weights file is a SafetensorsError', () => {
    const { json, weights } = saved();
    decodeFails(json, weights.subarray(0, weights.length - 4), /safetensors/i);
    expect(() => decodeModel({ json, weights: weights.subarray(0, weights.length - 4) })).toThrow(SafetensorsError);
  });

  it('the errors are ModelFormatErrors', () => {
    const { weights } = saved();
    expect(() => decodeModel({ json: 'x', weights })).toThrow(ModelFormatError);
  });
});
