import type { TorchProcess } from '../peers/torch.js';
import type { Runner } from '../report.js';

/** A model's parameters in mapnn's order and layouts (PyTorch's too: OIHW, Linear [out, in]). */
export type HostWeights = { shape: number[]; data: Float32Array }[];

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
