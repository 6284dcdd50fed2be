import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Module } from '@mapnn/layers';
import { decodeSafetensors, type SafeTensor } from '@mapnn/train';
import { loadCheckpoint, type CheckpointState } from '@mapnn/train/node';
import { CliError, messageOf } from '../errors.js';
import { buildModel } from './build.js';
import { importOnnxFile, onnxOutputSize, onnxSampleShape, readOnnxBytes } from './onnx.js';
import { isModelConfig, type ModelConfig } from './spec.js';
import { decodeSparseWeights } from './compressed-weights.js';

/** A model read from disk with its config. */
export interface LoadedModel {
  model: Module<any, any>;
  config: ModelConfig;
  /** What MODEL was: an output folder, a checkpoint, or an .onnx file. */
  from: 'output' | 'checkpoint' | 'onnx';
  path: string;
  /** The source graph of a fine-tuned ONNX model (to export it again). */
  onnxSource?: Uint8Array;
  /** The checkpoint's state (checkpoints only). */
  state?: CheckpointState;
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CliError(`cannot read ${path}: ${messageOf(e)}`);
  }
}

function readWeights(path: string): Record<string, SafeTensor> {
  if (!existsSync(path)) throw new CliError(`weights not found: ${path}`);
  try {
    const bytes = new Uint8Array(readFileSync(path));
    return decodeSparseWeights(bytes) ?? decodeSafetensors(bytes).tensors;
  } catch (e) {
    throw new CliError(`cannot read ${path}: ${messageOf(e)}`);
  }
}

/** Finds `name` in `dir` or the folders above it (a checkpoint sits two levels below its run). */
function findUp(dir: string, name: string, levels = 3): string | undefined {
  let d = resolve(dir);
  for (let i = 0; i <= levels; i++) {
    const p = join(d, name);
    if (existsSync(p)) return p;
    d = dirname(d);
  }
  return undefined;
}

/** Builds (or imports) the model a config describes and loads `weights` into it. */
export async function modelFromConfig(config: ModelConfig, weights: Record<string, SafeTensor> | null, dir: string): Promise<{ model: Module<any, any>; onnxSource?: Uint8Array }> {
  let model: Module<any, any>;
  let onnxSource: Uint8Array | undefined;
  if (config.kind === 'onnx') {
    const src = config.onnxSource && findUp(dir, config.onnxSource);
    if (!src) throw new CliError(`the source graph ${config.onnxSource ?? '(unnamed)'} of this fine-tuned ONNX model is missing next to ${dir}`);
    model = await importOnnxFile(src);
    onnxSource = readOnnxBytes(src);
  } else {
    model = buildModel(config);
  }
  if (weights) {
    try {
      model.loadStateDict(weights);
    } catch (e) {
      throw new CliError(`the weights do not fit the model in the config: ${messageOf(e)}`);
    }
  }
  model.eval();
  return { model, onnxSource };
}

/** A config for a bare .onnx file: shapes from the graph, classes by index, no normalisation. */
function inferOnnxConfig(model: Awaited<ReturnType<typeof importOnnxFile>>): ModelConfig {
  const sample = onnxSampleShape(model);
  const outputs = onnxOutputSize(model) ?? 0;
  return {
    format: 'mapnn-model', version: 1, kind: 'onnx', task: 'classification',
    inputShape: sample && sample.every((d) => d !== null) ? (sample as number[]) : [],
    outputs, classes: Array.from({ length: outputs }, (_, i) => String(i)), normalization: { type: 'none' },
  };
}

/**
 * Loads MODEL: an output folder (config.json + model.safetensors), a checkpoint folder (the
 * run's `checkpoints/` with its `latest` pointer, or one `latest-epoch-N/` folder), or an .onnx
 * file (with the config.json beside it, when there is one, for classes and normalisation).
 */
export async function loadModel(path: string): Promise<LoadedModel> {
  const p = resolve(path);
  if (!existsSync(p)) throw new CliError(`model not found: ${path}`);
  if (!isDir(p)) {
    if (!/\.onnx$/i.test(p)) throw new CliError(`${path}: expected an output folder, a checkpoint folder or an .onnx file`);
    const model = await importOnnxFile(p);
    model.eval();
    const besideConfig = join(dirname(p), 'config.json');
    let config = inferOnnxConfig(model);
    if (existsSync(besideConfig)) {
      const c = readJson(besideConfig);
      if (isModelConfig(c) && (c.onnx?.file ?? 'model.onnx') === basename(p)) config = { ...c, kind: c.kind };
    }
    return { model, config, from: 'onnx', path: p };
  }
  if (existsSync(join(p, 'config.json')) && existsSync(join(p, 'model.safetensors'))) {
    const config = readJson(join(p, 'config.json'));
    if (!isModelConfig(config)) throw new CliError(`${join(p, 'config.json')} is not a mapnn model config`);
    const { model, onnxSource } = await modelFromConfig(config, readWeights(join(p, 'model.safetensors')), p);
    return { model, config, from: 'output', path: p, onnxSource };
  }
  if (existsSync(join(p, 'config.json'))) {
    const fromOnnx = await folderOnnx(p, readJson(join(p, 'config.json')));
    if (fromOnnx) return fromOnnx;
  }
  if (existsSync(join(p, 'state.json'))) return fromCheckpointState(p, readJson(join(p, 'state.json')) as CheckpointState, readWeights(join(p, 'model.safetensors')));
  const ckDir = checkpointDir(p);
  if (ckDir) {
    let ck;
    try {
      ck = loadCheckpoint(ckDir);
    } catch (e) {
      throw new CliError(messageOf(e));
    }
    return fromCheckpointState(ck.path, ck.state, ck.weights);
  }
  throw new CliError(`${path}: not a model folder (expected config.json + model.safetensors, a checkpoint, or an .onnx file)`);
}

/**
 * A folder whose config.json names its ONNX graph and that has no model.safetensors — what
 * `mapnn compress` writes when the weights no longer fit the config's architecture (int8 QDQ,
 * channel-pruned): the graph is the model.
 */
async function folderOnnx(p: string, config: unknown): Promise<LoadedModel | null> {
  if (!isModelConfig(config) || !config.onnx?.file || !existsSync(join(p, config.onnx.file))) return null;
  const model = await importOnnxFile(join(p, config.onnx.file));
  model.eval();
  return { model, config, from: 'output', path: p };
}

/** The checkpoint folder of `p`: `p` itself when it holds checkpoints, or `p/checkpoints`. */
export function checkpointDir(p: string): string | undefined {
  const holds = (d: string) => isDir(d) && readdirSync(d).some((f) => f === 'latest' || /^latest-epoch-\d+$/.test(f));
  if (holds(p)) return p;
  if (holds(join(p, 'checkpoints'))) return join(p, 'checkpoints');
  return undefined;
}

async function fromCheckpointState(path: string, state: CheckpointState, weights: Record<string, SafeTensor>): Promise<LoadedModel> {
  if (state.format !== 'mapnn-checkpoint') throw new CliError(`${path}: not a mapnn checkpoint`);
  if (!isModelConfig(state.config)) throw new CliError(`${path}: the checkpoint has no mapnn model config (was it written by mapnn train?)`);
  const { model, onnxSource } = await modelFromConfig(state.config, weights, path);
  return { model, config: state.config, from: 'checkpoint', path, onnxSource, state };
}
