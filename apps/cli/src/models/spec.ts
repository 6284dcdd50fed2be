import type { DataSpec } from '../data-sources/types.js';
import type { Normalization } from '../data-sources/normalize.js';

/** Architectures `--model` builds (besides `FILE.onnx`). */
export const MODEL_KINDS = ['mlp', 'cnn', 'lenet', 'resnet', 'lstm'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** What training was run with; stored so `--resume` can continue the same run. */
export interface TrainSettings {
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer: string;
  seed: number;
  augment: boolean;
  classWeights: 'balanced' | null;
  earlyStopping: number | null;
  limit: number | null;
  testSize: number;
}

/**
 * config.json of a trained model (also the `config` of its checkpoints): enough to rebuild the
 * model (kind, input shape, outputs) and to feed it (normalisation, classes).
 */
export interface ModelConfig {
  format: 'mapnn-model';
  version: 1;
  /** The architecture, or 'onnx' for a fine-tuned imported graph (`onnxSource`). */
  kind: ModelKind | 'onnx';
  task: 'classification' | 'regression';
  /** Shape of one input sample as the model takes it (the batch dim comes first). */
  inputShape: number[];
  /** Size of the output: classes, or 1 for regression. */
  outputs: number;
  /** Class names by output index (empty for regression). */
  classes: string[];
  /** How raw features become inputs (apply before the model, also before model.onnx). */
  normalization: Normalization;
  /** kind 'onnx': file name of the imported graph, beside config.json. */
  onnxSource?: string;
  /** The data it was trained on (absent for a bare .onnx file). */
  data?: {
    source: DataSpec;
    kind: 'image' | 'tabular';
    /** Shape of one raw sample. */
    sampleShape: number[];
    featureNames?: string[];
    rawMax?: number;
    flipInvariant?: boolean;
  };
  training?: TrainSettings & { backend?: string; epochsCompleted?: number; seconds?: number };
  /** Held-out metrics at the end of training. */
  metrics?: Record<string, number>;
  onnx?: { file: string; input: string; output: string; opset?: number } | null;
}

export function isModelConfig(x: unknown): x is ModelConfig {
  return typeof x === 'object' && x !== null && (x as ModelConfig).format === 'mapnn-model';
}
