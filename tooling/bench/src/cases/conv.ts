import * as tf from '@tensorflow/tfjs-core';
import * as mapnn from '@mapnn/core';
import type { Tensor } from '@mapnn/core';
import { TFJS_CPU_ONLY, type Frameworks } from '../frameworks.js';
import { jarray, jitRunner } from '../peers/jax.js';
import { intsAttr, oneNodeModel, ortRunner } from '../peers/ort.js';
import type { BenchCase, PeerEntry, Runner } from '../report.js';
import { randomData } from './data.js';

type Conv2d = (x: Tensor, w: Tensor, b?: Tensor, opts?: { stride?: number; padding?: number | 'same' | 'valid' }) => Tensor;

/**
 * conv2d, batch N, C→F channels, H×W, k×k, stride 1, padding 'same'. mapnn is NCHW
 * (x [N,C,H,W], w [F,C,k,k]); tfjs is NHWC (x [N,H,W,C], filter [k,k,C,F]). Both get the same
 * logical values; the tfjs result is brought back to NCHW (untimed) for the agreement check.
 * jax-js (`lax.conv`, jitted), ONNX Runtime (a Conv node, the filter an initializer) and PyTorch
 * (`F.conv2d`) are NCHW like mapnn.
 */
export function convCase(quick: boolean, fw: Frameworks = TFJS_CPU_ONLY, N = 32, C = 32, F = 64, H = 28, W = 28, k = 3): BenchCase {
  const conv2d = (mapnn as unknown as { conv2d?: Conv2d }).conv2d;
  const gpu = fw.asyncReads === true; // webgpu: read back with `await data()`
  const x = randomData(N * C * H * W, 3);
  const w = randomData(F * C * k * k, 4);
  const peers: Record<string, PeerEntry> = {
    tfjs: {
      make(): Runner {
        const [xt, wt] = tf.tidy(() => [
          tf.transpose(tf.tensor4d(x, [N, C, H, W]), [0, 2, 3, 1]) as tf.Tensor4D,
          tf.transpose(tf.tensor4d(w, [F, C, k, k]), [2, 3, 1, 0]) as tf.Tensor4D,
        ]);
        let last: Float32Array = new Float32Array(0);
        return {
          run: gpu
            ? async () => {
                const y = tf.conv2d(xt!, wt!, 1, 'same');
                try {
                  last = (await y.data()) as Float32Array;
                } finally {
                  y.dispose();
                }
              }
            : () => {
                const y = tf.conv2d(xt!, wt!, 1, 'same');
                last = y.dataSync() as Float32Array;
                y.dispose();
              },
          result: () => nhwcToNchw(last, N, H, W, F),
          dispose: () => (xt!.dispose(), wt!.dispose()),
        };
      },
    },
  };
  const { jax, ort, torch } = fw;
  const pad = (k - 1) >> 1;
  // jax-js's conv takes seconds here: fewer runs
  if (jax) peers.jax = { reps: quick ? 1 : 3, warmup: 1, make: () => jitRunner(jax, (x, f) => jax.lax.conv(x, f, [1, 1], 'SAME'), [jarray(jax, x, [N, C, H, W]), jarray(jax, w, [F, C, k, k])]) };
  if (ort) {
    peers.ort = {
      make: () =>
        ortRunner(
          ort,
          oneNodeModel({
            op: 'Conv',
            inputs: [{ name: 'x', shape: [N, C, H, W] }],
            initializers: [{ name: 'w', shape: [F, C, k, k], data: w }],
            output: { name: 'y', shape: [N, F, H, W] },
            attrs: [intsAttr('kernel_shape', [k, k]), intsAttr('pads', [pad, pad, pad, pad]), intsAttr('strides', [1, 1])],
          }),
          { x: { data: x, shape: [N, C, H, W] } },
          fw.threads,
        ),
    };
  }
  if (torch) peers.torch = { make: () => torch.runner({ case: 'conv', N, C, F, H, W, k, files: { x: torch.file(x), w: torch.file(w) } }) };
  const c: BenchCase = {
    name: `conv2d ${N}×${C}×${H}×${W} → ${F}, ${k}×${k} same`,
    flops: 2 * N * F * H * W * C * k * k,
    reps: gpu ? (quick ? 1 : 3) : quick ? 2 : 6,
    warmup: gpu ? 1 : quick ? 1 : 2,
    mapnn(): Runner {
      const xt = mapnn.tensor(x, [N, C, H, W]);
      const wt = mapnn.tensor(w, [F, C, k, k]);
      let last: Float32Array = new Float32Array(0);
      return {
        run: gpu
          ? async () => {
              const y = conv2d!(xt, wt, undefined, { stride: 1, padding: 'same' });
              try {
                last = (await y.data()) as Float32Array;
              } finally {
                y.dispose();
              }
            }
          : () => mapnn.tidy(() => void (last = conv2d!(xt, wt, undefined, { stride: 1, padding: 'same' }).dataSync() as Float32Array)),
        result: () => last,
        dispose: () => (xt.dispose(), wt.dispose()),
      };
    },
    peers,
  };
  if (typeof conv2d !== 'function') c.skip = '@mapnn/core has no conv2d op yet';
  return c;
}

function nhwcToNchw(v: Float32Array, N: number, H: number, W: number, C: number): Float32Array {
  const out = new Float32Array(v.length);
  for (let n = 0; n < N; n++)
    for (let h = 0; h < H; h++)
      for (let w = 0; w < W; w++)
        for (let c = 0; c < C; c++) out[((n * C + c) * H + h) * W + w] = v[((n * H + h) * W + w) * C + c]!;
  return out;
}
