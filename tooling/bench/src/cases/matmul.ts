import * as tf from '@tensorflow/tfjs-core';
import { matmul, tensor, tidy } from '@mapnn/core';
import type { BenchCase, Runner } from '../report.js';
import { randomData } from './data.js';

/** Square matmul n×n×n (2·n³ flops); identical random inputs for both frameworks. */
export function matmulCase(n: number, quick: boolean): BenchCase {
  const reps = quick ? (n >= 1024 ? 1 : n >= 512 ? 2 : 4) : n >= 1024 ? 3 : n >= 512 ? 6 : n >= 256 ? 12 : 30;
  const warmup = quick ? 1 : n >= 1024 ? 1 : 3;
  const a = randomData(n * n, 1);
  const b = randomData(n * n, 2);
  return {
    name: `matmul ${n}×${n}×${n}`,
    flops: 2 * n * n * n,
    reps,
    warmup,
    mapnn(): Runner {
      const x = tensor(a, [n, n]);
      const y = tensor(b, [n, n]);
      let last: Float32Array = new Float32Array(0);
      return {
        run: () => tidy(() => void (last = matmul(x, y).dataSync() as Float32Array)),
        result: () => last,
        dispose: () => (x.dispose(), y.dispose()),
      };
    },
    tfjs(): Runner {
      const x = tf.tensor2d(a, [n, n]);
      const y = tf.tensor2d(b, [n, n]);
      let last: Float32Array = new Float32Array(0);
      return {
        run: () => {
          const z = tf.matMul(x, y);
          last = z.dataSync() as Float32Array;
          z.dispose();
        },
        result: () => last,
        dispose: () => (x.dispose(), y.dispose()),
      };
    },
  };
}
