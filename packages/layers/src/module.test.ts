import '../test/setup.js';
import { describe, expect, it } from 'vitest';
import { memory, mul, ones, randn, relu, sum, tidy, zeros, type Tensor } from '@mapnn/core';
import {
  BatchNorm2d,
  Conv2d,
  Dropout,
  Flatten,
  Linear,
  MaxPool2d,
  Module,
  ModuleList,
  ReLU,
  ResidualBlock,
  Sequential,
  parameter,
  summary,
} from './index.js';

class Mlp extends Module {
  fc1 = new Linear(4, 8);
  act = new ReLU();
  fc2 = new Linear(8, 2);
  forward(x: Tensor) {
    return this.fc2.call(this.act.call(this.fc1.call(x)));
  }
}

const smallCnn = () =>
  new Sequential(new Conv2d(1, 4, 3, { padding: 1 }), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(64, 3));

describe('Sequential and ModuleList', () => {
  it('names children 0, 1, … like PyTorch and chains them', () => {
    const m = smallCnn();
    expect(Object.keys(m.stateDict())).toEqual([
      '0.weight',
      '0.bias',
      '1.weight',
      '1.bias',
      '5.weight',
      '5.bias',
      '1.running_mean',
      '1.running_var',
      '1.num_batches_tracked',
    ]);
    expect(m.length).toBe(6);
    expect(m.at(-1)).toBeInstanceOf(Linear);
    expect([...m].map((c) => c.constructor.name)).toEqual(['Conv2d', 'BatchNorm2d', 'ReLU', 'MaxPool2d', 'Flatten', 'Linear']);
    tidy(() => {
      expect(m.call(randn([2, 1, 8, 8])).shape).toEqual([2, 3]);
    });
    m.append(new ReLU());
    expect(m.length).toBe(7);
    m.dispose();
  });

  it('orders more than ten children numerically and nests names', () => {
    const inner = new Sequential(...Array.from({ length: 12 }, () => new Linear(2, 2)));
    const outer = new Sequential(inner, new Linear(2, 1));
    const keys = outer.namedParameters().map(([k]) => k);
    expect(keys.slice(0, 4)).toEqual(['0.0.weight', '0.0.bias', '0.1.weight', '0.1.bias']);
    expect(keys).toContain('0.11.weight');
    expect(keys.indexOf('0.2.weight')).toBeLessThan(keys.indexOf('0.10.weight'));
    expect(keys.at(-1)).toBe('1.bias');
    outer.dispose();
  });

  it('ModuleList registers its modules (iteration, at, push) and has no forward', () => {
    class Deep extends Module {
      blocks = new ModuleList(Array.from({ length: 3 }, () => new Linear(3, 3)));
      forward(x: Tensor) {
        for (const b of this.blocks) x = relu(b.call(x));
        return x;
      }
    }
    const d = new Deep();
    expect(d.parameters()).toHaveLength(6);
    expect(d.namedParameters()[2]![0]).toBe('blocks.1.weight');
    expect(d.blocks.length).toBe(3);
    d.blocks.push(new Linear(3, 3));
    expect(d.blocks.at(-1)).toBe(d.blocks.children()[3]);
    expect(() => (d.blocks as unknown as { forward(): void }).forward()).toThrow(/no forward/);
    tidy(() => {
      expect(d.call(ones([2, 3])).shape).toEqual([2, 3]);
    });
    d.dispose();
  });
});

describe('loadStateDict', () => {
  it('round-trips a state dict between two models', () => {
    const a = smallCnn();
    const b = smallCnn();
    tidy(() => a.call(randn([4, 1, 8, 8]))); // moves running stats
    b.loadStateDict(a.stateDict());
    for (const [k, v] of Object.entries(a.stateDict())) expect(Array.from(b.stateDict()[k]!.dataSync())).toEqual(Array.from(v.dataSync()));
    a.eval();
    b.eval();
    tidy(() => {
      const x = randn([2, 1, 8, 8]);
      expect(Array.from(b.call(x).dataSync())).toEqual(Array.from(a.call(x).dataSync()));
    });
    a.dispose();
    b.dispose();
  });

  it('names missing keys, unexpected keys and shape mismatches in one error, changing nothing', () => {
    const m = new Mlp();
    const sd = m.stateDict();
    const before = Array.from(m.fc1.weight.dataSync());
    const bad = {
      'fc1.weight': zeros([8, 4]),
      'fc1.bias': zeros([7]),
      'fc2.weight': zeros([2, 8]),
      'fc3.weight': zeros([1]),
    };
    let err: Error | null = null;
    try {
      m.loadStateDict(bad);
    } catch (e) {
      err = e as Error;
    }
    expect(err).not.toBeNull();
    expect(err!.message).toMatch(/missing keys: fc2\.bias/);
    expect(err!.message).toMatch(/unexpected keys: fc3\.weight/);
    expect(err!.message).toMatch(/fc1\.bias: expected \[8\], got \[7\]/);
    expect(Array.from(m.fc1.weight.dataSync())).toEqual(before);
    // non-strict: missing/unexpected are reported, not thrown; shape mismatches still throw
    const res = m.loadStateDict({ 'fc1.weight': bad['fc1.weight'], extra: zeros([1]) }, { strict: false });
    expect(res.missing).toEqual(['fc1.bias', 'fc2.weight', 'fc2.bias']);
    expect(res.unexpected).toEqual(['extra']);
    expect(Array.from(m.fc1.weight.dataSync()).every((v) => v === 0)).toBe(true);
    expect(() => m.loadStateDict({ 'fc1.bias': zeros([3]) }, { strict: false })).toThrow(/shape mismatches/);
    expect(Object.keys(sd)).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
    for (const t of Object.values(bad)) t.dispose();
    m.dispose();
  });

  it('accepts {shape, data} records (e.g. from JSON) and casts to the parameter dtype', () => {
    const fc = new Linear(2, 1);
    fc.loadStateDict({ weight: { shape: [1, 2], data: [1, 2] }, bias: { shape: [1], data: [0.5] } });
    expect(Array.from(fc.weight.dataSync())).toEqual([1, 2]);
    expect(fc.weight.dtype).toBe('float32');
    expect(fc.weight.requiresGrad).toBe(true);
    fc.dispose();
  });
});

describe('freeze / unfreeze', () => {
  it('frozen parameters get no gradient, the rest still train', () => {
    const m = new Mlp();
    m.fc1.freeze();
    expect(m.trainableParameters()).toEqual([m.fc2.weight, m.fc2.bias]);
    expect(m.numParameters()).toBe(4 * 8 + 8 + 8 * 2 + 2);
    expect(m.numParameters(true)).toBe(8 * 2 + 2);
    tidy(() => sum(m.call(randn([3, 4]))).backward());
    expect(m.fc1.weight.grad).toBeNull();
    expect(m.fc1.bias!.grad).toBeNull();
    expect(m.fc2.weight.grad).not.toBeNull();
    m.zeroGrad();
    m.unfreeze();
    tidy(() => sum(m.call(randn([3, 4]))).backward());
    expect(m.fc1.weight.grad).not.toBeNull();
    m.zeroGrad();
    expect(m.fc1.weight.grad).toBeNull();
    m.dispose();
  });
});

describe('forward hooks', () => {
  it('run after forward with (module, inputs, output) and can be removed', () => {
    const m = new Mlp();
    const seen: [string, number[], number[]][] = [];
    const h = m.fc1.registerForwardHook((mod, inputs, out) => {
      seen.push([mod.constructor.name, [...(inputs[0] as Tensor).shape], [...(out as Tensor).shape]]);
    });
    tidy(() => m.call(randn([5, 4])));
    expect(seen).toEqual([['Linear', [5, 4], [5, 8]]]);
    h.remove();
    tidy(() => m.call(randn([5, 4])));
    expect(seen).toHaveLength(1);
    m.dispose();
  });
});

describe('train / eval', () => {
  it('switches every descendant and changes dropout and batch-norm behaviour', () => {
    const m = new Sequential(new Linear(4, 4), new BatchNorm2d(1), new Dropout(0.5));
    const inner = new Sequential(m, new ReLU());
    expect(inner.modules().every((x) => x.training)).toBe(true);
    inner.eval();
    expect(inner.modules().every((x) => !x.training)).toBe(true);
    inner.train();
    expect(inner.modules().every((x) => x.training)).toBe(true);
    inner.train(false);
    expect(m.at(1).training).toBe(false);
    inner.dispose();
  });

  it('batch norm: train updates running stats, eval uses them and leaves them alone', () => {
    const bn = new BatchNorm2d(2);
    tidy(() => {
      const x = mul(randn([8, 2, 3, 3]), 3);
      bn.call(x);
      const rm = Array.from(bn.runningMean!.dataSync());
      expect(rm.some((v) => v !== 0)).toBe(true);
      expect(bn.numBatchesTracked!.item()).toBe(1);
      bn.eval();
      const y1 = Array.from(bn.call(x).dataSync());
      expect(Array.from(bn.runningMean!.dataSync())).toEqual(rm);
      expect(bn.numBatchesTracked!.item()).toBe(1);
      bn.train();
      const y2 = Array.from(bn.call(x).dataSync());
      expect(y2).not.toEqual(y1);
      expect(bn.numBatchesTracked!.item()).toBe(2);
    });
    expect(() => tidy(() => bn.call(randn([1, 2, 1, 1])))).toThrow(/more than 1 value per channel/);
    bn.dispose();
  });
});

describe('summary', () => {
  it('lists leaf layers with output shapes and parameter counts, and the totals', () => {
    const m = smallCnn();
    m.at(0).freeze();
    const live = memory().numTensors;
    const rm = Array.from((m.at(1) as BatchNorm2d).runningMean!.dataSync());
    const s = summary(m, [2, 1, 8, 8]);
    expect(memory().numTensors).toBe(live);
    expect(Array.from((m.at(1) as BatchNorm2d).runningMean!.dataSync())).toEqual(rm); // ran in eval mode
    expect(m.training).toBe(true); // mode restored
    expect(s.rows.map((r) => [r.name, r.type, r.outputShape, r.params])).toEqual([
      ['0', 'Conv2d', [[2, 4, 8, 8]], 40],
      ['1', 'BatchNorm2d', [[2, 4, 8, 8]], 8],
      ['2', 'ReLU', [[2, 4, 8, 8]], 0],
      ['3', 'MaxPool2d', [[2, 4, 4, 4]], 0],
      ['4', 'Flatten', [[2, 64]], 0],
      ['5', 'Linear', [[2, 3]], 195],
    ]);
    expect(s.totalParams).toBe(243);
    expect(s.trainableParams).toBe(203);
    expect(s.nonTrainableParams).toBe(40);
    expect(s.table).toContain('Layer (type)');
    expect(s.table).toContain('0 (Conv2d)');
    expect(s.table).toContain('[2, 4, 8, 8]');
    expect(s.table).toContain('5 (Linear)');
    expect(s.table).toContain('Total params: 243');
    expect(s.table).toContain('Trainable params: 203');
    expect(s.table).toContain('Non-trainable params: 40');
    // the temporary hooks are gone: a forward adds no rows
    tidy(() => m.call(zeros([1, 1, 8, 8])));
    expect(s.rows).toHaveLength(6);
    m.dispose();
  });

  it('model.summary prints the table; nested blocks show dotted names; a sample tensor works', () => {
    const m = new Sequential(new Conv2d(2, 4, 3, { padding: 1 }), new ResidualBlock(4, 8, { stride: 2 }));
    const lines: string[] = [];
    const x = zeros([1, 2, 8, 8]);
    const s = m.summary(x, { print: (t) => lines.push(t) });
    expect(lines).toEqual([s.table]);
    const names = s.rows.map((r) => r.name);
    expect(names).toEqual(['0', '1.conv1', '1.bn1', '1.conv2', '1.bn2', '1.downsample.0', '1.downsample.1']);
    expect(s.rows.find((r) => r.name === '1.downsample.0')!.outputShape).toEqual([[1, 8, 4, 4]]);
    expect(s.totalParams).toBe(m.numParameters());
    x.dispose();
    m.dispose();
  });

  it('counts modules with parameters of their own', () => {
    class Scale extends Module {
      g = parameter(ones([3]));
      fc = new Linear(3, 3);
      forward(x: Tensor) {
        return mul(this.fc.call(x), this.g);
      }
    }
    const s = summary(new Scale(), [2, 3]);
    expect(s.rows.map((r) => [r.name, r.params])).toEqual([
      ['fc', 12],
      ['', 3],
    ]);
    expect(s.totalParams).toBe(15);
  });
});

describe('toString', () => {
  it('describes nested modules', () => {
    const m = new Sequential(new Linear(2, 3), new ReLU());
    expect(m.toString()).toBe('Sequential(\n  (0): Linear(in=2, out=3, bias=true)\n  (1): ReLU\n)');
    m.dispose();
  });
});
