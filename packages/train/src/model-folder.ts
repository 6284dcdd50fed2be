import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Module } from '@mapnn/layers';
import { writeFileAtomic } from './atomic-write.js';
import { decodeModel, encodeModel, ModelFormatError, MODEL_JSON, MODEL_WEIGHTS } from './model-io.js';

export interface SaveModelOptions {
  /** Replace a model already saved in `dir` (default false: that is an error). */
  overwrite?: boolean;
}

/**
 * Saves `model` into the folder `dir` (created if needed) as `model.json` (architecture through
 * the module registry of @mapnn/layers, frozen parameters, eval-mode modules) and
 * `model.safetensors` (the state dict, readable by PyTorch/HF tools). Each file is written
 * atomically (temporary sibling, fsync, rename), the weights first; other files in `dir` are
 * left alone, and a model already saved there is replaced only with `{ overwrite: true }`.
 * Returns the paths written.
 *
 * @example
 * saveModel(model, 'models/mnist');
 * const same = loadModel('models/mnist'); // identical outputs
 */
export function saveModel(model: Module<any, any>, dir: string, options: SaveModelOptions = {}): { json: string; weights: string } {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new Error(`saveModel: ${dir} exists and is not a folder`);
  const json = join(dir, MODEL_JSON);
  const weights = join(dir, MODEL_WEIGHTS);
  const present = [json, weights].filter((p) => existsSync(p));
  if (present.length && !options.overwrite) {
    throw new Error(`saveModel: ${dir} already holds a saved model (${present.join(', ')}); pass { overwrite: true } to replace it, or choose another folder`);
  }
  const encoded = encodeModel(model, 'saveModel'); // before touching the folder: a model that cannot be saved writes nothing
  writeFileAtomic(weights, encoded.weights);
  writeFileAtomic(json, encoded.json);
  return { json, weights };
}

/**
 * Loads a model saved by `saveModel` from the folder `dir`: rebuilds its architecture (classes
 * must be registered, built-in layers are), loads the weights and restores frozen parameters
 * and eval-mode modules. Errors name the file and what is wrong (see `decodeModel`).
 */
export function loadModel(dir: string): Module<any, any> {
  if (!existsSync(dir)) throw new Error(`loadModel: no folder at ${dir}`);
  const json = join(dir, MODEL_JSON);
  const weights = join(dir, MODEL_WEIGHTS);
  for (const f of [json, weights]) {
    if (!existsSync(f)) throw new ModelFormatError(`loadModel: ${dir} has no ${f === json ? MODEL_JSON : MODEL_WEIGHTS}; expected a folder written by saveModel`);
  }
  return decodeModel({ json: readFileSync(json, 'utf8'), weights: readFileSync(weights) }, 'loadModel');
}
