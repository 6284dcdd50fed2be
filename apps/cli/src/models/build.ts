import { Generator } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import { cnn, lenet, lstm, mlp, resnet } from './architectures.js';
import type { ModelConfig, ModelKind } from './spec.js';

const BUILDERS: Record<ModelKind, (inputShape: number[], outputs: number, o: { generator: Generator }) => Module> = {
  mlp: ([f], out, o) => mlp(f!, out, o),
  cnn,
  lenet,
  resnet,
  lstm,
};

/** Builds a fresh (seeded) model of a built-in architecture from its config. */
export function buildModel(config: Pick<ModelConfig, 'kind' | 'inputShape' | 'outputs'>, seed = 0): Module {
  if (config.kind === 'onnx') throw new Error('buildModel: ONNX models are imported, not built');
  const build = BUILDERS[config.kind];
  if (!build) throw new Error(`unknown model kind '${config.kind}' in config`);
  return build(config.inputShape, config.outputs, { generator: new Generator(seed) });
}
