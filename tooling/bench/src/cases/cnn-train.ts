import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as mapnn from '@mapnn/core';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, crossEntropyLoss } from '@mapnn/layers';
import { Adam } from '@mapnn/optimizers';
import type { BenchCase, Runner } from '../report.js';
import { randomData } from './data.js';

const N = 64;
/** Forward FLOPs of the Fashion-MNIST CNN for one image (multiply-add = 2). */
const FWD = 2 * (32 * 26 * 26 * 9 + 64 * 11 * 11 * 288 + 1600 * 128 + 128 * 10);

/**
 * One training step (forward, cross-entropy, backward, Adam update) of the Fashion-MNIST
 * CNN — Conv(32,3×3)-ReLU-MaxPool-Conv(64,3×3)-ReLU-MaxPool-Flatten-Dense(128)-ReLU-Dense(10) —
 * on a batch of 64: mapnn (layers + optimizers) vs tfjs-layers on tfjs-backend-cpu. Both models
 * start from the same weights and data; the agreement check compares the first step's loss.
 * FLOPs are counted as 3× the forward pass.
 */
export function cnnTrainCase(quick: boolean): BenchCase {
  const x = randomData(N * 28 * 28, 7).map((v) => Math.abs(v));
  const labels = Array.from({ length: N }, (_, i) => (i * 7) % 10);
  return {
    name: `CNN train step, batch ${N} (Fashion-MNIST model)`,
    flops: 3 * N * FWD,
    reps: quick ? 1 : 3,
    warmup: 1,
    tfjsReps: 1,
    tfjsWarmup: 0,
    mapnn(): Runner {
      const g = new mapnn.Generator(1);
      const model = new Sequential(
        new Conv2d(1, 32, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
        new Conv2d(32, 64, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
        new Flatten(), new Linear(1600, 128, { generator: g }), new ReLU(), new Linear(128, 10, { generator: g }),
      );
      weights = model.parameters().map((p) => ({ shape: [...p.shape], data: Float32Array.from(p.dataSync()) }));
      const opt = new Adam(model.parameters(), { lr: 1e-3 });
      const xt = mapnn.tensor(x, [N, 1, 28, 28]);
      const yt = mapnn.tensor(labels, [N], 'int32');
      let first: number | undefined;
      return {
        run: () => {
          opt.zeroGrad();
          const loss = mapnn.tidy(() => {
            const l = crossEntropyLoss(model.call(xt), yt);
            l.backward();
            return l.item();
          });
          opt.step();
          first ??= loss;
        },
        result: () => Float32Array.of(first ?? NaN),
        dispose: () => (model.dispose(), xt.dispose(), yt.dispose(), opt.zeroGrad()),
      };
    },
    tfjs(): Runner {
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
      const w = weights!;
      const conv = (i: number) => tf.transpose(tf.tensor4d(w[i]!.data, w[i]!.shape as [number, number, number, number]), [2, 3, 1, 0]);
      const dense1 = tf.tidy(() => {
        const m = tf.tensor4d(w[4]!.data, [128, 64, 5, 5]); // [out, C, H, W]
        return tf.reshape(tf.transpose(m, [2, 3, 1, 0]), [1600, 128]); // rows in (H, W, C) order
      });
      model.setWeights([
        conv(0), tf.tensor1d(w[1]!.data), conv(2), tf.tensor1d(w[3]!.data),
        dense1, tf.tensor1d(w[5]!.data), tf.transpose(tf.tensor2d(w[6]!.data, [10, 128])), tf.tensor1d(w[7]!.data),
      ]);
      const opt = tf.train.adam(1e-3);
      const xt = tf.transpose(tf.tensor4d(x, [N, 1, 28, 28]), [0, 2, 3, 1]);
      const yt = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
      let first: number | undefined;
      return {
        // the same step as mapnn's, synchronously: forward, softmax cross-entropy, backward, Adam
        run: () => {
          const l = opt.minimize(() => tf.losses.softmaxCrossEntropy(yt, model.apply(xt) as tf.Tensor) as tf.Scalar, true)!;
          first ??= l.dataSync()[0];
          l.dispose();
        },
        result: () => Float32Array.of(first ?? NaN),
        dispose: () => (model.dispose(), opt.dispose(), xt.dispose(), yt.dispose()),
      };
    },
  };
}

let weights: { shape: number[]; data: Float32Array }[] | undefined;
