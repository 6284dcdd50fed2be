import { fmtShape, type Tensor } from '@mapnn/core';
import { deserializeModule, serializeModule, type Module, type ModuleSpec } from '@mapnn/layers';
import { decodeSafetensors, encodeSafetensors, type BytesLike, type SafeTensor } from './safetensors.js';

/** `format` of a saved model's `model.json`. */
export const MODEL_FORMAT = 'mapnn-model';
/** The `version` of `model.json` this package writes and reads. */
export const MODEL_FORMAT_VERSION = 1;
/** File names inside a saved model's folder. */
export const MODEL_JSON = 'model.json';
export const MODEL_WEIGHTS = 'model.safetensors';
const SAVE_ID_KEY = 'mapnn.save_id';

/** `model.json`: the architecture and the state the weights file cannot hold. */
export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_FORMAT_VERSION;
  /** Module classes and configs, through the registry of `@mapnn/layers` (`registerModule`). */
  architecture: ModuleSpec;
  /** Parameters that do not require grad (frozen), by state-dict name. */
  frozen: string[];
  /** Modules in eval mode, by dotted name ('' is the model itself). */
  eval: string[];
  /** The weights file, and the id it shares with this file (a mixed-up pair of saves is refused). */
  weights: { file: typeof MODEL_WEIGHTS; saveId: string };
}

/** A saved model as bytes: `model.json` text and `model.safetensors` bytes (browser-safe form). */
export interface EncodedModel {
  json: string;
  weights: Uint8Array;
}

/** A saved model cannot be read: malformed or unsupported `model.json`, weights that do not fit the architecture. */
export class ModelFormatError extends Error {
  override name = 'ModelFormatError';
}

/**
 * Encodes `model` as `{ json, weights }`: the architecture (module classes and constructor
 * configs, see `registerModule` in @mapnn/layers), the frozen parameters and eval-mode modules
 * as JSON, and the state dict as safetensors (readable by PyTorch). Browser-safe; the Node form
 * is `saveModel(model, dir)` in `@mapnn/train/node`.
 *
 * @example
 * const { json, weights } = encodeModel(model);
 * const copy = decodeModel({ json, weights });
 */
export function encodeModel(model: Module<any, any>, fn = 'encodeModel'): EncodedModel {
  const architecture = serializeModule(model, { fn });
  const saveId = newSaveId();
  const file: ModelFile = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    architecture,
    frozen: model.namedParameters().filter(([, p]) => !p.requiresGrad).map(([k]) => k),
    eval: model.namedModules().filter(([, m]) => !m.training).map(([k]) => k),
    weights: { file: MODEL_WEIGHTS, saveId },
  };
  const weights = encodeSafetensors(model.stateDict() as Record<string, Tensor>, { format: 'pt', [SAVE_ID_KEY]: saveId });
  return { json: `${JSON.stringify(file, null, 1)}\n`, weights };
}

function newSaveId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return c?.randomUUID ? c.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/**
 * Rebuilds a model from `encodeModel`'s `{ json, weights }` (or the two files `saveModel`
 * writes): the architecture through the module registry, then the weights, the frozen
 * parameters and the eval-mode modules. Every problem is a `ModelFormatError` (or the
 * `SafetensorsError` / `ModuleSerializationError` of its part) naming what is wrong: malformed
 * JSON, another format or version, an unregistered class, missing or unexpected weights,
 * wrong shapes or dtypes. Nothing is leaked when it throws.
 */
export function decodeModel(encoded: { json: string | BytesLike; weights: BytesLike }, fn = 'decodeModel'): Module<any, any> {
  const file = parseModelFile(encoded.json, fn);
  const { tensors, metadata } = decodeSafetensors(encoded.weights);
  if (metadata[SAVE_ID_KEY] !== file.weights.saveId) {
    throw new ModelFormatError(
      `${fn}: ${MODEL_WEIGHTS} (save id ${JSON.stringify(metadata[SAVE_ID_KEY] ?? null)}) was not written with this ${MODEL_JSON} ` +
        `(save id ${JSON.stringify(file.weights.saveId)}); the two files come from different saves`,
    );
  }
  const model = deserializeModule(file.architecture, { fn });
  try {
    checkWeights(model, tensors, fn);
    model.loadStateDict(tensors);
    applyFrozen(model, file.frozen, fn);
    applyEval(model, file.eval, fn);
    return model;
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** Parses and validates `model.json` (format, version, field types). */
export function parseModelFile(json: string | BytesLike, fn = 'decodeModel'): ModelFile {
  const text = typeof json === 'string' ? json : new TextDecoder().decode(ArrayBuffer.isView(json) ? json : new Uint8Array(json));
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ModelFormatError(`${fn}: ${MODEL_JSON} is not valid JSON (${(e as Error).message})`);
  }
  const bad = (msg: string) => new ModelFormatError(`${fn}: ${MODEL_JSON} ${msg}`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad(`must hold a JSON object, got ${Array.isArray(raw) ? 'an array' : String(raw)}`);
  const f = raw as Record<string, unknown>;
  if (f.format !== MODEL_FORMAT) throw bad(`has format ${JSON.stringify(f.format)}; expected "${MODEL_FORMAT}" (a folder written by saveModel)`);
  if (f.version !== MODEL_FORMAT_VERSION) {
    const newer = typeof f.version === 'number' && f.version > MODEL_FORMAT_VERSION;
    throw bad(
      `has format version ${JSON.stringify(f.version)}; this @mapnn/train reads version ${MODEL_FORMAT_VERSION}` +
        (newer ? ' (the model was saved by a newer @mapnn/train: upgrade it)' : ''),
    );
  }
  for (const key of ['frozen', 'eval'] as const) {
    if (!Array.isArray(f[key]) || !(f[key] as unknown[]).every((x) => typeof x === 'string')) throw bad(`'${key}' must be an array of names`);
  }
  const w = f.weights as Record<string, unknown> | undefined;
  if (typeof w !== 'object' || w === null || w.file !== MODEL_WEIGHTS || typeof w.saveId !== 'string') {
    throw bad(`'weights' must be {"file": "${MODEL_WEIGHTS}", "saveId": "<id>"}, got ${JSON.stringify(f.weights)}`);
  }
  if (f.architecture === undefined) throw bad(`has no 'architecture'`);
  return f as unknown as ModelFile;
}

const describeTensor = (t: { dtype: string; shape: readonly number[] }) => `${t.dtype} ${fmtShape(t.shape)}`;

/** Throws one error listing every missing, unexpected, reshaped or retyped weight. */
function checkWeights(model: Module<any, any>, tensors: Record<string, SafeTensor>, fn: string): void {
  const own = model.stateDict();
  const problems: string[] = [];
  for (const [k, t] of Object.entries(own)) {
    const v = tensors[k];
    if (!v) problems.push(`missing weight '${k}' (${describeTensor(t)})`);
    else if (v.dtype !== t.dtype || v.shape.length !== t.shape.length || v.shape.some((d, i) => d !== t.shape[i])) {
      problems.push(`'${k}' is ${describeTensor(v)} in ${MODEL_WEIGHTS}, but the architecture has ${describeTensor(t)}`);
    }
  }
  for (const k of Object.keys(tensors)) if (!(k in own)) problems.push(`unexpected weight '${k}' (${describeTensor(tensors[k]!)})`);
  if (problems.length) throw new ModelFormatError(`${fn}: the weights do not fit the architecture: ${problems.join('; ')}`);
}

function applyFrozen(model: Module<any, any>, frozen: string[], fn: string): void {
  const params = new Map(model.namedParameters());
  const unknown = frozen.filter((k) => !params.has(k));
  if (unknown.length) throw new ModelFormatError(`${fn}: ${MODEL_JSON} freezes ${unknown.map((k) => `'${k}'`).join(', ')}, which the model has no parameter of`);
  for (const k of frozen) params.get(k)!.requiresGrad_(false);
}

function applyEval(model: Module<any, any>, names: string[], fn: string): void {
  const modules = new Map(model.namedModules());
  const unknown = names.filter((k) => !modules.has(k));
  if (unknown.length) throw new ModelFormatError(`${fn}: ${MODEL_JSON} lists eval-mode modules ${unknown.map((k) => `'${k}'`).join(', ')}, which the model does not have`);
  const evalSet = new Set(names);
  for (const [k, m] of modules) m.training = !evalSet.has(k);
}
