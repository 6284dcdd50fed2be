import { concat, noGrad, tidy, type Tensor } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import type { Metric } from '@mapnn/metrics';
import { disposeBatch, iterateBatches, isWholeTensors } from './batches.js';
import { resolveLoss } from './loss-by-name.js';
import { makeMetrics, metricInput } from './metric-setup.js';
import type { LossFn, Logs, TrainData } from './types.js';

/**
 * Loss and metrics of `model` (in eval mode, no gradients) over `data`.
 *
 * @example
 * const { loss, accuracy } = await evaluate(model, { x: xTest, y: yTest }, { loss: 'cross_entropy', metrics: ['accuracy'] });
 */
export async function evaluate(
  model: Module<any, any>,
  data: TrainData,
  options: { loss?: string | LossFn; metrics?: (string | Metric<unknown>)[]; batchSize?: number } = {},
): Promise<Logs> {
  const lossFn = options.loss ? resolveLoss(options.loss) : undefined;
  const metrics = makeMetrics(options.metrics);
  for (const m of metrics) m.reset();
  const wasTraining = model.training;
  model.eval();
  let lossSum = 0;
  let seen = 0;
  try {
    for await (const { batch, owned } of iterateBatches(data, options.batchSize ?? 256)) {
      const n = batch.x.shape[0]!;
      const out = tidy(() =>
        noGrad(() => {
          const pred = model.call(batch.x) as Tensor;
          return { pred, loss: lossFn ? lossFn(pred, batch.y, { reduction: 'mean', input: batch.x }) : undefined };
        }),
      );
      if (out.loss) lossSum += (await out.loss.data())[0]! * n;
      if (metrics.length) {
        const [yv, pv] = [await metricInput(batch.y), await metricInput(out.pred)];
        for (const m of metrics) m.update(yv as never, pv as never);
      }
      out.pred.dispose();
      out.loss?.dispose();
      if (owned) disposeBatch(batch);
      seen += n;
    }
  } finally {
    model.train(wasTraining);
  }
  const logs: Logs = {};
  if (lossFn) logs.loss = lossSum / Math.max(seen, 1);
  for (const m of metrics) logs[m.name] = m.compute() as number;
  return logs;
}

/**
 * Model outputs for `x` (whole tensor, batched) in eval mode without gradients, concatenated.
 *
 * @example const logits = await predict(model, xTest);
 */
export async function predict(model: Module<any, any>, x: Tensor | TrainData, options: { batchSize?: number } = {}): Promise<Tensor> {
  const wasTraining = model.training;
  model.eval();
  const outs: Tensor[] = [];
  try {
    const data: TrainData = isWholeTensors(x as TrainData) ? (x as TrainData) : 'shape' in (x as object) ? { x: x as Tensor, y: x as Tensor } : (x as TrainData);
    for await (const { batch, owned } of iterateBatches(data, options.batchSize ?? 256)) {
      outs.push(noGrad(() => model.call(batch.x) as Tensor));
      if (owned) disposeBatch(batch);
    }
    return tidy(() => concat(outs, 0));
  } finally {
    for (const o of outs) o.dispose();
    model.train(wasTraining);
  }
}
