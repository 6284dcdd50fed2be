import '../test/setup.js';
import { describe, expect, it } from 'vitest';
import { Generator, conv2d, linear, observeKernels, randn, relu, sum, tidy, type Tensor } from '@mapnn/core';
import { Conv2d, Flatten, Linear, ReLU, Sequential, fusionEnabled, withoutFusion } from './index.js';

/** Ops the forward pass of `fn` runs, in order. */
function opsOf(fn: () => Tensor): string[] {
  const ops: string[] = [];
  tidy(() => observeKernels((e) => ops.push(e.op === 'fusedMatmul' ? `fusedMatmul:${String(e.attrs.activation)}` : e.op), fn));
  return ops;
}

/** Values and parameter gradients of `sum(model(x)²)`. */
function valuesAndGrads(model: Sequential, x: Tensor): number[][] {
  for (const p of model.parameters()) p.grad = null;
  return tidy(() => {
    const y = model.call(x);
    sum(y.mul(y)).backward();
    return [Array.from(y.dataSync()), ...model.parameters().map((p) => Array.from(p.grad!.dataSync()))];
  });
}

describe('Sequential: Linear → ReLU fusion', () => {
  const make = () => {
    const g = new Generator(7);
    return new Sequential(new Linear(6, 5, { generator: g }), new ReLU(), new Linear(5, 3, { generator: g }), new ReLU());
  };

  it('runs each Linear → ReLU pair as one fused op, with the values and gradients of the unfused layers', () => {
    const model = make();
    const x = randn([4, 6], { generator: new Generator(1) });
    const ops = opsOf(() => model.call(x));
    expect(ops.filter((o) => o === 'fusedMatmul:relu')).toHaveLength(2);
    expect(ops).not.toContain('maximum'); // no separate ReLU kernel
    // the reference: the same layers one by one (Linear then relu), not fused
    const [l1, , l2] = model.layers() as [Linear, ReLU, Linear];
    const ref = tidy(() => {
      const y = relu(linear(relu(linear(x, l1.weight, l1.bias)), l2.weight, l2.bias));
      sum(y.mul(y)).backward();
      return [Array.from(y.dataSync()), ...model.parameters().map((p) => Array.from(p.grad!.dataSync()))];
    });
    for (const p of model.parameters()) p.grad = null;
    const fused = valuesAndGrads(model, x);
    expect(fused[0]!.some((v) => v === 0) && fused[0]!.some((v) => v > 0), 'the ReLU clips some outputs').toBe(true);
    fused.forEach((v, i) => v.forEach((a, j) => expect(a).toBeCloseTo(ref[i]![j]!, 6)));
  });

  it('does not fuse when the Linear or the ReLU has a forward hook (the hook sees each output)', () => {
    const model = make();
    const x = randn([2, 6], { generator: new Generator(2) });
    const seen: number[][] = [];
    const h = (model.at(1) as ReLU).registerForwardHook((_m, _in, out) => void seen.push([...(out as Tensor).shape]));
    const ops = opsOf(() => model.call(x));
    expect(seen).toEqual([[2, 5]]);
    expect(ops.filter((o) => o === 'fusedMatmul:relu')).toHaveLength(1); // only the second pair
    expect(ops.filter((o) => o === 'maximum')).toHaveLength(1); // the hooked ReLU ran on its own
    h.remove();
    expect(opsOf(() => model.call(x)).filter((o) => o === 'fusedMatmul:relu')).toHaveLength(2);
  });

  it('withoutFusion runs every module on its own (tools that trace module calls need that)', () => {
    const model = make();
    const x = randn([2, 6], { generator: new Generator(5) });
    const ops = withoutFusion(() => {
      expect(fusionEnabled()).toBe(false);
      return opsOf(() => model.call(x));
    });
    expect(fusionEnabled()).toBe(true);
    expect(ops.filter((o) => o === 'maximum')).toHaveLength(2);
    expect(ops.filter((o) => o === 'fusedMatmul:relu')).toHaveLength(0);
  });

  it('does not fuse a Linear subclass that overrides forward, nor a Linear with its own activation', () => {
    class Doubling extends Linear {
      override forward(x: Tensor): Tensor {
        return super.forward(x).mul(2);
      }
    }
    const g = new Generator(3);
    const model = new Sequential(new Doubling(3, 2, { generator: g }), new ReLU(), new Linear(2, 2, { generator: g, activation: 'relu' }), new ReLU());
    const ops = opsOf(() => model.call(randn([2, 3], { generator: g })));
    expect(ops.filter((o) => o === 'maximum')).toHaveLength(2); // both ReLU modules ran
    expect(ops.filter((o) => o === 'fusedMatmul:relu')).toHaveLength(1); // the Linear with activation 'relu'
  });

  it('runs Conv2d → ReLU as one conv2d with activation relu, with the same values and gradients', () => {
    const g = new Generator(11);
    const model = new Sequential(new Conv2d(2, 3, 3, { padding: 1, generator: g }), new ReLU(), new Flatten(), new Linear(3 * 5 * 5, 2, { generator: g }));
    const x = randn([2, 2, 5, 5], { generator: g });
    // the ReLU module itself does not run: its work is inside conv2d
    const original = ReLU.prototype.forward;
    let reluCalls = 0;
    ReLU.prototype.forward = function (this: ReLU, t: Tensor) {
      reluCalls++;
      return original.call(this, t);
    };
    let fused: number[][];
    try {
      fused = valuesAndGrads(model, x);
      expect(reluCalls).toBe(0);
      withoutFusion(() => tidy(() => void model.call(x)));
      expect(reluCalls).toBe(1);
    } finally {
      ReLU.prototype.forward = original;
    }
    const [c] = model.layers() as [Conv2d];
    const lin = model.at(3) as Linear;
    for (const p of model.parameters()) p.grad = null;
    const ref = tidy(() => {
      const h = relu(conv2d(x, c.weight, c.bias, { padding: 1 }));
      const y = linear(h.reshape([2, 75]), lin.weight, lin.bias);
      sum(y.mul(y)).backward();
      return [Array.from(y.dataSync()), ...model.parameters().map((p) => Array.from(p.grad!.dataSync()))];
    });
    expect(ref[0]!.length).toBe(4);
    fused!.forEach((v, i) => v.forEach((a, j) => expect(a).toBeCloseTo(ref[i]![j]!, 6)));
    expect(c.describe()).toBe('Conv2d(2, 3, kernel=[3, 3], stride=1, padding=1)');
    expect(new Conv2d(1, 1, 1, { activation: 'relu' }).describe()).toContain('activation=relu');
    expect(() => new Conv2d(1, 1, 1, { activation: 'gelu' as 'relu' })).toThrow("Conv2d: activation must be 'none' or 'relu', got 'gelu'");
  });

  it("Linear's activation option equals Linear followed by relu", () => {
    const g = new Generator(4);
    const fc = new Linear(3, 4, { generator: g, activation: 'relu' });
    const x = randn([5, 3], { generator: g });
    const got = tidy(() => Array.from(fc.call(x).dataSync()));
    const want = tidy(() => Array.from(relu(linear(x, fc.weight, fc.bias)).dataSync()));
    expect(got).toEqual(want);
    expect(fc.describe()).toBe('Linear(in=3, out=4, bias=true, activation=relu)');
    expect(() => new Linear(2, 2, { activation: 'tanh' as 'relu' })).toThrow("Linear: activation must be 'none' or 'relu', got 'tanh'");
  });
});
