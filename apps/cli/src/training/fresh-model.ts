import { resolve } from 'node:path';
import type { Module } from '@mapnn/layers';
import { fitNormalization } from '../data-sources/normalize.js';
import { formatDataSpec, type LoadedData } from '../data-sources/index.js';
import { CliError, UsageError } from '../errors.js';
import { buildModel } from '../models/build.js';
import { importOnnxFile, onnxOutputSize, onnxSampleShape, readOnnxBytes } from '../models/onnx.js';
import { inputShapeFor } from '../models/shapes.js';
import { MODEL_KINDS, type ModelConfig, type ModelKind } from '../models/spec.js';

/** A model to train, its config, and the ONNX bytes it was imported from (if it was). */
export interface TrainModel {
  model: Module<any, any>;
  config: ModelConfig;
  onnxSource?: Uint8Array;
}

/** A new model: a built-in architecture or an imported ONNX graph to fine-tune. */
export async function freshModel(model: string, data: LoadedData, seed: number): Promise<TrainModel> {
  const outputs = data.task === 'regression' ? 1 : data.classNames.length;
  const base = {
    format: 'mapnn-model' as const, version: 1 as const, task: data.task, outputs, classes: data.classNames,
    normalization: fitNormalization(data),
    data: {
      source: data.spec, kind: data.kind, sampleShape: data.sampleShape, featureNames: data.featureNames,
      rawMax: data.rawMax, flipInvariant: data.flipInvariant,
    },
  };
  if (/\.onnx$/i.test(model)) return importedModel(model, data, base);
  const kind = model.toLowerCase() as ModelKind;
  if (!(MODEL_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`unknown model '${model}' (expected ${MODEL_KINDS.join(', ')} or FILE.onnx)`);
  }
  const inputShape = inputShapeFor(kind, data.sampleShape, data.kind);
  const config = ordered({ ...base, kind, inputShape });
  return { model: buildModel(config, seed), config };
}

/** An ONNX model to fine-tune; its declared input and output sizes must fit the data. */
async function importedModel(model: string, data: LoadedData, base: Omit<ModelConfig, 'kind' | 'inputShape'>): Promise<TrainModel> {
  const path = resolve(model);
  const m = await importOnnxFile(path);
  const size = data.sampleShape.reduce((a, b) => a * b, 1);
  const declared = onnxSampleShape(m);
  let inputShape = data.sampleShape;
  if (declared && declared.every((d) => d !== null)) {
    const n = (declared as number[]).reduce((a, b) => a * b, 1);
    if (n !== size) throw new CliError(`${model} takes inputs of shape [${declared.join(', ')}] but ${formatDataSpec(data.spec)} samples have ${size} values`);
    inputShape = declared as number[];
  }
  const outSize = onnxOutputSize(m);
  if (outSize !== null && outSize !== base.outputs) {
    throw new CliError(`${model} has ${outSize} outputs but ${formatDataSpec(data.spec)} needs ${base.outputs}${data.task === 'classification' ? ' (one per class)' : ''}`);
  }
  m.train();
  const source = readOnnxBytes(path);
  return { model: m, config: ordered({ ...base, kind: 'onnx', inputShape, onnxSource: 'base.onnx' }), onnxSource: source };
}

/** The config with its keys in reading order (kind and shapes first). */
function ordered(c: ModelConfig): ModelConfig {
  const { format, version, kind, task, inputShape, outputs, classes, normalization, onnxSource, ...rest } = c;
  return { format, version, kind, task, inputShape, outputs, classes, normalization, ...(onnxSource ? { onnxSource } : {}), ...rest };
}
