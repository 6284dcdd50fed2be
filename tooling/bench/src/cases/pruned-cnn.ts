import * as mapnn from '@mapnn/core';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@mapnn/layers';
import { exportOnnx } from '@mapnn/onnx';
import { TFJS_CPU_ONLY, type Frameworks } from '../frameworks.js';
import { ortRunner } from '../peers/ort.js';
import type { BenchCase, PeerEntry, Runner } from '../report.js';
import { randomData } from './data.js';

/** The Fashion-MNIST CNN with `c1` / `c2` conv channels: Conv(c1)-ReLU-Pool-Conv(c2)-ReLU-Pool-Flatten-Dense(128)-ReLU-Dense(10). */
export function fashionCnn(c1: number, c2: number, seed = 1): Sequential {
  const g = new mapnn.Generator(seed);
  return new Sequential(
    new Conv2d(1, c1, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
    new Conv2d(c1, c2, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
    new Flatten(), new Linear(c2 * 25, 128, { generator: g }), new ReLU(), new Linear(128, 10, { generator: g }),
  );
}

/** Forward FLOPs of `fashionCnn(c1, c2)` for one image (multiply-add = 2). */
export const cnnForwardFlops = (c1: number, c2: number): number => 2 * (c1 * 26 * 26 * 9 + c2 * 11 * 11 * 9 * c1 + c2 * 25 * 128 + 128 * 10);

const countParameters = (m: Sequential): number => m.parameters().reduce((s, p) => s + p.size, 0);

/**
 * Inference (eval mode, no gradients, result read back) of the Fashion-MNIST CNN on a batch of
 * `N` 28×28 images, dense (32 / 64 conv channels) or as `pruneChannels(model, { amount: 0.5,
 * layers: 'conv' })` leaves it (16 / 32 channels, Dense 800 → 128): the pruned model is that
 * architecture built directly (its timing does not depend on which channels were kept). The two
 * cases run one after the other in the same process (`--only prune`), so their medians compare;
 * with `--backend wasm` onnxruntime-node runs the same model exported by `exportOnnx`.
 */
export function prunedCnnCase(pruned: boolean, quick: boolean, fw: Frameworks = TFJS_CPU_ONLY, N = 64): BenchCase {
  const [c1, c2] = pruned ? [16, 32] : [32, 64];
  const x = randomData(N * 28 * 28, 11).map((v) => Math.abs(v));
  const model = fashionCnn(c1, c2);
  model.eval();
  const peers: Record<string, PeerEntry> = {};
  if (fw.ort) {
    const ort = fw.ort;
    peers.ort = { make: () => ortRunner(ort, exportOnnx(model, mapnn.zeros([N, 1, 28, 28])), { input: { data: x, shape: [N, 1, 28, 28] } }, fw.threads) };
  }
  return {
    name: `CNN inference, batch ${N}, ${pruned ? '50 % conv channels pruned (16/32)' : 'dense (32/64 channels)'}, ${countParameters(model)} parameters`,
    flops: N * cnnForwardFlops(c1, c2),
    reps: quick ? 3 : 10,
    warmup: quick ? 1 : 3,
    mapnn(): Runner {
      const xt = mapnn.tensor(x, [N, 1, 28, 28]);
      let last = new Float32Array(0);
      return {
        run: () => {
          last = mapnn.noGrad(() => mapnn.tidy(() => Float32Array.from(model.call(xt).dataSync())));
        },
        result: () => last,
        dispose: () => (xt.dispose(), model.dispose()),
      };
    },
    peers,
  };
}
