import { Generator, manualSeed, tensor, tidy, type Tensor } from '@mapnn/core';
import { regularizationLoss, type Module } from '@mapnn/layers';
import type { Metric } from '@mapnn/metrics';
import { clipGradNorm, clipGradValue, type Optimizer } from '@mapnn/optimizers';
import { batchCount, disposeBatch, isWholeTensors, iterateBatches, splitValidation, type NormalBatch } from './batches.js';
import { evaluate } from './evaluate.js';
import { resolveLoss } from './loss-by-name.js';
import { makeMetrics, metricInput } from './metric-setup.js';
import { deriveSeed } from './seed.js';
import type { Callback, History, LossFn, Logs, TrainData, TrainingContext } from './types.js';

export interface FitOptions {
  epochs: number;
  optimizer: Optimizer;
  /** A loss name (`'cross_entropy'`, `'mse'`, …) or `(pred, target, {reduction, input}) → Tensor` (`input`: the batch's x). */
  loss: string | LossFn;
  /** Metric names (`'accuracy'`, `'f1'`, …) or streaming metric objects. */
  metrics?: (string | Metric<unknown>)[];
  /** Batch size when `data` is whole tensors (default 32). */
  batchSize?: number;
  /** Shuffle whole-tensor data each epoch, seeded (default true). */
  shuffle?: boolean;
  validationData?: TrainData;
  /** Fraction of whole-tensor data held out for validation (the last rows, as Keras). */
  validationSplit?: number;
  /** Weight per class index; the loss becomes Σ wᵢ·lossᵢ / N. */
  classWeights?: readonly number[] | Record<number, number>;
  /** Weight per sample (whole-tensor data); iterables may carry `weight` in their batches. */
  sampleWeights?: Tensor;
  callbacks?: Callback[];
  /** Seed of shuffling, dropout and other randomness; each epoch derives its own (exact resume). */
  seed?: number;
  /** First epoch to run (resuming a run that completed `initialEpoch` epochs). */
  initialEpoch?: number;
  /** History of the epochs already run (resuming). */
  history?: History;
  /** Adds `regularizationLoss(model)` (the penalties attached with @mapnn/layers) to the loss. Default true. */
  regularize?: boolean;
  /** Clip gradients to this global L2 norm before each step. */
  clipNorm?: number;
  /** Clip gradient values to ±clipValue before each step. */
  clipValue?: number;
  /** Accumulate gradients over this many batches per optimizer step (losses scaled by 1/N). */
  accumulate?: number;
}

/** Per-sample weights from class weights and the batch's labels (read asynchronously). */
async function classWeightsOf(cw: NonNullable<FitOptions['classWeights']>, y: Tensor): Promise<Tensor> {
  const arr = Array.isArray(cw) ? (cw as number[]) : [];
  if (!Array.isArray(cw)) for (const [k, v] of Object.entries(cw)) arr[Number(k)] = v;
  const labels = await y.data();
  return tensor(Array.from(labels, (l) => {
    const w = arr[l];
    if (w === undefined) throw new Error(`fit: classWeights has no weight for class ${l}`);
    return w;
  }));
}

/**
 * The per-batch training loss (scalar), with per-sample weights (`b.weight`, times the class
 * weights `classWeights` when given) and regularisation.
 */
export function batchLoss(
  model: Module<any, any>,
  lossFn: LossFn,
  b: NormalBatch,
  opts: Pick<FitOptions, 'regularize'> & { classWeights?: Tensor },
): { loss: Tensor; pred: Tensor } {
  const pred = model.call(b.x) as Tensor;
  let loss: Tensor;
  const w = b.weight && opts.classWeights ? b.weight.mul(opts.classWeights) : (b.weight ?? opts.classWeights);
  if (w) {
    const each = lossFn(pred, b.y, { reduction: 'none', input: b.x });
    if (each.rank === 0) throw new Error('fit: sample or class weights need a loss that supports reduction "none"');
    loss = each.mul(w.reshape([-1, ...Array(each.rank - 1).fill(1)])).sum().div(each.shape[0]!);
  } else {
    loss = lossFn(pred, b.y, { reduction: 'mean', input: b.x });
  }
  if (opts.regularize !== false) loss = loss.add(regularizationLoss(model));
  return { loss, pred };
}

async function call<K extends keyof Callback>(cbs: Callback[], hook: K, ...args: unknown[]): Promise<void> {
  for (const cb of cbs) {
    const fn = cb[hook] as ((...a: unknown[]) => unknown) | undefined;
    if (fn) await fn.apply(cb, args);
  }
}

/**
 * Trains `model` on `data` (Keras' `fit`, PyTorch semantics underneath): per epoch, a seeded
 * shuffle, forward, loss (+ class/sample weights, + attached regularisers), backward, optional
 * clipping and accumulation, optimizer step; then validation and callbacks. Every step runs in
 * `tidy`, so training leaks no tensors. Same seed and backend ⇒ bit-identical weights, and a
 * run resumed from a checkpoint (`initialEpoch`, restored model/optimizer/callbacks) equals an
 * uninterrupted one. A callback that sets `stopTraining` in `onBatchEnd` (e.g. `TerminateOnNaN`)
 * stops before the next batch: that unfinished epoch gets no validation, no `onEpochEnd` and no
 * history entry (so no checkpoint claims it); `onTrainEnd` still runs.
 *
 * @example
 * const history = await fit(model, { x, y }, {
 *   epochs: 10, optimizer: new Adam(model.parameters(), { lr: 1e-3 }), loss: 'cross_entropy',
 *   metrics: ['accuracy'], validationSplit: 0.1, callbacks: [new EarlyStopping({ patience: 3 })],
 * });
 */
export async function fit(model: Module<any, any>, data: TrainData, options: FitOptions): Promise<History> {
  const lossFn = resolveLoss(options.loss);
  const batchSize = options.batchSize ?? 32;
  const seed = options.seed ?? 0;
  const accumulate = Math.max(1, options.accumulate ?? 1);
  let train = data;
  let val = options.validationData;
  let splitOwned: Tensor[] = [];
  if (options.validationSplit !== undefined) {
    if (!isWholeTensors(data)) throw new Error('fit: validationSplit needs whole-tensor data; pass validationData for iterables');
    const s = splitValidation({ ...data, weight: options.sampleWeights ?? data.weight }, options.validationSplit);
    train = s.train;
    val = s.val;
    splitOwned = [s.train.x, s.train.y, s.val.x, s.val.y, ...(s.train.weight ? [s.train.weight, s.val.weight!] : [])];
  } else if (options.sampleWeights && isWholeTensors(data)) {
    train = { ...data, weight: options.sampleWeights };
  }
  const history: History = options.history ?? { epochs: [], logs: {} };
  const callbacks = options.callbacks ?? [];
  const ctx: TrainingContext = {
    model, optimizer: options.optimizer, stopTraining: false, epochs: options.epochs,
    batchesPerEpoch: batchCount(train, batchSize), history,
  };
  for (const cb of callbacks) cb.setContext?.(ctx);
  const metrics = makeMetrics(options.metrics);
  const params = () => model.trainableParameters();
  let lastLogs: Logs = {};
  try {
    await call(callbacks, 'onTrainBegin');
    for (let epoch = options.initialEpoch ?? 0; epoch < options.epochs && !ctx.stopTraining; epoch++) {
      manualSeed(deriveSeed(seed, epoch, 0));
      const gen = options.shuffle === false ? undefined : new Generator(deriveSeed(seed, epoch, 1));
      (train as { setEpoch?: (e: number) => void }).setEpoch?.(epoch);
      await call(callbacks, 'onEpochBegin', epoch);
      model.train();
      for (const m of metrics) m.reset();
      let lossSum = 0;
      let seen = 0;
      let b = 0;
      let stoppedInBatch = false;
      options.optimizer.zeroGrad();
      for await (const { batch, owned } of iterateBatches(train, batchSize, gen)) {
        const n = batch.x.shape[0]!;
        const cw = options.classWeights ? await classWeightsOf(options.classWeights, batch.y) : undefined;
        const out = tidy(() => {
          const { loss, pred } = batchLoss(model, lossFn, batch, { regularize: options.regularize, classWeights: cw });
          (accumulate > 1 ? loss.div(accumulate) : loss).backward();
          return { loss: loss.detach(), pred: pred.detach() };
        });
        cw?.dispose();
        // reads are awaited, never synchronous, so backends without sync reads (WebGPU) train too
        const lossValue = (await out.loss.data())[0]!;
        if (metrics.length) {
          const [yv, pv] = [await metricInput(batch.y), await metricInput(out.pred)];
          for (const m of metrics) m.update(yv as never, pv as never);
        }
        out.loss.dispose();
        out.pred.dispose();
        if ((b + 1) % accumulate === 0) step(options, params);
        if (owned) disposeBatch(batch);
        lossSum += lossValue * n;
        seen += n;
        await call(callbacks, 'onBatchEnd', b, { loss: lossValue, size: n });
        b++;
        // a callback (TerminateOnNaN, a time budget…) may stop mid-epoch: not one batch more
        if (ctx.stopTraining) {
          stoppedInBatch = true;
          break;
        }
      }
      if (stoppedInBatch) {
        // the epoch is not complete: no pending step, no validation, no onEpochEnd, no history
        options.optimizer.zeroGrad();
        break;
      }
      if (b % accumulate !== 0) step(options, params); // a last partial accumulation
      const logs: Logs = { loss: lossSum / Math.max(seen, 1) };
      for (const m of metrics) logs[m.name] = m.compute() as number;
      if (val) {
        const v = await evaluate(model, val, { loss: lossFn, metrics: options.metrics, batchSize });
        for (const [k, x] of Object.entries(v)) logs[`val_${k}`] = x;
      }
      history.epochs.push(epoch);
      for (const [k, x] of Object.entries(logs)) (history.logs[k] ??= []).push(x);
      lastLogs = logs;
      await call(callbacks, 'onEpochEnd', epoch, logs);
    }
    await call(callbacks, 'onTrainEnd', lastLogs);
  } finally {
    for (const t of splitOwned) t.dispose();
  }
  return history;
}

function step(options: FitOptions, params: () => Tensor[]): void {
  if (options.clipNorm !== undefined) clipGradNorm(params(), options.clipNorm);
  if (options.clipValue !== undefined) clipGradValue(params(), options.clipValue);
  options.optimizer.step();
  options.optimizer.zeroGrad();
}

