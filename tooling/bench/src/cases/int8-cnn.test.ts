import '@mapnn/backend-cpu';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { int8CnnCase, int8CnnCases, int8Models, int8Speedups } from './int8-cnn.js';
import type { CaseResult, PeerEntry, Runner } from '../report.js';

const resultOf = async (r: Runner): Promise<Float32Array> => {
  await r.run();
  const y = Float32Array.from(await r.result());
  await r.dispose();
  return y;
};

describe('int8CnnCase', () => {
  const models = int8Models();

  it('runs float32 and int8 at batch 64 and 1 (four cases, one model pair)', () => {
    expect(int8CnnCases(true).map((c) => c.name)).toEqual([
      'Fashion CNN inference float32, batch 64', 'Fashion CNN inference int8 PTQ, batch 64',
      'Fashion CNN inference float32, batch 1', 'Fashion CNN inference int8 PTQ, batch 1',
    ]);
  });

  it('the int8 model is the float one quantized: logits within a few percent', async () => {
    const [f, q] = [await resultOf(await int8CnnCase('float32', 64, true, undefined, models).mapnn()), await resultOf(await int8CnnCase('int8', 64, true, undefined, models).mapnn())];
    let [num, den] = [0, 0];
    f.forEach((v, i) => ((num += (v - q[i]!) ** 2), (den += v * v)));
    expect(Math.sqrt(num / den)).toBeLessThan(0.05);
    expect(Array.from(q)).not.toEqual(Array.from(f));
  });

  it('onnxruntime-node on the QDQ file gives exactly mapnn\'s int8 logits', async () => {
    const c = int8CnnCase('int8', 1, true, { tfjs: 'cpu', ort, threads: 1 }, models);
    const mine = await resultOf(await c.mapnn());
    const peer = c.peers.ort as PeerEntry & { make(): Promise<Runner> };
    const theirs = await resultOf(await peer.make());
    expect(Array.from(theirs)).toEqual(Array.from(mine));
  });

  it('reports the float32 / int8 ratio per batch', () => {
    const r = (name: string, medianMs: number, minMs: number) => ({ name, mapnn: { medianMs, minMs } }) as unknown as CaseResult;
    const line = int8Speedups([r('Fashion CNN inference float32, batch 64', 30, 24), r('Fashion CNN inference int8 PTQ, batch 64', 10, 12)]);
    expect(line).toContain('batch 64: float32 30.00 ms / int8 10.00 ms = 3.00× (fastest runs 24.000 / 12.000 ms = 2.00×)');
    expect(int8Speedups([])).toBeUndefined();
  });
});
