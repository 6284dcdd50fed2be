import { describe, expect, it } from 'vitest';
import { leakCheck, memory, noGrad, randn, setDebugLeaks, tensor, tidy, type Tensor } from '../index.js';

describe('memory', () => {
  it('1,000 steps of a small training loop leave the tensor count unchanged', () => {
    // A 2-layer MLP on a fixed batch, trained by hand-written SGD.
    const X = randn([16, 4]);
    const Y = randn([16, 1]);
    const params = [randn([4, 8]).mul(0.3), randn([8]).mul(0), randn([8, 1]).mul(0.3), randn([1]).mul(0)].map((p) => p.keep().requiresGrad_());
    const [w1, b1, w2, b2] = params as [Tensor, Tensor, Tensor, Tensor];
    const step = () =>
      tidy(() => {
        const h = X.matmul(w1).add(b1).relu();
        const err = h.matmul(w2).add(b2).sub(Y);
        const loss = err.mul(err).mean();
        loss.backward();
        noGrad(() => {
          for (const p of params) {
            p.assign(p.sub(p.grad!.mul(0.05)));
            p.grad!.dispose();
            p.grad = null;
          }
        });
        return loss.item();
      });
    const first = step();
    const before = memory();
    let last = first;
    for (let i = 0; i < 1000; i++) last = step();
    const after = memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    expect(last).toBeLessThan(first); // it did train
  });

  it('tidy keeps returned tensors and frees the rest; keep() survives', () => {
    const before = memory().numTensors;
    let kept: Tensor | undefined;
    const out = tidy(() => {
      const a = tensor([1, 2, 3]);
      kept = a.mul(2).keep();
      return { result: a.add(1), list: [a.sub(1)] };
    });
    expect(memory().numTensors).toBe(before + 3);
    expect(Array.from(out.result.dataSync())).toEqual([2, 3, 4]);
    out.result.dispose();
    out.list[0]!.dispose();
    kept!.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('an op leaves exactly one tensor, however it is composed', () => {
    const x = tensor([[1, 2], [3, 4]]);
    const before = memory().numTensors;
    const y = x.softmax(-1);
    expect(memory().numTensors).toBe(before + 1);
    y.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('Symbol.dispose frees a tensor at the end of a block', () => {
    const before = memory().numTensors;
    {
      const t = tensor([1, 2]);
      t[Symbol.dispose]();
      expect(t.isDisposed).toBe(true);
    }
    expect(memory().numTensors).toBe(before);
  });

  it('leakCheck reports tensors created and not freed, with their op', () => {
    setDebugLeaks(true);
    try {
      const check = leakCheck();
      const leaked = tensor([1]).add(1);
      const report = check();
      expect(report.count).toBe(2);
      expect(report.tensors.map((t) => t.op).sort()).toEqual(['add', 'tensor']);
      expect(report.toString()).toContain("from 'add'");
      leaked.dispose();
    } finally {
      setDebugLeaks(false);
    }
  });

  it('using a disposed tensor is a clear error', () => {
    const t = tensor([1, 2]);
    t.dispose();
    expect(() => t.add(1)).toThrow(/disposed/);
  });
});
