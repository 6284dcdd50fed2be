import { describe, expect, it } from 'vitest';
import { memory, tensor } from '../index.js';

describe('explicit resource management', () => {
  it('`using` disposes a tensor when its block ends', () => {
    const before = memory().numTensors;
    let seen: { isDisposed: boolean } | undefined;
    {
      using t = tensor([1, 2, 3]);
      seen = t;
      expect(memory().numTensors).toBe(before + 1);
    }
    expect(seen!.isDisposed).toBe(true);
    expect(memory().numTensors).toBe(before);
  });
});
