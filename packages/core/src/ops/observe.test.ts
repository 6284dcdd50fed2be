import { describe, expect, it } from 'vitest';
import { observeKernels, tensor, type KernelEvent } from '../index.js';

describe('observeKernels', () => {
  it('reports kernel calls and reshape views with inputs, attrs and outputs', () => {
    const x = tensor([[1, -2], [3, 4]]);
    const events: KernelEvent[] = [];
    const y = observeKernels((e) => events.push(e), () => x.matmul(x).reshape([4]));
    const ops = events.map((e) => e.op);
    expect(ops.filter((o) => o !== 'reshape')).toEqual(['matmul']); // matmul views its operands as 3-D
    expect(events.find((e) => e.op === 'matmul')!.attrs).toEqual({ transA: false, transB: false });
    const last = events.at(-1)!;
    expect(last.output).toBe(y);
    expect(last.attrs).toEqual({ shape: [4] });
    const n = events.length;
    x.add(1).dispose(); // outside: not observed
    expect(events).toHaveLength(n);
  });
});
