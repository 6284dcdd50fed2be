import '@mapnn/backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Generator, argmax, memory, noGrad, setBackend, tensor, tidy, type Tensor } from '@mapnn/core';
import { Conv2d, Flatten, Linear, Module, ReLU, Sequential } from '@mapnn/layers';
import { Adam, SGD } from '@mapnn/optimizers';
import { fit } from '@mapnn/train';
import { distill, hintonLoss } from '../index.js';

beforeAll(() => setBackend('cpu'));

const softmax = (z: number[], T: number) => {
  const e = z.map((v) => Math.exp(v / T));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

describe('hintonLoss', () => {
  const zs = [[1, 2, 0.5], [-1, 0, 3]];
  const zt = [[2, 1, 0], [0.5, -0.5, 2]];
  const y = [1, 2];
  /** α·T²·KL(pt ‖ ps) per sample (batch mean) + (1 − α)·CE, written out in plain arithmetic. */
  const byHand = (T: number, alpha: number) => {
    let kl = 0;
    let ce = 0;
    zs.forEach((s, i) => {
      const [ps, pt, p1] = [softmax(s, T), softmax(zt[i]!, T), softmax(s, 1)];
      kl += pt.reduce((a, p, k) => a + p * Math.log(p / ps[k]!), 0);
      ce += -Math.log(p1[y[i]!]!);
    });
    return (alpha * T * T * kl + (1 - alpha) * ce) / zs.length;
  };

  it.each([[2, 0.3], [4, 0.9], [1, 0], [3, 1]])('T = %d, α = %d matches the hand computation', (T, alpha) => {
    const got = tidy(() => hintonLoss(tensor(zs), tensor(zt), tensor(y, [2], 'int32'), { temperature: T, alpha }).dataSync()[0]!);
    expect(got).toBeCloseTo(byHand(T, alpha), 5);
  });

  it("'none' gives one loss per sample, averaging to 'mean'", () => {
    const each = tidy(() => Array.from(hintonLoss(tensor(zs), tensor(zt), tensor(y, [2], 'int32'), { temperature: 2, alpha: 0.3, reduction: 'none' }).dataSync()));
    expect(each).toHaveLength(2);
    expect((each[0]! + each[1]!) / 2).toBeCloseTo(byHand(2, 0.3), 5);
  });

  it('the gradient reaches the student only', () => {
    const s = tensor(zs).requiresGrad_();
    const t = tensor(zt).requiresGrad_();
    hintonLoss(s, t, tensor(y, [2], 'int32'), { temperature: 2, alpha: 0.5 }).backward();
    expect(s.grad).toBeDefined();
    expect(t.grad ?? null).toBeNull();
  });

  it('refuses a temperature ≤ 0 and α outside [0, 1]', () => {
    const args = [tensor(zs), tensor(zt), tensor(y, [2], 'int32')] as const;
    expect(() => hintonLoss(...args, { temperature: 0, alpha: 0.5 })).toThrow(/hintonLoss: temperature must be a finite number > 0, got 0/);
    expect(() => hintonLoss(...args, { temperature: 2, alpha: 1.5 })).toThrow(/hintonLoss: alpha must be a number in \[0, 1\].*got 1\.5/);
  });
});

/** 3 classes in 2-D: blobs around three centres; `noise` of the labels replaced by a random class. */
function blobs(n: number, seed: number, noise = 0): { x: Tensor; y: Tensor; clean: number[] } {
  const g = new Generator(seed);
  const centers = [[1.2, 0], [-0.6, 1], [-0.6, -1]];
  const xs: number[] = [];
  const ys: number[] = [];
  const clean: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    xs.push(centers[c]![0]! + g.nextNormal() * 0.7, centers[c]![1]! + g.nextNormal() * 0.7);
    clean.push(c);
    ys.push(g.nextFloat() < noise ? g.nextBelow(3) : c);
  }
  return { x: tensor(xs, [n, 2]), y: tensor(ys, [n], 'int32'), clean };
}

const mlp = (seed: number, hidden = 32) => {
  const g = new Generator(seed);
  return new Sequential(new Linear(2, hidden, { generator: g }), new ReLU(), new Linear(hidden, hidden, { generator: g }), new ReLU(), new Linear(hidden, 3, { generator: g }));
};

const accuracy = (m: Module<any, any>, d: { x: Tensor; clean: number[] }) => {
  m.eval();
  const pred = noGrad(() => tidy(() => Array.from(argmax(m.call(d.x) as Tensor, 1).dataSync())));
  m.train();
  return pred.filter((p, i) => p === d.clean[i]).length / d.clean.length;
};

describe('distill', () => {
  it('a student distilled from a good teacher beats the same student trained alone on noisy labels (seeded)', async () => {
    const test = blobs(600, 99);
    const teacher = mlp(1, 64);
    const clean = blobs(300, 2);
    await fit(teacher, clean, { epochs: 10, optimizer: new Adam(teacher.parameters(), { lr: 1e-2 }), loss: 'cross_entropy', seed: 3 });
    const teacherAcc = accuracy(teacher, test);
    const noisy = blobs(60, 4, 0.5); // 60 samples, half of the labels random
    const alone = mlp(5);
    await fit(alone, noisy, { epochs: 60, optimizer: new Adam(alone.parameters(), { lr: 1e-2 }), loss: 'cross_entropy', batchSize: 20, seed: 6 });
    const student = mlp(5);
    const teacherBefore = Array.from(teacher.parameters()[0]!.dataSync());
    teacher.train();
    const { history, adapters } = await distill({
      teacher, student, data: noisy, temperature: 2, alpha: 0.9, epochs: 60, batchSize: 20, seed: 6,
      optimizer: new Adam(student.parameters(), { lr: 1e-2 }), metrics: ['accuracy'],
    });
    const [accAlone, accDistilled] = [accuracy(alone, test), accuracy(student, test)];
    expect(teacherAcc).toBeGreaterThan(0.8);
    expect(accDistilled).toBeGreaterThan(accAlone + 0.1);
    expect(history.logs.loss!.at(-1)!).toBeLessThan(history.logs.loss![0]!);
    expect(history.logs.accuracy).toHaveLength(60);
    expect(adapters).toEqual([]);
    // the teacher is untouched and its mode restored
    expect(Array.from(teacher.parameters()[0]!.dataSync())).toEqual(teacherBefore);
    expect(teacher.training).toBe(true);
  }, 60_000);

  it('α = 0 is plain cross-entropy training: the same weights as fit', async () => {
    const data = blobs(30, 7);
    const [a, b] = [mlp(8), mlp(8)];
    await fit(a, data, { epochs: 3, optimizer: new SGD(a.parameters(), { lr: 0.1 }), loss: 'cross_entropy', batchSize: 10, seed: 1 });
    await distill({ teacher: mlp(9), student: b, data, alpha: 0, epochs: 3, optimizer: new SGD(b.parameters(), { lr: 0.1 }), batchSize: 10, seed: 1 });
    const [wa, wb] = [a, b].map((m) => m.parameters().flatMap((p) => Array.from(p.dataSync())));
    wa!.forEach((v, i) => expect(wb![i]!).toBeCloseTo(v, 6));
  });

  it('runs the teacher in eval mode (dropout off) without gradients', async () => {
    class Probe extends Module {
      fc = new Linear(2, 3, { generator: new Generator(1) });
      modes: boolean[] = [];
      forward(x: Tensor) {
        this.modes.push(this.training);
        return this.fc.call(x);
      }
    }
    const teacher = new Probe();
    const student = mlp(2);
    await distill({ teacher, student, data: blobs(12, 1), epochs: 1, batchSize: 6, optimizer: new SGD(student.parameters(), { lr: 0.1 }) });
    expect(teacher.modes).toEqual([false, false]);
    expect(teacher.fc.weight.grad ?? null).toBeNull();
  });
});

class Net extends Module {
  conv1: Conv2d;
  conv2: Conv2d;
  flat = new Flatten();
  fc: Linear;
  constructor(c1: number, c2: number, seed: number) {
    super();
    const g = new Generator(seed);
    this.conv1 = new Conv2d(1, c1, 3, { padding: 1, generator: g });
    this.conv2 = new Conv2d(c1, c2, 3, { padding: 1, generator: g });
    this.fc = new Linear(c2 * 4 * 4, 2, { generator: g });
  }
  forward(x: Tensor) {
    return this.fc.call(this.flat.call(this.conv2.call(this.conv1.call(x).relu()).relu()));
  }
}

const images = (n: number, seed: number) => {
  const g = new Generator(seed);
  const xs = Array.from({ length: n * 16 }, () => g.nextNormal());
  return { x: tensor(xs, [n, 1, 4, 4]), y: tensor(Array.from({ length: n }, (_, i) => i % 2), [n], 'int32') };
};

describe('distill with feature hints (FitNets)', () => {
  it('adds weight · MSE of the hooked features (hand-checked at lr 0) and removes its hooks', async () => {
    const [teacher, student] = [new Net(4, 6, 1), new Net(3, 6, 2)];
    const data = images(8, 3);
    const weight = 0.7;
    const { history } = await distill({
      teacher, student, data, epochs: 1, batchSize: 8, shuffle: false, temperature: 2, alpha: 0.5,
      optimizer: new SGD(student.parameters(), { lr: 0 }), regularize: false,
      features: [{ teacher: 'conv2', student: 'conv2', weight, adapter: false }],
    });
    const expected = noGrad(() =>
      tidy(() => {
        const feat = (m: Net) => m.conv2.call(m.conv1.call(data.x).relu());
        const hint = feat(student).sub(feat(teacher)).square().mean();
        const kd = hintonLoss(student.call(data.x), teacher.call(data.x), data.y, { temperature: 2, alpha: 0.5 });
        return kd.add(hint.mul(weight)).dataSync()[0]!;
      }),
    );
    expect(history.logs.loss![0]!).toBeCloseTo(expected, 5);
    expect(teacher.conv2.hasForwardHooks() || student.conv2.hasForwardHooks()).toBe(false);
  });

  it('learns a 1×1 adapter when the channels differ, and the hint MSE falls', async () => {
    const [teacher, student] = [new Net(4, 8, 1), new Net(2, 3, 2)];
    const data = images(16, 4);
    const before = memory().numTensors;
    const opt = new Adam(student.parameters(), { lr: 1e-2 });
    const { history, adapters } = await distill({
      teacher, student, data, epochs: 40, batchSize: 8, alpha: 0, seed: 5, optimizer: opt,
      features: [{ teacher: 'conv2', student: 'conv2', weight: 1 }],
    });
    expect(adapters).toHaveLength(1);
    const a = adapters[0] as Conv2d;
    expect(a.weight.shape).toEqual([8, 3, 1, 1]);
    expect(opt.paramGroups).toHaveLength(2);
    // α = 0: the loss is CE + the hint; both fall, and the hint can only fall through the student and adapter
    expect(history.logs.loss!.at(-1)!).toBeLessThan(history.logs.loss![0]! * 0.7);
    const params = student.parameters().length + a.parameters().length;
    expect(memory().numTensors).toBe(before + a.parameters().length + 2 * params); // the adapter, and Adam moments (no leak)
  });

  it('refuses bad settings with clear errors, before training', async () => {
    const [teacher, student] = [new Net(4, 6, 1), new Net(3, 6, 2)];
    const data = images(4, 1);
    const base = { teacher, student, data, epochs: 1, optimizer: new SGD(student.parameters(), { lr: 0.1 }) };
    await expect(distill({ ...base, temperature: 0 })).rejects.toThrow(/distill: temperature must be a finite number > 0, got 0/);
    await expect(distill({ ...base, temperature: -2 })).rejects.toThrow(RangeError);
    await expect(distill({ ...base, alpha: 1.2 })).rejects.toThrow(/distill: alpha must be a number in \[0, 1\].*got 1\.2/);
    await expect(distill({ ...base, alpha: -0.1 })).rejects.toThrow(RangeError);
    await expect(distill({ ...base, features: [{ teacher: 'conv9', student: 'conv2' }] })).rejects.toThrow(
      /distill: the teacher \(Net\) has no layer named 'conv9'; its layers: 'conv1', 'conv2', 'flat', 'fc'/,
    );
    await expect(distill({ ...base, features: [{ teacher: 'conv2', student: 'nope' }] })).rejects.toThrow(/the student \(Net\) has no layer named 'nope'/);
    await expect(distill({ ...base, features: [{ teacher: 'conv2', student: 'conv1' }] , alpha: 0.5, batchSize: 4, epochs: 1 })).resolves.toBeDefined(); // 3 → 6 channels: adapter
    await expect(distill({ ...base, features: [{ teacher: 'conv2', student: 'fc' }] })).rejects.toThrow(/feature hint student 'fc' \[4, 2\] → teacher 'conv2' \[4, 6, 4, 4\]: hints need features of the same rank/);
    await expect(distill({ ...base, features: [{ teacher: 'conv1', student: 'conv2', adapter: false }] })).rejects.toThrow(/channel counts differ \(6 vs 4\) and adapter is false/);
    // nothing left behind after a failure
    expect(teacher.conv1.hasForwardHooks() || student.conv2.hasForwardHooks()).toBe(false);
    expect(teacher.training).toBe(true);
  });
});
