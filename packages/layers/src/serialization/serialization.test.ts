// The registry of module classes, getConfig() of every built-in layer, and architecture specs.
import '../../test/setup.js';
import { memory, type Tensor } from '@mapnn/core';
import { describe, expect, it } from 'vitest';
import * as L from '../index.js';
import { Linear, Module, ReLU, Sequential, deserializeModule, getModuleEntry, registerModule, registeredModules, serializeModule, type ModuleSpec } from '../index.js';

/** One instance per built-in class, with non-default options where the class has any. */
const SAMPLES: Record<string, () => Module<any, any>> = {
  Sequential: () => new Sequential(new Linear(3, 4), new ReLU()),
  ModuleList: () => new L.ModuleList([new Linear(2, 2)]),
  Linear: () => new Linear(3, 5, { bias: false, activation: 'relu', dtype: 'float64' }),
  Conv1d: () => new L.Conv1d(2, 4, 3, { stride: 2, padding: 'valid', dilation: 1, groups: 2 }),
  Conv2d: () => new L.Conv2d(2, 4, [3, 1], { stride: [2, 1], padding: [1, 0, 0, 0], groups: 2, bias: false }),
  ConvTranspose2d: () => new L.ConvTranspose2d(4, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }),
  SeparableConv2d: () => new L.SeparableConv2d(2, 6, 3, { depthMultiplier: 2, padding: 'same', bias: false }),
  MaxPool1d: () => new L.MaxPool1d(3, { stride: 2, padding: 1 }),
  MaxPool2d: () => new L.MaxPool2d([2, 3], { stride: 1, ceilMode: true, dilation: 2 }),
  AvgPool1d: () => new L.AvgPool1d(2, { countIncludePad: false }),
  AvgPool2d: () => new L.AvgPool2d(3, { stride: null, padding: 1, divisorOverride: 4 }),
  AdaptiveAvgPool2d: () => new L.AdaptiveAvgPool2d([3, null]),
  GlobalAvgPool2d: () => new L.GlobalAvgPool2d({ keepDims: true }),
  Flatten: () => new L.Flatten(0, 2),
  Dropout: () => new L.Dropout(0.3),
  LayerNorm: () => new L.LayerNorm([2, 3], { eps: 1e-6, bias: false }),
  GroupNorm: () => new L.GroupNorm(2, 4, { eps: 1e-3, affine: false }),
  BatchNorm1d: () => new L.BatchNorm1d(3, { momentum: null, trackRunningStats: false }),
  BatchNorm2d: () => new L.BatchNorm2d(3, { eps: 1e-3, momentum: 0.2 }),
  Embedding: () => new L.Embedding(10, 4, { paddingIdx: -1 }),
  ResidualBlock: () => new L.ResidualBlock(2, 4, { stride: 2 }),
  DenseLayer: () => new L.DenseLayer(3, 2),
  DenseBlock: () => new L.DenseBlock(2, 3, 2),
  RNN: () => new L.RNN(3, 4, { nonlinearity: 'relu', numLayers: 2, bias: false }),
  LSTM: () => new L.LSTM(3, 4, { bidirectional: true, batchFirst: true, peephole: true }),
  GRU: () => new L.GRU(3, 4, { dropout: 0.2, numLayers: 2 }),
  MultiHeadAttention: () => new L.MultiHeadAttention(8, 2, { kdim: 4, vdim: 6, bias: false, batchFirst: true }),
  TransformerEncoderLayer: () => new L.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, activation: 'gelu', normFirst: true, layerNormEps: 1e-6 }),
  TransformerEncoder: () =>
    new L.TransformerEncoder((i) => new L.TransformerEncoderLayer(8, 2, { dimFeedforward: 8 + i, batchFirst: true }), 2, new L.LayerNorm(8)),
  ReLU: () => new ReLU(),
  LeakyReLU: () => new L.LeakyReLU(0.2),
  ELU: () => new L.ELU(0.5),
  SELU: () => new L.SELU(),
  GELU: () => new L.GELU('tanh'),
  Sigmoid: () => new L.Sigmoid(),
  Tanh: () => new L.Tanh(),
  Softmax: () => new L.Softmax(1),
  LogSoftmax: () => new L.LogSoftmax(0),
  Softplus: () => new L.Softplus(2, 10),
  SiLU: () => new L.SiLU(),
  PReLU: () => new L.PReLU(3, 0.1, { dtype: 'float64' }),
};

const layout = (m: Module<any, any>) => Object.entries(m.stateDict()).map(([k, t]: [string, Tensor]) => `${k} ${t.dtype} [${t.shape.join(',')}]`);
const roundTrip = (m: Module<any, any>) => deserializeModule(JSON.parse(JSON.stringify(serializeModule(m))));

describe('module registry: built-in layers', () => {
  it('registers every exported layer class (losses excepted) and each has a sample here', () => {
    const abstract = new Set(['Module', 'RecurrentBase', 'BatchNormBase']);
    const exported = Object.entries(L).filter(([n, v]) => typeof v === 'function' && v.prototype instanceof Module && !abstract.has(n) && !n.endsWith('Loss'));
    const registered = new Map(registeredModules().map((n) => [getModuleEntry(n)!.cls as unknown, n]));
    expect(exported.filter(([, cls]) => !registered.has(cls)).map(([n]) => n)).toEqual([]);
    const names = [...new Set(exported.map(([, cls]) => registered.get(cls)!))].sort();
    expect(Object.keys(SAMPLES).sort()).toEqual(names);
  });

  for (const [name, make] of Object.entries(SAMPLES)) {
    it(`${name}: getConfig() rebuilds the same layer (config, parameter names, shapes, dtypes)`, () => {
      const before = memory().numTensors;
      const m = make();
      const spec = serializeModule(m);
      expect(spec.class).toBe(name);
      const rebuilt = roundTrip(m);
      expect(rebuilt.constructor).toBe(m.constructor);
      expect(serializeModule(rebuilt)).toEqual(spec);
      expect(layout(rebuilt)).toEqual(layout(m));
      expect(rebuilt.describe()).toBe(m.describe());
      m.dispose();
      rebuilt.dispose();
      expect(memory().numTensors).toBe(before);
    });
  }

  it('nested Sequentials nest their specs and keep the state-dict names', () => {
    const m = new Sequential(new Sequential(new L.Conv2d(1, 2, 3), new ReLU()), new L.Flatten(), new Sequential(new Linear(2, 1)));
    const spec = serializeModule(m);
    expect(spec.children?.map((c) => c.class)).toEqual(['Sequential', 'Flatten', 'Sequential']);
    const rebuilt = roundTrip(m);
    expect(layout(rebuilt)).toEqual(layout(m));
    m.dispose();
    rebuilt.dispose();
  });
});

class Block extends Module {
  fc: Linear;
  constructor(readonly width: number, readonly scale = 1) {
    super();
    this.fc = new Linear(width, width);
  }
  getConfig() {
    return { width: this.width, scale: this.scale };
  }
  static fromConfig(c: { width: number; scale: number }) {
    return new Block(c.width, c.scale);
  }
  forward(x: Tensor): Tensor {
    return this.fc.call(x).mul(this.scale);
  }
}

/** Takes a module from outside: its config embeds the child's spec. */
class Wrapper extends Module {
  constructor(readonly inner: Module) {
    super();
  }
  getConfig() {
    return { inner: serializeModule(this.inner) as unknown as L.JsonValue };
  }
  static fromConfig(c: L.ModuleConfig) {
    return new Wrapper(deserializeModule(c.inner) as Module);
  }
  forward(x: Tensor): Tensor {
    return this.inner.call(x);
  }
}

/** No getConfig method: registered with the function form. */
class Scaled extends Module {
  readonly factor: number;
  constructor(options: { factor: number }) {
    super();
    this.factor = options.factor;
  }
  forward(x: Tensor): Tensor {
    return x.mul(this.factor);
  }
}

describe('module registry: user modules', () => {
  registerModule('test.Block', Block);
  registerModule('test.Wrapper', Wrapper);
  registerModule('test.Scaled', Scaled, { getConfig: (m) => ({ factor: m.factor }) });

  it('rebuilds a registered class with getConfig()/static fromConfig, inside a Sequential', () => {
    const m = new Sequential(new Block(3, 2), new ReLU());
    const spec = serializeModule(m);
    expect(spec.children![0]).toEqual({ class: 'test.Block', config: { width: 3, scale: 2 } });
    const rebuilt = roundTrip(m);
    expect((rebuilt as Sequential).at(0)).toBeInstanceOf(Block);
    expect(((rebuilt as Sequential).at(0) as Block).scale).toBe(2);
    m.dispose();
    rebuilt.dispose();
  });

  it('the function form: getConfig given at registration, new Class(config) by default', () => {
    const rebuilt = roundTrip(new Scaled({ factor: 3 })) as Scaled;
    expect(rebuilt).toBeInstanceOf(Scaled);
    expect(rebuilt.factor).toBe(3);
  });

  it('a module taking a module embeds its spec (serializeModule inside getConfig)', () => {
    const m = new Wrapper(new Sequential(new Linear(2, 3), new Block(3)));
    const rebuilt = roundTrip(m) as Wrapper;
    expect(layout(rebuilt)).toEqual(layout(m));
    m.dispose();
    rebuilt.dispose();
  });

  it('registering the same class again is a no-op; another class under a taken name is an error', () => {
    expect(() => registerModule('test.Block', Block)).not.toThrow();
    expect(() => registerModule('Linear', Block)).toThrow(/'Linear' is already registered for class Linear.*replace: true/);
  });
});

describe('module registry: errors name the module and the fix', () => {
  it('an unregistered class (a subclass of a built-in included) at its path', () => {
    class MyLinear extends Linear {}
    const m = new Sequential(new ReLU(), new Sequential(new MyLinear(2, 2)));
    expect(() => serializeModule(m)).toThrow(/class MyLinear \(module '1\.0'\) is not registered; call registerModule\('MyLinear', MyLinear\)/);
    m.dispose();
  });

  it('a registered class without getConfig()', () => {
    class NoConfig extends Module {
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    registerModule('test.NoConfig', NoConfig);
    expect(() => serializeModule(new NoConfig())).toThrow(/the root module \(test\.NoConfig\): module class 'test\.NoConfig' has no getConfig\(\)/);
  });

  it('a config JSON cannot hold: a function activation, a non-finite number', () => {
    const t = new L.TransformerEncoderLayer(4, 1, { dimFeedforward: 4, activation: (x) => x.relu() });
    expect(() => serializeModule(new Sequential(t))).toThrow(/module '0' \(TransformerEncoderLayer\).*activation 'activation' is a function/);
    t.dispose();
    expect(() => serializeModule(new Scaled({ factor: Infinity }))).toThrow(/config of the root module \(test\.Scaled\) has the number Infinity at 'factor'/);
  });

  it('an unknown class name when rebuilding, naming it and how to register it', () => {
    const spec: ModuleSpec = { class: 'Sequential', config: {}, children: [{ class: 'Linear', config: { inFeatures: 2, outFeatures: 2 } }, { class: 'MyBlock', config: {} }] };
    const before = memory().numTensors;
    expect(() => deserializeModule(spec)).toThrow(/module '1': unknown module class 'MyBlock'; register it with registerModule\('MyBlock', MyBlock\)/);
    expect(memory().numTensors).toBe(before); // the Linear built before the error is freed
  });

  it('malformed specs and configs', () => {
    expect(() => deserializeModule(null)).toThrow(/the root module: expected a module spec \{class, config\}, got null/);
    expect(() => deserializeModule({ config: {} })).toThrow(/'class' must be a string/);
    expect(() => deserializeModule({ class: 'Linear', config: [] })).toThrow(/'config' of Linear must be an object, got an array/);
    expect(() => deserializeModule({ class: 'Linear', config: { inFeatures: 2 } })).toThrow(/cannot build Linear .*lacks 'outFeatures'/);
    expect(() => deserializeModule({ class: 'Dropout', config: { p: 2 } })).toThrow(/cannot build Dropout from config \{"p":2\}: Dropout: p must be in \[0, 1\]/);
    expect(() => deserializeModule({ class: 'Sequential', config: {}, children: {} })).toThrow(/'children' of Sequential must be an array/);
    expect(() => deserializeModule({ class: 'ReLU', config: {}, children: [] })).toThrow(/ReLU is not a container/);
  });
});
