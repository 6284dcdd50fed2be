import '@mapnn/backend-cpu';
import { describe, expect, it } from 'vitest';
import { cnnForwardFlops, fashionCnn, prunedCnnCase } from './pruned-cnn.js';

const parameters = (c1: number, c2: number) => fashionCnn(c1, c2).parameters().reduce((s, p) => s + p.size, 0);

describe('prunedCnnCase', () => {
  it('times the dense CNN and the architecture pruneChannels(0.5, conv) leaves (2.07× fewer parameters)', () => {
    expect(parameters(32, 64)).toBe(225_034); // examples/fashion-mnist's CNN
    expect(parameters(16, 32)).toBe(108_618); // conv1 32 → 16, conv2 64 → 32, fc1 1600 → 800 inputs
    expect(cnnForwardFlops(32, 64) / cnnForwardFlops(16, 32)).toBeGreaterThan(3);
  });

  it('runs a forward pass of batch N and returns N × 10 finite logits, the same on every run', async () => {
    for (const pruned of [false, true]) {
      const c = prunedCnnCase(pruned, true, undefined, 3);
      expect(c.name).toContain(pruned ? 'pruned' : 'dense');
      const r = await c.mapnn();
      await r.run();
      const first = Float32Array.from(await r.result());
      await r.run();
      const second = await r.result();
      expect(first.length).toBe(30);
      expect(first.every(Number.isFinite)).toBe(true);
      expect(Array.from(second)).toEqual(Array.from(first));
      await r.dispose();
    }
  });
});
