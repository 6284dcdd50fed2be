import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { randomData } from '../cases/data.js';
import { relDiff, type Runner } from '../report.js';
import { jarray, jaxAdamRunner, jitRunner, loadJax } from './jax.js';
import { intsAttr, oneNodeModel, ortRunner, type OrtModule } from './ort.js';
import { hasTorch, TorchProcess } from './torch.js';
import { useTfjsWasm } from './tfjs.js';

/** Reference matmul [m,k]·[k,n]. */
function refMatmul(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array {
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) out[i * n + j]! += a[i * k + p]! * b[p * n + j]!;
  return out;
}

async function runOnce(r: Runner): Promise<Float32Array> {
  await r.run();
  const out = await r.result();
  await r.dispose();
  return out;
}

describe('bench peers', () => {
  it('tfjs-backend-wasm: the shimmed Conv2DBackpropFilter gives tfjs-backend-cpu filter gradients', async () => {
    tf.env().set('PROD', true);
    const x = randomData(2 * 7 * 7 * 3, 1);
    // the kernel tf.grad of conv2d w.r.t. its filter runs (NHWC, stride 1, valid padding)
    const grads = () =>
      tf.tidy(() => {
        const xt = tf.tensor4d(x, [2, 7, 7, 3]);
        const dy = tf.tensor4d(randomData(2 * 5 * 5 * 4, 3), [2, 5, 5, 4]);
        const attrs = { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [3, 3, 3, 4] };
        const g = tf.engine().runKernel(tf.Conv2DBackpropFilter, { x: xt, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
        return g.dataSync() as Float32Array;
      });
    await tf.setBackend('cpu');
    const cpu = grads();
    const { label } = await useTfjsWasm();
    expect(tf.getBackend()).toBe('wasm');
    expect(label).toMatch(/^tfjs-backend-wasm 4\.22\.0 \(SIMD, 1 thread\)$/);
    const wasm = grads();
    expect(relDiff(wasm, cpu)).toBeLessThan(1e-5);
    await tf.setBackend('cpu');
  });

  it('onnxruntime-node: one-node MatMul and Conv models', async () => {
    const ort = ((m) => (m as unknown as { default?: OrtModule }).default ?? (m as unknown as OrtModule))(await import('onnxruntime-node'));
    const a = randomData(3 * 4, 3);
    const b = randomData(4 * 2, 4);
    const mm = oneNodeModel({ op: 'MatMul', inputs: [{ name: 'a', shape: [3, 4] }, { name: 'b', shape: [4, 2] }], output: { name: 'y', shape: [3, 2] } });
    const y = await runOnce(await ortRunner(ort, mm, { a: { data: a, shape: [3, 4] }, b: { data: b, shape: [4, 2] } }, 1));
    expect(relDiff(y, refMatmul(a, b, 3, 4, 2))).toBeLessThan(1e-6);
    // 1×1 input channel, 3×3 ones filter, same padding: each output = sum of its 3×3 neighbourhood
    const img = Float32Array.from({ length: 16 }, (_, i) => i);
    const conv = oneNodeModel({
      op: 'Conv',
      inputs: [{ name: 'x', shape: [1, 1, 4, 4] }],
      initializers: [{ name: 'w', shape: [1, 1, 3, 3], data: new Float32Array(9).fill(1) }],
      output: { name: 'y', shape: [1, 1, 4, 4] },
      attrs: [intsAttr('kernel_shape', [3, 3]), intsAttr('pads', [1, 1, 1, 1])],
    });
    const c = await runOnce(await ortRunner(ort, conv, { x: { data: img, shape: [1, 1, 4, 4] } }, 1));
    expect(c[0]).toBe(0 + 1 + 4 + 5);
    expect(c[5]).toBe(0 + 1 + 2 + 4 + 5 + 6 + 8 + 9 + 10);
  });

  it('jax-js: a jitted matmul, and jitted Adam steps from a known first loss', async () => {
    const { jax, label } = await loadJax();
    expect(label).toMatch(/^@jax-js\/jax 0\.1\.25 \(wasm, jit, /);
    const a = randomData(5 * 6, 5);
    const b = randomData(6 * 7, 6);
    const y = await runOnce(jitRunner(jax, (x, w) => jax.numpy.matmul(x, w), [jarray(jax, a, [5, 6]), jarray(jax, b, [6, 7])]));
    expect(relDiff(y, refMatmul(a, b, 5, 6, 7))).toBeLessThan(1e-5);
    // softmax regression on 8 samples from zero weights: the first loss is ln 3 (uniform softmax)
    const { numpy: np, nn } = jax;
    const x = jarray(jax, randomData(8 * 4, 7), [8, 4]);
    const labels = nn.oneHot(np.array(Int32Array.from([0, 1, 2, 0, 1, 2, 0, 1]), { dtype: np.int32 }), 3);
    const r = jaxAdamRunner(
      jax,
      { w: np.zeros([4, 3]), b: np.zeros([3]) },
      (p, xb, yb) => nn.logSoftmax(np.matmul(xb, p.w!).add(p.b!), -1).mul(yb).sum().mul(-1 / 8),
      x,
      labels,
      0.1,
    );
    for (let i = 0; i < 5; i++) await r.run();
    expect((await r.result())[0]).toBeCloseTo(Math.log(3), 5);
    await r.dispose();
  });

  describe.skipIf(!hasTorch())('PyTorch (python/torch_bench.py)', () => {
    let proc: TorchProcess | undefined;
    afterAll(async () => proc?.close());

    it('runs a matmul and a conv timed in Python, with results back', async () => {
      const started = await TorchProcess.start(1);
      proc = started.proc;
      expect(started.info.threads).toBe(1);
      expect(started.info.ompWaitPolicy).toBe(process.env.OMP_WAIT_POLICY ?? 'PASSIVE');
      const a = randomData(6 * 6, 8);
      const b = randomData(6 * 6, 9);
      const r = await proc.runner({ case: 'matmul', n: 6, files: { a: proc.file(a), b: proc.file(b) } });
      const ms = await r.run();
      expect(typeof ms).toBe('number');
      expect(relDiff(await r.result(), refMatmul(a, b, 6, 6, 6))).toBeLessThan(1e-6);
      await r.dispose();
      const img = Float32Array.from({ length: 16 }, (_, i) => i);
      const c = await proc.runner({ case: 'conv', N: 1, C: 1, F: 1, H: 4, W: 4, k: 3, files: { x: proc.file(img), w: proc.file(new Float32Array(9).fill(1)) } });
      await c.run();
      const out = await c.result();
      expect(out[5]).toBe(45);
      await expect(proc.request({ op: 'setup', case: 'nope' })).rejects.toThrow(/PyTorch: KeyError/);
    });
  });
});
