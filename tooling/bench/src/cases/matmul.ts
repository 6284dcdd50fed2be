import * as tf from '@tensorflow/tfjs-core';
import { matmul, tensor, tidy } from '@mapnn/core';
import { TFJS_CPU_ONLY, type Frameworks } from '../frameworks.js';
import { jarray, jitRunner } from '../peers/jax.js';
import { oneNodeModel, ortRunner } from '../peers/ort.js';
import type { BenchCase, PeerEntry, Runner } from '../report.js';
import { randomData } from './data.js';

/**
 * Square matmul n×n×n (2·n³ flops); identical random inputs for every framework. With
 * `fw.asyncReads` (webgpu) each run reads back with `await data()`, and fewer runs are made
 * (a software adapter does about 0.1 GFLOP/s).
 */
export function matmulCase(n: number, quick: boolean, fw: Frameworks = TFJS_CPU_ONLY): BenchCase {
  const gpu = fw.asyncReads === true;
  const reps = gpu
    ? quick ? 2 : n >= 512 ? 3 : 5
    : quick ? (n >= 1024 ? 1 : n >= 512 ? 2 : 4) : n >= 1024 ? 5 : n >= 512 ? 15 : n >= 256 ? 12 : 30;
  // the first case of a run starts while the peers' processes and pools settle: warm up longer
  const warmup = gpu ? 1 : quick ? 1 : n >= 1024 ? 2 : 10;
  const a = randomData(n * n, 1);
  const b = randomData(n * n, 2);
  const peers: Record<string, PeerEntry> = {
    tfjs: {
      make(): Runner {
        const x = tf.tensor2d(a, [n, n]);
        const y = tf.tensor2d(b, [n, n]);
        let last: Float32Array = new Float32Array(0);
        return {
          run: gpu
            ? async () => {
                const z = tf.matMul(x, y);
                try {
                  last = (await z.data()) as Float32Array;
                } finally {
                  z.dispose();
                }
              }
            : () => {
                const z = tf.matMul(x, y);
                last = z.dataSync() as Float32Array;
                z.dispose();
              },
          result: () => last,
          dispose: () => (x.dispose(), y.dispose()),
        };
      },
    },
  };
  const { jax, ort, torch } = fw;
  if (jax) peers.jax = { make: () => jitRunner(jax, (x, y) => jax.numpy.matmul(x, y), [jarray(jax, a, [n, n]), jarray(jax, b, [n, n])]) };
  if (ort) {
    peers.ort = {
      make: () =>
        ortRunner(
          ort,
          oneNodeModel({ op: 'MatMul', inputs: [{ name: 'a', shape: [n, n] }, { name: 'b', shape: [n, n] }], output: { name: 'y', shape: [n, n] } }),
          { a: { data: a, shape: [n, n] }, b: { data: b, shape: [n, n] } },
          fw.threads,
        ),
    };
  }
  if (torch) peers.torch = { make: () => torch.runner({ case: 'matmul', n, files: { a: torch.file(a), b: torch.file(b) } }) };
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
        run: gpu
          ? async () => {
              const z = matmul(x, y);
              try {
                last = (await z.data()) as Float32Array;
              } finally {
                z.dispose();
              }
            }
          : () => tidy(() => void (last = matmul(x, y).dataSync() as Float32Array)),
        result: () => last,
        dispose: () => (x.dispose(), y.dispose()),
      };
    },
    peers,
  };
}
