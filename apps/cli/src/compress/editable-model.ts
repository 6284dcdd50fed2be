import type { Tensor } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import { OnnxModule } from '@mapnn/onnx/node';
import { CliError, messageOf } from '../errors.js';
import { buildModel } from '../models/build.js';
import type { LoadedModel } from '../models/load.js';
import { MODEL_KINDS, type ModelConfig } from '../models/spec.js';

/**
 * The mapnn layers of a loaded model, for the compression functions (which work on Conv2d and
 * Linear modules). An output folder or checkpoint already is one. An .onnx file is imported as
 * an `OnnxModule` — a graph of ONNX ops with its initializers, no Conv2d/Linear modules — so
 * it is rebuilt when it is a `mapnn train` export (config.json beside it names a built-in
 * architecture and the initializers are exactly that architecture's state dict); any other
 * graph is refused, naming the file.
 */
export function editableModel(loaded: LoadedModel): Module<any, any> {
  const onnx = onnxModuleOf(loaded);
  if (!onnx) return loaded.model;
  const config = loaded.config;
  const why = `compress: ${loaded.path} is an ONNX graph imported by @mapnn/onnx as an OnnxModule (ONNX ops, no Conv2d/Linear layers), which the compression functions cannot prune or quantize`;
  if (!(MODEL_KINDS as readonly string[]).includes(config.kind)) {
    throw new CliError(`${why}; only ONNX files written by mapnn train (with their config.json beside them) are rebuilt as mapnn layers — compress the train output folder instead`);
  }
  return rebuild(onnx, config, why);
}

function onnxModuleOf(loaded: LoadedModel): OnnxModule | null {
  return loaded.model instanceof OnnxModule ? loaded.model : null;
}

/** The built-in architecture of `config` with the ONNX initializers as its weights. */
function rebuild(onnx: OnnxModule, config: ModelConfig, why: string): Module<any, any> {
  const model = buildModel(config);
  const want = Object.keys(model.stateDict());
  const have = new Set(onnx.initializerNames());
  const missing = want.filter((n) => !have.has(n));
  if (missing.length) {
    model.dispose();
    throw new CliError(`${why}; its initializers do not match a ${config.kind} (missing ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''})`);
  }
  const weights: Record<string, Tensor> = {};
  for (const n of want) weights[n] = onnx.initializer(n)!;
  try {
    model.loadStateDict(weights);
  } catch (e) {
    model.dispose();
    throw new CliError(`${why}; its initializers do not fit a ${config.kind}: ${messageOf(e)}`);
  }
  model.eval();
  return model;
}
