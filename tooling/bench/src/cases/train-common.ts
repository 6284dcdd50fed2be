import * as mapnn from '@mapnn/core';
import { crossEntropyLoss, type Sequential } from '@mapnn/layers';
import { Adam } from '@mapnn/optimizers';
import type { TorchProcess } from '../peers/torch.js';
import type { Runner } from '../report.js';

/** A model's parameters in mapnn's order and layouts (PyTorch's too: OIHW, Linear [out, in]). */
export type HostWeights = { shape: number[]; data: Float32Array }[];

/**
 * mapnn's side of a training-step case: the model's initial weights read back (the peers start
 * from them) and a runner doing one step — zeroGrad, forward, cross-entropy, backward, Adam
 * (lr 1e-3) — whose result is the first step's loss. With `asyncReads` (webgpu) the loss is read
 * with `await data()` after the update, so a timed step ends when all its GPU work has finished;
 * otherwise it is read synchronously (`item()`), as before.
 */
export async function mapnnTrainRunner(
  model: Sequential,
  x: Float32Array,
  xShape: number[],
  labels: number[],
  asyncReads: boolean,
): Promise<{ runner: Runner; weights: HostWeights }> {
  const weights = await Promise.all(model.parameters().map(async (p) => ({ shape: [...p.shape], data: Float32Array.from(await p.data()) })));
  const opt = new Adam(model.parameters(), { lr: 1e-3 });
  const xt = mapnn.tensor(x, xShape);
  const yt = mapnn.tensor(labels, [labels.length], 'int32');
  let first: number | undefined;
  const runner: Runner = {
    run: asyncReads
      ? async () => {
          opt.zeroGrad();
          const l = mapnn.tidy(() => {
            const l = crossEntropyLoss(model.call(xt), yt);
            l.backward();
            return l;
          });
          opt.step();
          try {
            const loss = (await l.data())[0]!; // read every step: the read is what waits for the step
            first ??= loss;
          } finally {
            l.dispose();
          }
        }
      : () => {
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
  return { runner, weights };
}

/** The PyTorch runner of a training-step case (`cnn-train` / `mlp-train` in torch_bench.py). */
export function torchTrainRunner(
  torch: TorchProcess,
  kind: 'cnn-train' | 'mlp-train',
  N: number,
  xShape: number[],
  x: Float32Array,
  labels: number[],
  weights: HostWeights,
): Promise<Runner> {
  return torch.runner(
    {
      case: kind,
      N,
      xShape,
      lr: 1e-3,
      files: { x: torch.file(x, 'x'), labels: torch.file(Int32Array.from(labels), 'labels') },
      weights: weights.map((w) => ({ shape: w.shape, path: torch.file(w.data, 'w') })),
    },
    true,
  );
}
