import * as tf from '@tensorflow/tfjs-core';
import * as mapnn from '@mapnn/core';
import { Linear, ReLU, Sequential } from '@mapnn/layers';
import { TFJS_CPU_ONLY, type Frameworks } from '../frameworks.js';
import { jarray, jaxAdamRunner, type Jax, type Params } from '../peers/jax.js';
import { ORT_NO_TRAINING } from '../peers/ort.js';
import type { BenchCase, PeerEntry, Runner } from '../report.js';
import { randomData } from './data.js';
import { type HostWeights, mapnnTrainRunner, torchTrainRunner } from './train-common.js';

const N = 64;
const SIZES = [784, 256, 128, 10] as const;
/** Forward FLOPs for one sample (multiply-add = 2). */
const FWD = 2 * (784 * 256 + 256 * 128 + 128 * 10);

/**
 * One training step of an MLP 784-256-128-10 (ReLU), batch 64: forward, softmax cross-entropy,
 * backward, Adam (lr 1e-3). mapnn (layers + optimizers) vs tfjs-core ops on the active tfjs
 * backend (variables, `optimizer.minimize`), jax-js (one jitted step: `valueAndGrad` + Adam) and
 * PyTorch (`torch.nn` + `torch.optim.Adam`). All start from mapnn's initial weights; the agreement
 * check compares the first step's loss. FLOPs are counted as 3× the forward pass.
 */
export function mlpTrainCase(quick: boolean, fw: Frameworks = TFJS_CPU_ONLY): BenchCase {
  const gpu = fw.asyncReads === true;
  const x = randomData(N * 784, 11).map((v) => Math.abs(v));
  const labels = Array.from({ length: N }, (_, i) => (i * 3) % 10);
  let weights: HostWeights | undefined; // mapnn's initial weights (mapnn() runs first)
  const peers: Record<string, PeerEntry> = { tfjs: { make: () => tfjsRunner(x, labels, weights!, gpu) } };
  const { jax, torch } = fw;
  if (jax) peers.jax = { make: () => jaxRunner(jax, x, labels, weights!) };
  if (fw.ort) peers.ort = { skip: ORT_NO_TRAINING };
  if (torch) peers.torch = { make: () => torchTrainRunner(torch, 'mlp-train', N, [N, 784], x, labels, weights!) };
  return {
    name: `MLP train step, batch ${N} (784-256-128-10, Adam)`,
    flops: 3 * N * FWD,
    reps: gpu ? (quick ? 2 : 5) : quick ? 10 : 100,
    burst: gpu ? 1 : 5, // a training loop runs its steps back to back
    warmup: gpu ? 1 : quick ? 10 : 50, // steady state: V8 has optimized the step (its compiler threads share the cores)
    async mapnn(): Promise<Runner> {
      const g = new mapnn.Generator(2);
      const model = new Sequential(
        new Linear(784, 256, { generator: g }), new ReLU(),
        new Linear(256, 128, { generator: g }), new ReLU(),
        new Linear(128, 10, { generator: g }),
      );
      const made = await mapnnTrainRunner(model, x, [N, 784], labels, gpu);
      weights = made.weights;
      return made.runner;
    },
    peers,
  };
}

function tfjsRunner(x: Float32Array, labels: number[], w: HostWeights, gpu: boolean): Runner {
  // weights [out, in] → [in, out] variables
  const vars = tf.tidy(() =>
    w.map((p, i) => tf.variable(i % 2 === 0 ? tf.transpose(tf.tensor2d(p.data, p.shape as [number, number])) : tf.tensor1d(p.data), true, `mlp${i}`)),
  );
  const opt = tf.train.adam(1e-3);
  const xt = tf.tensor2d(x, [N, 784]);
  const yt = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
  const forward = () => {
    let h: tf.Tensor = xt;
    for (let l = 0; l < SIZES.length - 1; l++) {
      h = tf.add(tf.matMul(h, vars[2 * l]!), vars[2 * l + 1]!);
      if (l < SIZES.length - 2) h = tf.relu(h);
    }
    return h;
  };
  let first: number | undefined;
  return {
    run: gpu
      ? async () => {
          const l = opt.minimize(() => tf.losses.softmaxCrossEntropy(yt, forward()) as tf.Scalar, true, vars)!;
          try {
            const loss = (await l.data())[0]!; // after the update: waits for the whole step
            first ??= loss;
          } finally {
            l.dispose();
          }
        }
      : () => {
          const l = opt.minimize(() => tf.losses.softmaxCrossEntropy(yt, forward()) as tf.Scalar, true, vars)!;
          first ??= l.dataSync()[0];
          l.dispose();
        },
    result: () => Float32Array.of(first ?? NaN),
    dispose: () => (vars.forEach((v) => v.dispose()), opt.dispose(), xt.dispose(), yt.dispose()),
  };
}

function jaxRunner(jax: Jax, x: Float32Array, labels: number[], w: HostWeights): Runner {
  const { numpy: np, nn } = jax;
  type A = ReturnType<typeof np.array>;
  const params: Params = {};
  w.forEach((p, i) => {
    const l = i >> 1;
    if (i % 2 === 0) params[`w${l}`] = np.transpose(jarray(jax, p.data, p.shape)); // [out,in] → [in,out]
    else params[`b${l}`] = jarray(jax, p.data, p.shape);
  });
  const loss = (p: Params, xb: A, y: A): A => {
    let h = xb;
    for (let l = 0; l < SIZES.length - 1; l++) {
      h = np.matmul(h, p[`w${l}`]!).add(p[`b${l}`]!);
      if (l < SIZES.length - 2) h = nn.relu(h);
    }
    return nn.logSoftmax(h, -1).mul(y).sum().mul(-1 / N);
  };
  const y = nn.oneHot(np.array(Int32Array.from(labels), { dtype: np.int32 }), 10);
  return jaxAdamRunner(jax, params, loss, jarray(jax, x, [N, 784]), y);
}
