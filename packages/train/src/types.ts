import type { Tensor } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import type { Optimizer } from '@mapnn/optimizers';

/** One batch: `{x, y}` (optionally per-sample `weight`) or a tuple `[x, y]` / `[x, y, weight]`. */
export type Batch = { x: Tensor; y: Tensor; weight?: Tensor } | readonly [Tensor, Tensor] | readonly [Tensor, Tensor, Tensor];

/**
 * What `fit`, `evaluate` and `predict` take: whole tensors (batched by `fit` with a seeded
 * shuffle) or any iterable / async-iterable of batches, such as `@mapnn/data`'s DataLoader.
 * An iterable with a `setEpoch(epoch)` method is told the epoch before each pass.
 */
export type TrainData =
  | { x: Tensor; y: Tensor; weight?: Tensor }
  | Iterable<Batch>
  | AsyncIterable<Batch>;

/**
 * What `fit` and `evaluate` pass a loss besides prediction and target: the reduction and the
 * batch's model input `input` (for losses that need it, such as knowledge distillation running
 * a teacher on the same batch).
 */
export interface LossOptions {
  reduction: 'mean' | 'none';
  input?: Tensor;
}

/** A loss: `(prediction, target, {reduction, input}) → Tensor` (the @mapnn/layers functional losses). */
export type LossFn = (pred: Tensor, target: Tensor, options: LossOptions) => Tensor;

/** Per-epoch (or per-batch) numbers: `loss`, metric names, and their `val_` forms. */
export type Logs = Record<string, number>;

/** What callbacks see and may change while training. */
export interface TrainingContext {
  model: Module<any, any>;
  optimizer: Optimizer;
  /**
   * Set to true to stop: from `onEpochEnd` (e.g. early stopping) training ends after that epoch;
   * from `onBatchEnd` (e.g. `TerminateOnNaN`) no further batch runs and the unfinished epoch is
   * dropped (no validation, no `onEpochEnd`, no history entry).
   */
  stopTraining: boolean;
  /** Total epochs requested. */
  epochs: number;
  /** Batches per epoch when known. */
  batchesPerEpoch?: number;
  history: History;
}

/** Per-epoch logs of a run (Keras' `History`). */
export interface History {
  epochs: number[];
  logs: Record<string, number[]>;
}

/**
 * A training callback; every hook is optional and may be async. Callbacks with state that a
 * resumed run needs (early stopping, schedulers) implement `stateDict` / `loadStateDict`; the
 * checkpoint stores it under `name`.
 */
export interface Callback {
  readonly name?: string;
  setContext?(ctx: TrainingContext): void;
  onTrainBegin?(): void | Promise<void>;
  onEpochBegin?(epoch: number): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
  stateDict?(): unknown;
  loadStateDict?(state: unknown): void;
}
