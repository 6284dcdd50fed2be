// Loss modules built with a caller's tensor (class weight, posWeight, alpha) never free it:
// the module keeps its own buffer handle and `dispose()` releases only that (issue 14).
import '../../test/setup.js';
import { memory, randn, tensor, tidy, type Tensor, type TensorLike } from '@mapnn/core';
import { describe, expect, it } from 'vitest';
import type { Module } from '../module.js';
import * as L from '../index-losses.js';

type Loss = Module<[Tensor, TensorLike], Tensor>;

interface Case {
  name: string;
  /** The buffer names the option becomes, as in PyTorch's state dict. */
  keys: string[];
  make: (w: Tensor) => Loss;
  /** Input and target matching a 3-class weight. */
  sample: () => [Tensor, TensorLike];
}

const logits = (): [Tensor, TensorLike] => [randn([2, 3]).requiresGrad_(), tensor([0, 2], undefined, 'int64')];
const binary = (): [Tensor, TensorLike] => [randn([2, 3]).requiresGrad_(), tensor([[1, 0, 1], [0, 0, 1]])];

const CASES: Case[] = [
  { name: 'CrossEntropyLoss({ weight })', keys: ['weight'], make: (w) => new L.CrossEntropyLoss({ weight: w }), sample: logits },
  { name: 'NLLLoss({ weight })', keys: ['weight'], make: (w) => new L.NLLLoss({ weight: w }), sample: logits },
  { name: 'MultiMarginLoss({ weight })', keys: ['weight'], make: (w) => new L.MultiMarginLoss({ weight: w }), sample: logits },
  { name: 'SoftmaxFocalLoss({ alpha })', keys: ['alpha'], make: (w) => new L.SoftmaxFocalLoss({ alpha: w }), sample: logits },
  { name: 'BCELoss({ weight })', keys: ['weight'], make: (w) => new L.BCELoss({ weight: w }), sample: () => [randn([2, 3]).requiresGrad_().sigmoid(), tensor([[1, 0, 1], [0, 0, 1]])] },
  { name: 'BCEWithLogitsLoss({ weight })', keys: ['weight'], make: (w) => new L.BCEWithLogitsLoss({ weight: w }), sample: binary },
  { name: 'BCEWithLogitsLoss({ posWeight })', keys: ['posWeight'], make: (w) => new L.BCEWithLogitsLoss({ posWeight: w }), sample: binary },
  {
    name: 'BCEWithLogitsLoss({ weight, posWeight }) with one tensor',
    keys: ['weight', 'posWeight'],
    make: (w) => new L.BCEWithLogitsLoss({ weight: w, posWeight: w }),
    sample: binary,
  },
];

describe("loss modules do not own the caller's tensors", () => {
  for (const c of CASES) {
    it(`${c.name}: the caller's tensor survives dispose() and nothing leaks`, () => {
      const w = tensor([1, 2, 3]);
      const before = memory().numTensors;
      const crit = c.make(w);
      expect(Object.keys(crit.stateDict())).toEqual(c.keys);
      tidy(() => void crit.call(...c.sample()).backward());
      crit.dispose();
      expect(w.isDisposed).toBe(false);
      expect(Array.from(w.dataSync())).toEqual([1, 2, 3]);
      expect(memory().numTensors).toBe(before);
      w.dispose();
    });
  }

  it("the caller may dispose its tensor first; the module's buffer stays valid", () => {
    const w = tensor([1, 2, 3]);
    const crit = new L.CrossEntropyLoss({ weight: w });
    const expected = tidy(() => crit.call(tensor([[2, 0, -1]]), tensor([1], undefined, 'int64')).item());
    w.dispose();
    const after = tidy(() => crit.call(tensor([[2, 0, -1]]), tensor([1], undefined, 'int64')).item());
    expect(after).toBe(expected);
    crit.dispose();
  });

  it("the caller's tensor is not turned into a buffer of the module", () => {
    const w = tensor([1, 2, 3]);
    const crit = new L.NLLLoss({ weight: w });
    expect(crit.weight).not.toBe(w);
    const holder = new L.MSELoss() as unknown as Record<string, unknown> & Loss;
    holder.w = w; // a module that merely references the caller's tensor has no buffer
    expect(holder.buffers()).toEqual([]);
    crit.dispose();
    w.dispose();
  });
});
