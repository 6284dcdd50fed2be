import {
  AdaptiveAvgPool2d, AvgPool1d, AvgPool2d, BatchNorm1d, BatchNorm2d, Conv1d, Conv2d, ConvTranspose2d, Dropout, ELU, Embedding, Flatten, GELU, GlobalAvgPool2d,
  GRU, GroupNorm, LayerNorm, LeakyReLU, Linear, LogSoftmax, LSTM, MaxPool1d, MaxPool2d, PReLU, ReLU, RNN, SELU, Sigmoid, SiLU, Softmax, Softplus, Tanh,
  type Module,
} from '@mapnn/layers';

/** Arithmetic of one module call: multiply-accumulates and the multiplies / adds they and the rest cost. */
export interface OpCount {
  /** Multiply-accumulates of the matrix products and convolutions. */
  macs: number;
  /** All multiplies (one per MAC, plus scaling and elementwise ones). */
  mults: number;
  /** All adds (one per MAC, bias adds, comparisons, …). */
  adds: number;
  /** False when the module's type has no rule here (its arithmetic is then counted as 0). */
  counted: boolean;
}

const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const ops = (macs: number, extraMults: number, extraAdds: number): OpCount => ({ macs, mults: macs + extraMults, adds: macs + extraAdds, counted: true });

/** Elementwise cost per element of the transcendental activations (a polynomial / exp evaluation): 4 multiplies and 4 adds. */
export const TRANSCENDENTAL_OPS = 4;

const window = (k: number | readonly number[]) => (typeof k === 'number' ? k * k : prod(k));

/**
 * Counts the arithmetic of `module` for one call with inputs of `inShapes` producing `out`
 * elements of shape `outShape`. Rules (bias adds included where the layer has a bias):
 * Linear out·in MACs; Conv out·(in/groups)·k MACs; ConvTranspose in·(out/groups)·k MACs;
 * pooling one add (or comparison) per window element; BatchNorm (inference, folded) 1 multiply
 * + 1 add per element; Layer/GroupNorm 4 multiplies + 4 adds per element; ReLU-family one
 * comparison per element; transcendental activations `TRANSCENDENTAL_OPS` of each; RNN/LSTM/GRU
 * the input and hidden matrix products of every gate, layer, direction and time step plus the
 * cell's elementwise products.
 */
export function countOps(module: Module<any, any>, inShapes: number[][], outShape: number[]): OpCount {
  const outN = prod(outShape);
  const inN = inShapes.length ? prod(inShapes[0]!) : 0;
  const m = module as unknown as Record<string, unknown>;
  const bias = m.bias ? outN : 0;
  if (module instanceof Linear) return ops(outN * module.inFeatures, 0, bias);
  if (module instanceof Conv2d) return ops(outN * (module.inChannels / module.groups) * window(module.kernelSize), 0, bias);
  if (module instanceof Conv1d) return ops(outN * (module.inChannels / module.groups) * module.kernelSize, 0, bias);
  if (module instanceof ConvTranspose2d) return ops(inN * (module.outChannels / module.groups) * window(module.kernelSize), 0, bias);
  if (module instanceof MaxPool2d || module instanceof AvgPool2d) {
    const k = window((module.options as { kernelSize: number | number[] }).kernelSize);
    return ops(0, module instanceof AvgPool2d ? outN : 0, outN * (k - 1));
  }
  if (module instanceof MaxPool1d || module instanceof AvgPool1d) {
    const ks = (module.options as { kernelSize: number | number[] }).kernelSize;
    const k = typeof ks === 'number' ? ks : prod(ks);
    return ops(0, module instanceof AvgPool1d ? outN : 0, outN * (k - 1));
  }
  if (module instanceof AdaptiveAvgPool2d || module instanceof GlobalAvgPool2d) return ops(0, outN, inN);
  if (module instanceof BatchNorm1d || module instanceof BatchNorm2d) return ops(0, outN, outN);
  if (module instanceof LayerNorm || module instanceof GroupNorm) return ops(0, 4 * outN, 4 * outN);
  if (module instanceof ReLU || module instanceof LeakyReLU || module instanceof PReLU) return ops(0, module instanceof ReLU ? 0 : outN, outN);
  if ([Sigmoid, Tanh, GELU, SiLU, ELU, SELU, Softplus, Softmax, LogSoftmax].some((C) => module instanceof C)) {
    return ops(0, TRANSCENDENTAL_OPS * outN, TRANSCENDENTAL_OPS * outN);
  }
  if (module instanceof Flatten || module instanceof Dropout || module instanceof Embedding) return ops(0, 0, 0);
  if (module instanceof RNN || module instanceof LSTM || module instanceof GRU) return recurrentOps(module, inShapes[0]!);
  return { macs: 0, mults: 0, adds: 0, counted: false };
}

/** Gates per cell and the elementwise multiplies / adds per hidden unit per step beyond the matrix products. */
const CELL = { RNN: [1, 0, 0], LSTM: [4, 3, 1], GRU: [3, 3, 2] } as const;

function recurrentOps(module: RNN | LSTM | GRU, xShape: number[]): OpCount {
  const r = module as unknown as { inputSize: number; hiddenSize: number; numLayers: number; bidirectional: boolean; batchFirst: boolean; bias: boolean };
  const [gates, cellMults, cellAdds] = module instanceof LSTM ? CELL.LSTM : module instanceof GRU ? CELL.GRU : CELL.RNN;
  const unbatched = xShape.length === 2;
  const steps = unbatched ? xShape[0]! : r.batchFirst ? xShape[1]! : xShape[0]!;
  const batch = unbatched ? 1 : r.batchFirst ? xShape[0]! : xShape[1]!;
  const dirs = r.bidirectional ? 2 : 1;
  const H = r.hiddenSize;
  let macs = 0;
  for (let l = 0; l < r.numLayers; l++) macs += dirs * gates * H * ((l === 0 ? r.inputSize : H * dirs) + H);
  const perStep = steps * batch;
  const layersDirs = r.numLayers * dirs;
  const biasAdds = r.bias ? 2 * gates * H : 0;
  const nonlinear = gates * H * TRANSCENDENTAL_OPS;
  return ops(macs * perStep, perStep * layersDirs * (cellMults * H + nonlinear), perStep * layersDirs * (biasAdds + cellAdds * H + nonlinear));
}
