import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { tidy, zeros, type Tensor } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import { encodeSparseSafetensors } from '@mapnn/compression';
import { encodeSafetensors } from '@mapnn/train';
import { exportOnnx, importOnnx } from '@mapnn/onnx/node';
import { formatDataSpec, loadData, parseDataSpec, DEFAULT_TEST_SIZE, type LoadedData, type Split } from '../data-sources/index.js';
import { CliError, messageOf } from '../errors.js';
import { loadModel } from '../models/load.js';
import type { ModelConfig } from '../models/spec.js';
import type { Printer } from '../output/print.js';
import { writeJson } from '../training/outputs.js';
import { prepareInputs } from '../training/evaluate.js';
import { editableModel } from './editable-model.js';
import { countParameters, figuresTable, scoreOf, sparsityOf, type ModelFigures } from './measure.js';
import { commitOut, discardStaging, planOut, stageFile, stageFolder, type OutTarget } from './out-path.js';
import { halfCheckpoint, pruneStructured, pruneUnstructured, quantizeInt8 } from './steps.js';

/** What `mapnn compress` is asked to do (validated by the command). */
export interface CompressRequest {
  model: string;
  prune?: number;
  structured: boolean;
  quantize?: 'int8' | 'fp16';
  calibrate?: string;
  calibrationSamples: number;
  out: string;
  force: boolean;
}

const EXPORT = { inputNames: ['input'], outputNames: ['output'], dynamicBatch: true, producerName: 'mapnn' } as const;

function floatOnnx(model: Module<any, any>, sample: Tensor, what: string, precision: 'float32' | 'float16' = 'float32'): Uint8Array {
  try {
    return exportOnnx(model, sample, { ...EXPORT, precision });
  } catch (e) {
    throw new CliError(`${what}: the ONNX export failed: ${messageOf(e)}`);
  }
}

/** The model's own data (held-out split for the accuracy), when its config names them. */
async function ownData(config: ModelConfig): Promise<LoadedData | null> {
  if (!config.data) return null;
  return loadData(config.data.source, { seed: config.training?.seed ?? 0, testSize: config.training?.testSize ?? DEFAULT_TEST_SIZE });
}

/** Calibration inputs: the first `n` training samples of --calibrate (or the model's own data), normalised, in batches of 64. */
async function calibrationBatches(req: CompressRequest, config: ModelConfig, own: LoadedData | null): Promise<{ batches: Tensor[]; source: string }> {
  let data: LoadedData;
  let source: string;
  if (req.calibrate) {
    source = req.calibrate;
    try {
      data = await loadData(parseDataSpec(req.calibrate), { seed: config.training?.seed ?? 0, testSize: config.training?.testSize ?? DEFAULT_TEST_SIZE });
    } catch (e) {
      throw new CliError(`--calibrate ${req.calibrate}: ${messageOf(e)}`);
    }
  } else {
    if (!own) throw new CliError('--quantize int8: the model has no config.json naming its training data; pass --calibrate DATASET');
    data = own;
    source = `${formatDataSpec(own.spec)} (training split)`;
  }
  const x = data.train.x.shape[0] ? data.train.x : data.test.x;
  const n = Math.min(req.calibrationSamples, x.shape[0]!);
  const batches: Tensor[] = [];
  try {
    for (let i = 0; i < n; i += 64) batches.push(tidy(() => prepareInputs(x.narrow(0, i, Math.min(64, n - i)), config)));
  } catch (e) {
    throw new CliError(`--calibrate ${source}: ${messageOf(e)}`);
  }
  return { batches, source };
}

/** The compressed model's files, and the model as `mapnn eval` will load them. */
interface Written {
  onnx: Uint8Array;
  weights: Uint8Array | null;
  format: string;
}

/** Runs the pipeline; the output appears only when everything worked. */
export async function runCompress(req: CompressRequest, print: Printer): Promise<Record<string, unknown>> {
  const target = planOut(req.out, req.force);
  const loaded = await loadModel(req.model);
  const config: ModelConfig = { ...loaded.config };
  const model = editableModel(loaded);
  model.eval();
  const data = await ownData(config);
  const heldOut: Split | null = data ? data.test : null;
  const sample = zeros([1, ...config.inputShape]);
  const before: ModelFigures = {
    parameters: countParameters(model),
    sparsity: sparsityOf(model),
    onnxBytes: floatOnnx(model, sample, 'the original model').length,
    checkpointBytes: encodeSafetensors(model.stateDict() as Record<string, Tensor>).length,
    score: await scoreOf(model, heldOut, config),
  };
  const steps: string[] = [];
  let structured = false;
  if (req.prune !== undefined && req.prune > 0) {
    if (req.structured) {
      const r = pruneStructured(model, req.prune, config.inputShape);
      structured = true;
      steps.push(`structured channel pruning (L1, ${req.prune * 100} % of the conv channels): ${r.groups.map((g) => `${g.layers.join('+')} ${g.before}→${g.after}`).join(', ') || 'no conv channels'}`);
    } else {
      pruneUnstructured(model, req.prune);
      steps.push(`global L1 magnitude pruning of ${req.prune * 100} % of the weights`);
    }
  }
  const afterParams = countParameters(model);
  const afterSparsity = sparsityOf(model);
  let written: Written;
  try {
    written = await compressedFiles(req, model, config, data, sample, target, structured, steps);
  } catch (e) {
    discardStaging(target);
    throw e;
  }
  const reloaded = await reload(target, written, config);
  const after: ModelFigures = {
    parameters: afterParams,
    sparsity: afterSparsity,
    onnxBytes: written.onnx.length,
    checkpointBytes: written.weights ? written.weights.length : null,
    score: await scoreOf(reloaded, heldOut, config),
  };
  commitOut(target);
  const besideConfig = target.kind === 'file' ? writeBesideConfig(target.path, config, req, written.format) : null;
  print.line(`mapnn compress: ${loaded.path} (${config.kind}, ${loaded.from}) → ${req.out} (${written.format})`);
  for (const s of steps) print.line(`  ${s}`);
  if (heldOut && data) print.line(`  accuracy on ${formatDataSpec(data.spec)}, test split (${heldOut.y.shape[0]} samples): before = the original model, after = the written ${target.kind === 'file' ? 'ONNX file' : 'folder'} re-loaded as mapnn eval loads it`);
  print.line('');
  print.line(figuresTable(before, after, config.task));
  if (besideConfig === false) print.note(`mapnn: note: ${join(dirname(target.path), 'config.json')} belongs to another model; pass --data to mapnn eval / predict ${req.out}`);
  else if (besideConfig) print.line(`\n  wrote ${besideConfig} (classes, normalisation) beside it`);
  return {
    command: 'compress', model: loaded.path, out: target.path, output: target.kind, format: written.format,
    prune: req.prune ?? null, structured: req.structured, quantize: req.quantize ?? null, steps, before, after,
  };
}

/** The output's ONNX graph and checkpoint, staged under the target's temporary name. */
async function compressedFiles(req: CompressRequest, model: Module<any, any>, config: ModelConfig, data: LoadedData | null, sample: Tensor, target: OutTarget, structured: boolean, steps: string[]): Promise<Written> {
  let onnx: Uint8Array;
  let weights: Uint8Array | null = null;
  let format: string;
  if (req.quantize === 'int8') {
    const { batches, source } = await calibrationBatches(req, config, data);
    onnx = quantizeInt8(model, batches, source, sample).onnx;
    batches.forEach((b) => b.dispose());
    steps.push(`int8 post-training quantization (per-channel weights, min-max activations calibrated on ${batches.reduce((s, b) => s + b.shape[0]!, 0)} samples of ${source}), ONNX QDQ`);
    format = 'ONNX QDQ int8';
  } else if (req.quantize === 'fp16') {
    // float16 storage: ONNX initializers as float16 read through Cast (exportOnnx precision 'float16');
    // a folder also gets an F16 checkpoint (each weight rounded to nearest even, as toHalf rounds it)
    onnx = floatOnnx(model, sample, '--quantize fp16', 'float16');
    if (target.kind === 'dir' && !structured) weights = halfCheckpoint(model);
    steps.push(`float16 weights (rounded to nearest even): ONNX float16 initializers${weights ? ' + F16 safetensors checkpoint' : ''}`);
    format = `ONNX with float16 weights${weights ? ' + F16 safetensors' : ''}`;
  } else {
    onnx = floatOnnx(model, sample, '--prune');
    format = 'float32 ONNX, pruned weights stored as zeros';
    if (target.kind === 'dir' && !structured) {
      weights = encodeSparseSafetensors(model);
      format += ' + CSR sparse safetensors';
    }
  }
  if (target.kind === 'file') stageFile(target, onnx);
  else stageFolder(target, { onnx, weights, config: folderConfig(config, req, format) });
  return { onnx, weights, format };
}

/** What config.json records about the compression. */
function compressionInfo(req: CompressRequest, format: string): Record<string, unknown> {
  return { prune: req.prune ?? null, structured: req.structured, quantize: req.quantize ?? null, format, source: req.model };
}

function folderConfig(config: ModelConfig, req: CompressRequest, format: string): ModelConfig & { compression: unknown } {
  return { ...config, onnx: { file: 'model.onnx', input: 'input', output: 'output' }, compression: compressionInfo(req, format) };
}

/** The written output loaded as `mapnn eval` loads it (a folder: through loadModel; a file: its ONNX graph). */
async function reload(target: OutTarget, written: Written, config: ModelConfig): Promise<Module<any, any>> {
  try {
    if (target.kind === 'dir') return (await loadModel(target.staging)).model;
    const m = await importOnnx(written.onnx);
    m.eval();
    return m;
  } catch (e) {
    discardStaging(target);
    throw new CliError(`the compressed ${config.kind} does not load back: ${messageOf(e)}`);
  }
}

/** config.json beside FILE.onnx (classes, normalisation) when there is none; false when another model's is there. */
function writeBesideConfig(file: string, config: ModelConfig, req: CompressRequest, format: string): string | false | null {
  const p = join(dirname(file), 'config.json');
  if (existsSync(p) && !describes(p, basename(file))) return false;
  writeJson(dirname(file), 'config.json', { ...config, onnx: { file: basename(file), input: 'input', output: 'output' }, compression: compressionInfo(req, format) });
  return p;
}

/** Whether the config.json at `p` is the one of `file` (written for it earlier). */
function describes(p: string, file: string): boolean {
  try {
    return (JSON.parse(readFileSync(p, 'utf8')) as ModelConfig).onnx?.file === file;
  } catch {
    return false;
  }
}
