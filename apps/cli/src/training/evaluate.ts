import { noGrad, tidy, type Tensor } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import { predict } from '@mapnn/train';
import { normalize } from '../data-sources/normalize.js';
import type { Split } from '../data-sources/types.js';
import { CliError } from '../errors.js';
import type { ModelConfig } from '../models/spec.js';
import { classificationMetrics, regressionMetrics, type Metrics } from '../output/metrics.js';

const product = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Raw features → model inputs: the config's normalisation, reshaped to [n, …inputShape]. */
export function prepareInputs(x: Tensor, config: Pick<ModelConfig, 'normalization' | 'inputShape'>): Tensor {
  const n = x.shape[0]!;
  const per = n === 0 ? 0 : x.size / n;
  const shape = config.inputShape.length ? config.inputShape : x.shape.slice(1);
  if (n > 0 && product(shape) !== per) {
    throw new CliError(`the model takes samples of shape [${shape.join(', ')}] (${product(shape)} values) but the data has ${per} values per sample`);
  }
  return tidy(() => normalize(x, config.normalization).reshape([n, ...shape]));
}

/** Targets as the loss wants them: class ids, or [n, 1] floats for regression. */
export function prepareTargets(y: Tensor, config: Pick<ModelConfig, 'task'>): Tensor {
  return config.task === 'regression' ? tidy(() => y.cast('float32').reshape([-1, 1])) : y;
}

/** Model outputs for raw features (eval mode, batched). */
export async function modelOutputs(model: Module<any, any>, x: Tensor, config: ModelConfig, batchSize = 256): Promise<Tensor> {
  const inputs = prepareInputs(x, config);
  try {
    return await predict(model, inputs, { batchSize });
  } finally {
    inputs.dispose();
  }
}

/**
 * Row-wise probabilities: softmax of logits (kept as is when rows already are distributions).
 * Reads are awaited, so async backends (WebGPU) work.
 */
export async function probabilities(out: Tensor): Promise<Tensor> {
  const o = out.rank === 1 ? out.reshape([-1, 1]) : out.reshape([out.shape[0]!, -1]);
  try {
    const rows = isDistribution(await o.data(), o.shape[0]!, o.shape[1]!);
    return tidy(() => noGrad(() => (rows ? o.detach() : o.softmax(-1))));
  } finally {
    o.dispose();
  }
}

/** Whether every row of [n, c] values lies in [0, 1] and sums to 1. */
function isDistribution(v: ArrayLike<number>, n: number, c: number): boolean {
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let j = 0; j < c; j++) {
      const p = v[r * c + j]!;
      if (!(p >= 0 && p <= 1)) return false;
      s += p;
    }
    if (Math.abs(s - 1) > 1e-3) return false;
  }
  return true;
}

/** Argmax per row of [n, C] values. */
export function argmaxRows(values: ArrayLike<number>, c: number): Int32Array {
  const n = Math.floor(values.length / c);
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (values[r * c + j]! > values[r * c + best]!) best = j;
    out[r] = best;
  }
  return out;
}

/** Held-out metrics of a model on a raw split. */
export async function evaluateModel(model: Module<any, any>, split: Split, config: ModelConfig, batchSize = 256): Promise<Metrics> {
  const out = await modelOutputs(model, split.x, config, batchSize);
  try {
    const values = await out.data();
    const truth = await split.y.data();
    if (config.task === 'regression') return regressionMetrics(truth, values);
    const c = out.size / Math.max(1, out.shape[0]!);
    if (c !== config.classes.length) throw new CliError(`the model has ${c} outputs but the data has ${config.classes.length} classes`);
    return classificationMetrics(truth, argmaxRows(values, c), config.classes);
  } finally {
    out.dispose();
  }
}
