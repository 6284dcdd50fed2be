import '@mapnn/backend-cpu';
import { getPlugin, listPlugins, memory, registerPlugin, setBackend, tensor, tidy, zeros, type Tensor } from '@mapnn/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Adam } from './adam.js';
import { clipGradNorm } from './clip.js';
import type { Optimizer, OptimizerStateDict } from './optimizer.js';
import { optimizerByName, type OptimizerFactory } from './registry.js';
import { SGD } from './sgd.js';
import { CosineAnnealingLR } from './schedulers/cosine-annealing-lr.js';
import { backward, makeProblem } from '../test/problem.js';

beforeAll(() => setBackend('cpu'));

/** Every optimizer with options that create all of its state. */
const FULL_STATE: [string, Record<string, unknown>][] = [
  ['sgd', { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 }],
  ['adam', { lr: 0.05, amsgrad: true, weightDecay: 0.01 }],
  ['adamw', { lr: 0.05, amsgrad: true }],
  ['adamax', { lr: 0.05 }],
  ['nadam', { lr: 0.05 }],
  ['rmsprop', { lr: 0.01, centered: true, momentum: 0.5 }],
  ['adagrad', { lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1 }],
  ['adadelta', { lr: 1, rho: 0.8 }],
];

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup) f();
  cleanup = [];
});

function setup(name: string, options: Record<string, unknown>): { opt: Optimizer; p: ReturnType<typeof makeProblem> } {
  const p = makeProblem();
  const opt = optimizerByName(name, [p.W, p.b], options);
  cleanup.push(() => {
    opt.zeroGrad();
    opt.dispose();
    p.dispose();
  });
  return { opt, p };
}

function train(opt: Optimizer, loss: () => Tensor, steps: number): void {
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    backward(loss);
    opt.step();
  }
}

describe('registry', () => {
  it('registers every optimizer in core under kind "optimizer"', () => {
    expect(listPlugins('optimizer')).toEqual(expect.arrayContaining(FULL_STATE.map(([n]) => n)));
    expect(typeof getPlugin<OptimizerFactory>('optimizer', 'adamw')).toBe('function');
  });

  it('optimizerByName is case-insensitive and passes the options', () => {
    const { opt } = setup('AdamW', { lr: 0.3 });
    expect(opt.name).toBe('AdamW');
    expect(opt.paramGroups[0]!.lr).toBe(0.3);
    expect(opt.paramGroups[0]!.weightDecay).toBe(1e-2);
  });

  it('names the registered optimizers for an unknown name', () => {
    expect(() => optimizerByName('lion', [zeros([1])])).toThrow(/no optimizer 'lion'.*sgd.*adam/);
  });

  it('finds optimizers registered by other packages', () => {
    registerPlugin<OptimizerFactory>('optimizer', 'my-sgd', (params, o) => new SGD(params, { ...o, momentum: 0.5 }));
    const { opt } = setup('my-sgd', { lr: 0.2 });
    expect(opt.paramGroups[0]!.momentum).toBe(0.5);
  });
});

describe('parameter groups', () => {
  it('applies each group its own lr and options, defaults for the rest', () => {
    const p = makeProblem();
    const opt = new SGD([{ params: [p.W], lr: 0.1 }, { params: p.b, lr: 0.01, momentum: 0.5 }], { lr: 1, momentum: 0.9 });
    cleanup.push(() => (opt.zeroGrad(), p.dispose()));
    expect(opt.paramGroups.map((g) => [g.lr, g.momentum, g.params.length])).toEqual([
      [0.1, 0.9, 1],
      [0.01, 0.5, 1],
    ]);
    const W0 = [...p.W.dataSync()];
    const b0 = [...p.b.dataSync()];
    backward(p.loss);
    const gW = [...p.W.grad!.dataSync()];
    const gb = [...p.b.grad!.dataSync()];
    opt.step();
    [...p.W.dataSync()].forEach((v, i) => expect(v).toBeCloseTo(W0[i]! - 0.1 * gW[i]!, 14));
    [...p.b.dataSync()].forEach((v, i) => expect(v).toBeCloseTo(b0[i]! - 0.01 * gb[i]!, 14));
  });

  it('addParamGroup adds a group with defaults; a parameter may be in one group only', () => {
    const p = makeProblem();
    const opt = new Adam([p.W], { lr: 0.01, betas: [0.8, 0.9] });
    cleanup.push(() => (opt.zeroGrad(), opt.dispose(), p.dispose()));
    opt.addParamGroup({ params: [p.b], lr: 0.5 });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.5, betas: [0.8, 0.9], eps: 1e-8, amsgrad: false });
    // the betas array is a copy: changing one group does not change the other or the defaults
    (opt.paramGroups[1]!.betas as number[])[0] = 0.1;
    expect(opt.paramGroups[0]!.betas[0]).toBe(0.8);
    expect(opt.defaults.betas[0]).toBe(0.8);
    expect(() => opt.addParamGroup({ params: [p.W] })).toThrow(/more than one parameter group/);
    train(opt, p.loss, 2);
    expect(opt.state.get(p.b)!.step).toBe(2);
  });

  it('validates parameters and hyper-parameters', () => {
    const p = makeProblem();
    cleanup.push(() => p.dispose());
    expect(() => new SGD([], {})).toThrow(/empty parameter list/);
    expect(() => new SGD([p.W, p.W])).toThrow(/twice/);
    expect(() => new SGD([tensor([1, 2], [2], 'int32')])).toThrow(/float tensors/);
    expect(() => new SGD([p.W], { lr: -1 })).toThrow(/invalid lr -1/);
    expect(() => new SGD([p.W], { nesterov: true })).toThrow(/Nesterov/);
    expect(() => new Adam([p.W], { betas: [1, 0.9] })).toThrow(/beta1/);
    expect(() => new Adam([{ params: [p.W], eps: -1 }])).toThrow(/eps -1 in param group 0/);
    const y = tidy(() => p.W.mul(2));
    expect(() => new SGD([y])).toThrow(/non-leaf/);
    y.dispose();
  });
});

describe('zeroGrad and step', () => {
  it('zeroGrad disposes the gradients (or zeros them with setToNone = false)', () => {
    const { opt, p } = setup('sgd', { lr: 0.1 });
    backward(p.loss);
    const g = p.W.grad!;
    opt.zeroGrad();
    expect(p.W.grad).toBeNull();
    expect(p.b.grad).toBeNull();
    expect(g.isDisposed).toBe(true);
    backward(p.loss);
    opt.zeroGrad(false);
    expect([...p.W.grad!.dataSync()]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('skips parameters without a gradient (no state is created)', () => {
    const { opt, p } = setup('adam', { lr: 0.1 });
    const b0 = [...p.b.dataSync()];
    tidy(() => p.W.sum().backward());
    opt.step();
    expect([...p.b.dataSync()]).toEqual(b0);
    expect(opt.state.has(p.b)).toBe(false);
    expect(opt.state.get(p.W)!.step).toBe(1);
  });

  it('step(closure) evaluates the closure with gradients and returns its result', () => {
    const { opt, p } = setup('sgd', { lr: 0.1 });
    const loss = opt.step(() => {
      opt.zeroGrad();
      return tidy(() => {
        const l = p.loss();
        l.backward();
        return l.item();
      });
    });
    expect(loss).toBeGreaterThan(0);
    expect(p.W.grad).not.toBeNull();
  });

  it('keeps float32 parameters float32', () => {
    const W = tensor([[1, 2], [3, 4]]).requiresGrad_();
    const opt = new Adam([W], { lr: 0.1 });
    cleanup.push(() => (opt.zeroGrad(), opt.dispose(), W.dispose()));
    tidy(() => W.mul(W).sum().backward());
    opt.step();
    expect(W.dtype).toBe('float32');
    expect((opt.state.get(W)!.expAvg as Tensor).dtype).toBe('float32');
    expect(W.dataSync()[0]).toBeCloseTo(0.9, 5);
  });
});

describe('state dict', () => {
  for (const [name, options] of FULL_STATE) {
    it(`${name}: saving mid-run and loading into a fresh optimizer continues identically`, () => {
      const a = setup(name, options);
      const b = setup(name, options);
      train(a.opt, a.p.loss, 7);
      a.opt.paramGroups[0]!.lr *= 0.5; // hyper-parameters travel with the state
      const sd = JSON.parse(JSON.stringify(a.opt.stateDict())) as OptimizerStateDict;
      // copy the parameters too, as a checkpoint would
      b.p.W.assign(tensor([...a.p.W.dataSync()], [3, 2], 'float64'));
      b.p.b.assign(tensor([...a.p.b.dataSync()], [2], 'float64'));
      train(b.opt, b.p.loss, 2); // state that loading must replace
      b.opt.loadStateDict(sd);
      b.p.W.assign(tensor([...a.p.W.dataSync()], [3, 2], 'float64'));
      b.p.b.assign(tensor([...a.p.b.dataSync()], [2], 'float64'));
      expect(b.opt.paramGroups[0]!.lr).toBe(a.opt.paramGroups[0]!.lr);
      train(a.opt, a.p.loss, 8);
      train(b.opt, b.p.loss, 8);
      expect([...b.p.W.dataSync()]).toEqual([...a.p.W.dataSync()]);
      expect([...b.p.b.dataSync()]).toEqual([...a.p.b.dataSync()]);
      expect(b.opt.stateDict()).toEqual(a.opt.stateDict());
    });
  }

  it('has the PyTorch layout with plain arrays', async () => {
    const { opt, p } = setup('adam', { lr: 0.1, amsgrad: true });
    train(opt, p.loss, 3);
    const sd = opt.stateDict();
    expect(Object.keys(sd.state)).toEqual(['0', '1']);
    expect(sd.state['0']!.step).toBe(3);
    expect(sd.state['1']!.expAvg).toMatchObject({ dtype: 'float64', shape: [2] });
    expect(Array.isArray((sd.state['1']!.expAvg as { data: unknown }).data)).toBe(true);
    expect(sd.paramGroups).toEqual([
      { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true, maximize: false, params: [0, 1] },
    ]);
    expect(await opt.stateDictAsync()).toEqual(sd);
  });

  it('rejects a state of another structure', () => {
    const a = setup('sgd', { lr: 0.1, momentum: 0.9 });
    train(a.opt, a.p.loss, 1);
    const sd = a.opt.stateDict();
    const other = new SGD([{ params: [a.p.W] }, { params: [a.p.b] }], { lr: 0.1 });
    expect(() => other.loadStateDict(sd)).toThrow(/1 parameter groups/);
    const swapped = new SGD([a.p.b, a.p.W], { lr: 0.1 });
    expect(() => swapped.loadStateDict(sd)).toThrow(/shape/);
  });
});

describe('memory', () => {
  for (const [name, options] of FULL_STATE) {
    it(`${name}: 200 steps leak no tensors`, () => {
      const { opt, p } = setup(name, options);
      train(opt, p.loss, 1); // creates the state
      const sched = new CosineAnnealingLR(opt, { tMax: 50 });
      opt.zeroGrad();
      const before = memory().numTensors;
      for (let i = 0; i < 200; i++) {
        opt.zeroGrad();
        backward(p.loss);
        clipGradNorm(opt.params(), 10);
        opt.step();
        sched.step();
      }
      opt.zeroGrad();
      expect(memory().numTensors).toBe(before);
      const stateTensors = [...opt.state.values()].flatMap((s) => Object.values(s)).filter((v) => typeof v !== 'number');
      opt.dispose();
      expect(memory().numTensors).toBe(before - stateTensors.length);
    });
  }
});
