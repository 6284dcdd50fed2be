import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as mapnn from '@mapnn/core';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@mapnn/layers';
import { TFJS_CPU_ONLY, type Frameworks } from '../frameworks.js';
import { jarray, jaxAdamRunner, type Jax, type Params } from '../peers/jax.js';
import { ORT_NO_TRAINING } from '../peers/ort.js';
import { CONV2D_BACKPROP_FILTER_SHIM, shimStats } from '../peers/tfjs.js';
import type { BenchCase, PeerEntry, Runner } from '../report.js';
import { randomData } from './data.js';
import { type HostWeights, mapnnTrainRunner, torchTrainRunner } from './train-common.js';

/** Forward FLOPs of the Fashion-MNIST CNN for one image (multiply-add = 2). */
const FWD = 2 * (32 * 26 * 26 * 9 + 64 * 11 * 11 * 288 + 1600 * 128 + 128 * 10);

/**
 * One training step (forward, cross-entropy, backward, Adam update) of the Fashion-MNIST
 * CNN — Conv(32,3×3)-ReLU-MaxPool-Conv(64,3×3)-ReLU-MaxPool-Flatten-Dense(128)-ReLU-Dense(10) —
 * on a batch of 64: mapnn (layers + optimizers) vs tfjs-layers on the active tfjs backend, and in
 * the wasm run vs jax-js (the same network in jax-js ops, one jitted step: `lax.conv`, 2×2 max
 * pooling as a reshape + max) and PyTorch (`torch.nn` + `torch.optim.Adam`). All start from
 * mapnn's initial weights and the same data; the agreement check compares the first step's loss.
 * FLOPs are counted as 3× the forward pass.
 *
 * With `fw.asyncReads` (`--backend webgpu`: mapnn on webgpu vs tfjs-layers on
 * tfjs-backend-webgpu) each step ends with `await loss.data()` after the optimizer update (a
 * read waits for all the work queued before it, the update included), and each framework makes
 * one warm-up step (shader compilation) and 1–2 timed ones. `N` (the batch) is 64 in the bench;
 * tests use a smaller one.
 */
export function cnnTrainCase(quick: boolean, fw: Frameworks = TFJS_CPU_ONLY, N = 64): BenchCase {
  const gpu = fw.asyncReads === true;
  const x = randomData(N * 28 * 28, 7).map((v) => Math.abs(v));
  const labels = Array.from({ length: N }, (_, i) => (i * 7) % 10);
  let weights: HostWeights | undefined; // mapnn's initial weights (mapnn() runs first)
  const peers: Record<string, PeerEntry> = {
    tfjs: {
      // tfjs-layers' step takes seconds on tfjs-cpu/wasm: one cold run; on webgpu a warm-up (shaders)
      reps: gpu ? (quick ? 1 : 2) : 1,
      warmup: gpu ? 1 : 0,
      note: fw.tfjs === 'wasm' ? CONV2D_BACKPROP_FILTER_SHIM : undefined,
      make: () => tfjsRunner(N, x, labels, weights!, gpu),
    },
  };
  const { jax, torch } = fw;
  if (jax) peers.jax = { reps: 1, warmup: 1, make: () => jaxRunner(jax, N, x, labels, weights!) };
  if (fw.ort) peers.ort = { skip: ORT_NO_TRAINING };
  if (torch) peers.torch = { make: () => torchTrainRunner(torch, 'cnn-train', N, [N, 1, 28, 28], x, labels, weights!) };
  return {
    name: `CNN train step, batch ${N} (Fashion-MNIST model)`,
    flops: 3 * N * FWD,
    // the peers' slow steps cap their own reps (above); mapnn and PyTorch run 10 steps in turns of
    // 5 back-to-back steps, as a training loop does
    reps: gpu ? (quick ? 1 : 2) : quick ? 2 : 10,
    warmup: gpu ? 1 : 3,
    burst: gpu ? 1 : 5,
    async mapnn(): Promise<Runner> {
      const g = new mapnn.Generator(1);
      const model = new Sequential(
        new Conv2d(1, 32, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
        new Conv2d(32, 64, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
        new Flatten(), new Linear(1600, 128, { generator: g }), new ReLU(), new Linear(128, 10, { generator: g }),
      );
      const made = await mapnnTrainRunner(model, x, [N, 1, 28, 28], labels, gpu);
      weights = made.weights;
      return made.runner;
    },
    peers,
  };
}

function tfjsRunner(N: number, x: Float32Array, labels: number[], w: HostWeights, gpu: boolean): Runner {
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 128, activation: 'relu' }),
      tfl.layers.dense({ units: 10 }),
    ],
  });
  // same weights as mapnn's model: OIHW → HWIO for convs, [out,in] → [in,out] for dense;
  // the first dense layer's rows follow tfjs's NHWC flatten order
  tf.tidy(() => {
    const conv = (i: number) => tf.transpose(tf.tensor4d(w[i]!.data, w[i]!.shape as [number, number, number, number]), [2, 3, 1, 0]);
    const m = tf.tensor4d(w[4]!.data, [128, 64, 5, 5]); // [out, C, H, W]
    const dense1 = tf.reshape(tf.transpose(m, [2, 3, 1, 0]), [1600, 128]); // rows in (H, W, C) order
    model.setWeights([
      conv(0), tf.tensor1d(w[1]!.data), conv(2), tf.tensor1d(w[3]!.data),
      dense1, tf.tensor1d(w[5]!.data), tf.transpose(tf.tensor2d(w[6]!.data, [10, 128])), tf.tensor1d(w[7]!.data),
    ]);
  });
  const opt = tf.train.adam(1e-3);
  const xt = tf.tidy(() => tf.transpose(tf.tensor4d(x, [N, 1, 28, 28]), [0, 2, 3, 1]));
  const yt = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 10));
  const step = () => opt.minimize(() => tf.losses.softmaxCrossEntropy(yt, model.apply(xt) as tf.Tensor) as tf.Scalar, true)!;
  let first: number | undefined;
  const shimMs: number[] = []; // per run: time in the shimmed Conv2DBackpropFilter (tfjs-wasm)
  return {
    // the same step as mapnn's: forward, softmax cross-entropy, backward, Adam; on webgpu the
    // loss is read after the update with `await data()`, which waits for the whole step
    run: gpu
      ? async () => {
          const l = step();
          try {
            const loss = (await l.data())[0]!;
            first ??= loss;
          } finally {
            l.dispose();
          }
        }
      : () => {
          const t0 = shimStats.ms;
          const l = step();
          first ??= l.dataSync()[0];
          l.dispose();
          if (shimStats.calls) shimMs.push(shimStats.ms - t0);
        },
    result: () => Float32Array.of(first ?? NaN),
    dispose: () => (model.dispose(), opt.dispose(), xt.dispose(), yt.dispose()),
    note: () => {
      if (!shimMs.length) return undefined;
      const s = [...shimMs].sort((a, b) => a - b);
      return `of each tfjs-wasm CNN step, ${s[s.length >> 1]!.toFixed(0)} ms (median over its runs, warm-up included) were spent in the CPU Conv2DBackpropFilter shim`;
    },
  };
}

function jaxRunner(jax: Jax, N: number, x: Float32Array, labels: number[], w: HostWeights): Runner {
  const { numpy: np, nn, lax } = jax;
  type A = ReturnType<typeof np.array>;
  const t = (i: number, shape = w[i]!.shape) => jarray(jax, w[i]!.data, shape);
  const T = (i: number, rows: number, cols: number) => jax.numpy.transpose(t(i, [rows, cols])); // [out,in] → [in,out]
  const params: Params = { c1: t(0), cb1: t(1, [32, 1, 1]), c2: t(2), cb2: t(3, [64, 1, 1]), w3: T(4, 128, 1600), b3: t(5), w4: T(6, 10, 128), b4: t(7) };
  // 2×2 max pooling, stride 2, floor: [N, C, S, S] → [N, C, ⌊S/2⌋, ⌊S/2⌋]
  const pool = (h: A, C: number, S: number): A => {
    const s = S >> 1;
    const even = S % 2 ? h.slice([], [], [0, 2 * s], [0, 2 * s]) : h;
    return even.reshape([N, C, s, 2, s, 2]).max([3, 5]);
  };
  const loss = (p: Params, xb: A, y: A): A => {
    let h = nn.relu(lax.conv(xb, p.c1!, [1, 1], 'VALID').add(p.cb1!));
    h = pool(h, 32, 26);
    h = nn.relu(lax.conv(h, p.c2!, [1, 1], 'VALID').add(p.cb2!));
    h = pool(h, 64, 11).reshape([N, 1600]);
    h = nn.relu(np.matmul(h, p.w3!).add(p.b3!));
    const logits = np.matmul(h, p.w4!).add(p.b4!);
    return nn.logSoftmax(logits, -1).mul(y).sum().mul(-1 / N);
  };
  const y = nn.oneHot(np.array(Int32Array.from(labels), { dtype: np.int32 }), 10);
  return jaxAdamRunner(jax, params, loss, jarray(jax, x, [N, 1, 28, 28]), y);
}
