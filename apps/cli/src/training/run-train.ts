import { copyFileSync, existsSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { setBackend, tidy, type Tensor } from '@mapnn/core';
import { classWeights, trainTestSplit } from '@mapnn/data';
import type { Module } from '@mapnn/layers';
import { Accuracy, MeanAbsoluteError } from '@mapnn/metrics';
import { optimizerByName, type Optimizer } from '@mapnn/optimizers';
import { EarlyStopping, ProgressStream, fit, type Callback, type History, type TrainData } from '@mapnn/train';
import { ModelCheckpoint, loadCheckpoint, restoreCheckpoint, saveCheckpoint } from '@mapnn/train/node';
import { useBackend, type BackendChoice } from '../backend.js';
import { modelTensors, moveToActive, optimizerTensors, readsSynchronously, syncToHost } from '../device.js';
import { fitNormalization } from '../data-sources/normalize.js';
import { loadData, parseDataSpec, DEFAULT_TEST_SIZE, formatDataSpec, type LoadedData } from '../data-sources/index.js';
import { CliError, InterruptedError, UsageError, messageOf } from '../errors.js';
import { buildModel } from '../models/build.js';
import { checkpointDir, modelFromConfig } from '../models/load.js';
import { exportModelOnnx, importOnnxFile, onnxOutputSize, onnxSampleShape, readOnnxBytes } from '../models/onnx.js';
import { inputShapeFor } from '../models/shapes.js';
import { isModelConfig, MODEL_KINDS, type ModelConfig, type ModelKind, type TrainSettings } from '../models/spec.js';
import { formatMetrics, headline, type Metrics } from '../output/metrics.js';
import type { Printer } from '../output/print.js';
import { ProgressView } from '../output/progress.js';
import { bytes, int, seconds } from '../output/table.js';
import { AugmentedBatches } from './augment.js';
import { evaluateModel, prepareInputs, prepareTargets } from './evaluate.js';
import { InterruptWatch } from './interrupt.js';
import { DivergedError, NaNGuard } from './nan-guard.js';
import { checkOutFolder, clearPreviousRun, DEFAULT_OUT } from './out-folder.js';
import { historyJson, writeBytes, writeJson, writeWeights } from './outputs.js';
import { defaultLr, divergedMessage, optimizerOptions } from './settings.js';

/** What `mapnn train` was asked to do (parsed options). */
export interface TrainRequest {
  data: string;
  label?: string;
  model: string;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  optimizer?: string;
  backend: BackendChoice;
  seed?: number;
  augment?: boolean;
  classWeights?: 'balanced';
  earlyStopping?: number;
  resume?: string;
  out?: string;
  /** Replace a previous run's outputs in --out. */
  force?: boolean;
  limit?: number;
  testSize?: number;
  download?: boolean;
  /** Options the user gave explicitly (the rest are defaults). */
  given: Set<string>;
}

export interface TrainOutcome {
  exitCode: number;
  result: Record<string, unknown>;
}

const DEFAULTS = { epochs: 10, batchSize: 32, optimizer: 'adam', seed: 0 };

/** Where a resumed run's checkpoints are, and the config + settings they were written with. */
type ResumedConfig = ModelConfig & { training: TrainSettings; data: NonNullable<ModelConfig['data']> };

function readResume(dir: string): { ckDir: string; config: ResumedConfig } {
  const p = resolve(dir);
  if (!existsSync(p)) throw new CliError(`--resume: folder not found: ${dir}`);
  const ckDir = checkpointDir(p);
  if (!ckDir) throw new CliError(`--resume: no checkpoint in ${dir} (expected OUT/checkpoints/latest)`);
  let state;
  try {
    state = loadCheckpoint(ckDir).state;
  } catch (e) {
    throw new CliError(`--resume: ${messageOf(e)}`);
  }
  if (!isModelConfig(state.config) || !state.config.training || !state.config.data) throw new CliError(`--resume: ${ckDir} was not written by mapnn train`);
  return { ckDir, config: state.config as ResumedConfig };
}

/** Options that cannot change when resuming (they define the run). */
const FIXED_ON_RESUME = ['data', 'label', 'model', 'seed', 'optimizer', 'augment', 'classWeights', 'limit', 'testSize'];

/**
 * `mapnn train`: load data, build (or import, or resume) a model, fit it with a progress bar,
 * checkpoint every epoch, evaluate on the held-out split and write the output folder.
 */
export async function runTrain(req: TrainRequest, print: Printer, tty: boolean): Promise<TrainOutcome> {
  const resume = req.resume ? readResume(req.resume) : undefined;
  if (resume) {
    const fixed = FIXED_ON_RESUME.filter((k) => req.given.has(k));
    if (fixed.length) throw new UsageError(`--resume continues the saved run; ${fixed.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')} cannot change`);
  }
  const prev = resume?.config.training;
  const optimizerName = (prev?.optimizer ?? req.optimizer ?? DEFAULTS.optimizer).toLowerCase();
  const settings: TrainSettings = {
    epochs: req.epochs ?? prev?.epochs ?? DEFAULTS.epochs,
    batchSize: req.batchSize ?? prev?.batchSize ?? DEFAULTS.batchSize,
    lr: req.lr ?? prev?.lr ?? defaultLr(optimizerName),
    optimizer: optimizerName,
    seed: prev?.seed ?? req.seed ?? DEFAULTS.seed,
    augment: prev?.augment ?? req.augment ?? false,
    classWeights: prev ? prev.classWeights : (req.classWeights ?? null),
    earlyStopping: req.given.has('earlyStopping') ? (req.earlyStopping ?? null) : (prev?.earlyStopping ?? null),
    limit: prev ? prev.limit : (req.limit ?? null),
    testSize: prev?.testSize ?? req.testSize ?? DEFAULT_TEST_SIZE,
  };
  const resumedFolder = resume ? (basename(resume.ckDir) === 'checkpoints' ? dirname(resume.ckDir) : resume.ckDir) : undefined;
  const outDir = resolve(req.out ?? resumedFolder ?? DEFAULT_OUT);
  const ckDir = join(outDir, 'checkpoints');
  // before any data are loaded: the folder must be writable and this run's to write
  const outCheck = checkOutFolder(outDir, { explicit: req.out !== undefined, force: !!req.force, resumedFolder });

  // ---- backend and data: prepared on the host (cpu) when the backend reads asynchronously
  const backend = await useBackend(req.backend);
  const onDevice = !readsSynchronously();
  if (onDevice) setBackend('cpu');
  const spec = resume ? resume.config.data.source : parseDataSpec(req.data, req.label);
  const data = await loadData(spec, { seed: settings.seed, testSize: settings.testSize, limit: settings.limit ?? undefined, download: req.download });
  if (settings.augment && data.kind !== 'image') throw new UsageError('--augment applies to image data (digits, mnist, fashion-mnist)');
  if (settings.classWeights && data.task !== 'classification') throw new UsageError('--class-weights needs a classification task');

  // ---- model and its config
  const { model, config, onnxSource } = resume
    ? await resumedModel(resume.config, outDir, resume.ckDir)
    : await freshModel(req.model, data, settings.seed);
  config.training = { ...settings };

  // ---- tensors
  const xTrain = prepareInputs(data.train.x, config);
  const yTrain = prepareTargets(data.train.y, config);
  let trainX = xTrain;
  let trainY = yTrain;
  let validation: { x: Tensor; y: Tensor } | undefined;
  if (settings.earlyStopping !== null) {
    const s = trainTestSplit({ x: xTrain, y: yTrain }, { testSize: 0.1, stratify: config.task === 'classification' ? true : undefined, seed: settings.seed + 1 });
    trainX = s.train.x;
    trainY = s.train.y;
    validation = s.test;
  }
  const trainData: TrainData = settings.augment
    ? new AugmentedBatches(trainX, trainY, {
        batchSize: settings.batchSize, seed: settings.seed, flip: data.flipInvariant,
        padding: Math.max(1, Math.round(config.inputShape[1]! / 14)), noise: 0.05,
      })
    : { x: trainX, y: trainY };

  // ---- optimizer, metrics, callbacks
  let optimizer: Optimizer;
  try {
    optimizer = optimizerByName(settings.optimizer, model.trainableParameters(), optimizerOptions(settings.optimizer, settings.lr));
  } catch (e) {
    throw new UsageError(`--optimizer: ${messageOf(e).replace(/^optimizerByName: /, '')}`);
  }
  const streaming = config.task === 'classification' ? new Accuracy() : new MeanAbsoluteError();
  const progress = new ProgressStream();
  const view = print.json ? null : new ProgressView(progress, { tty, accuracy: config.task === 'classification' ? streaming : undefined });
  const stateful: Callback[] = [];
  const early = settings.earlyStopping !== null ? new EarlyStopping({ patience: settings.earlyStopping, restoreBestWeights: true, monitor: 'val_loss' }) : null;
  if (early) stateful.push(early);
  const checkpoint = new ModelCheckpoint(ckDir, { config, seed: settings.seed, callbacks: stateful, keep: 2 });
  const watch = new InterruptWatch(() => {
    view?.close();
    print.note('\nmapnn: interrupted — saving a checkpoint (Ctrl-C again to quit at once)');
  });
  // the guard comes before the checkpoint: a diverged model is never saved
  const callbacks: Callback[] = [progress, new NaNGuard(), ...stateful, checkpoint, watch];

  if (onDevice) callbacks.splice(callbacks.indexOf(checkpoint), 0, hostSync(model, optimizer));

  // ---- resume
  let initialEpoch = 0;
  let history: History = { epochs: [], logs: {} };
  if (resume) {
    const r = restoreCheckpoint(resume.ckDir, { model, optimizer, callbacks: [...stateful, checkpoint] });
    initialEpoch = r.initialEpoch;
    history = r.history;
    // the optimizer state carries the old learning rate; an explicit --lr wins
    if (req.lr !== undefined) for (const g of optimizer.paramGroups) g.lr = req.lr;
  }
  if (initialEpoch >= settings.epochs && resume) {
    print.note(`mapnn: the checkpoint has already run ${initialEpoch} of ${settings.epochs} epochs; pass --epochs N (N > ${initialEpoch}) to train further`);
  }

  const nTrain = trainX.shape[0]!;
  print.line(
    `mapnn train: ${config.kind} (${int(model.numParameters())} parameters) on ${formatDataSpec(spec)} — ` +
      `${int(nTrain)} train${validation ? ` / ${int(validation.x.shape[0]!)} validation` : ''} / ${int(data.test.x.shape[0]!)} test samples`,
  );
  print.line(
    `  backend ${backend}, ${settings.optimizer} lr ${settings.lr}, batch ${settings.batchSize}, ` +
      `${resume ? `epochs ${initialEpoch + 1}–${settings.epochs} (resumed)` : `${settings.epochs} epochs`}, seed ${settings.seed}` +
      `${settings.augment ? ', augmented' : ''}${settings.classWeights ? ', balanced class weights' : ''}` +
      `${early ? `, early stopping (patience ${settings.earlyStopping})` : ''}`,
  );
  if (outCheck.previousRun.length) {
    clearPreviousRun(outDir, outCheck);
    print.note(`mapnn: replaced the previous run's ${outCheck.previousRun.join(', ')} in ${displayPath(outDir)}`);
  }
  if (onnxSource && config.onnxSource && !existsSync(join(outDir, config.onnxSource))) writeBytes(outDir, config.onnxSource, onnxSource);

  // ---- fit (on the device: the model, its optimizer state and the training inputs move there)
  if (onDevice) {
    setBackend(backend);
    moveToActive([...modelTensors(model), ...optimizerTensors(optimizer), trainX, ...(validation ? [validation.x] : [])]);
  }
  const t0 = Date.now();
  watch.install();
  try {
    history = await fit(model, trainData, {
      epochs: settings.epochs,
      optimizer,
      loss: config.task === 'classification' ? 'cross_entropy' : 'mse',
      metrics: [streaming],
      batchSize: settings.batchSize,
      validationData: validation,
      classWeights: settings.classWeights ? Array.from(classWeights(data.train.y, 'balanced', { classes: config.classes.map((_, i) => i) })) : undefined,
      callbacks,
      seed: settings.seed,
      initialEpoch,
      history,
    });
  } catch (e) {
    if (e instanceof DivergedError) throw new CliError(divergedMessage(e, settings, lastCheckpoint(ckDir, outDir)));
    if (!(e instanceof InterruptedError)) throw e;
    const ctx = watch.ctx!;
    await syncToHost([...modelTensors(model), ...optimizerTensors(optimizer)]);
    const path = saveCheckpoint(ckDir, {
      model, optimizer, epochsCompleted: watch.epoch, history: ctx.history, callbacks: [...stateful, checkpoint],
      config, seed: settings.seed, extra: { interrupted: { epoch: watch.epoch + 1, batchesDone: watch.batch + 1 } },
    });
    print.note(`mapnn: checkpoint saved to ${displayPath(path)} (epoch ${watch.epoch + 1}, after ${watch.batch + 1} batches); continue with: mapnn train --resume ${displayPath(outDir)}`);
    return { exitCode: 130, result: { command: 'train', interrupted: true, checkpoint: path, epochsCompleted: watch.epoch, out: outDir } };
  } finally {
    watch.uninstall();
    view?.close();
  }
  const trainSeconds = (Date.now() - t0) / 1000;
  if (watch.requested) {
    print.note(`mapnn: interrupted after the last epoch; checkpoints are in ${ckDir}`);
    return { exitCode: 130, result: { command: 'train', interrupted: true, checkpoint: ckDir, out: outDir } };
  }

  // ---- held-out evaluation
  const metrics: Metrics = await evaluateModel(model, data.test, config, settings.batchSize);
  print.line('');
  print.line(`held-out test set (${int(metrics.samples)} samples):`);
  print.line(formatMetrics(metrics));

  // ---- outputs
  const epochsCompleted = history.epochs.length ? history.epochs[history.epochs.length - 1]! + 1 : initialEpoch;
  config.training = { ...settings, backend, epochsCompleted, seconds: trainSeconds };
  config.metrics = headline(metrics);
  const files: Record<string, string> = {};
  // serialisation reads synchronously: on the host
  await syncToHost(modelTensors(model));
  if (onDevice) setBackend('cpu');
  const sample = tidy(() => prepareInputs(data.test.x.narrow(0, 0, 1), config));
  try {
    const exported = await exportModelOnnx(model, sample, join(outDir, 'model.onnx'), onnxSource);
    files.onnx = join(outDir, 'model.onnx');
    config.onnx = { file: 'model.onnx', input: exported.input, output: exported.output, opset: exported.opset };
  } catch (e) {
    config.onnx = null;
    print.note(`mapnn: warning: model.onnx not written: ${messageOf(e)}`);
  } finally {
    sample.dispose();
  }
  files.weights = writeWeights(outDir, model, config);
  files.config = writeJson(outDir, 'config.json', config);
  files.history = writeJson(outDir, 'history.json', historyJson(history, { seconds: trainSeconds }));
  files.checkpoints = ckDir;
  const rel = displayPath(outDir);
  print.line('');
  print.line(
    `wrote ${rel}/: ${files.onnx ? `model.onnx (${bytes(fileSize(files.onnx))}), ` : ''}model.safetensors, config.json, history.json, checkpoints/`,
  );
  print.line(`trained ${epochsCompleted - initialEpoch} epoch${epochsCompleted - initialEpoch === 1 ? '' : 's'} in ${seconds(trainSeconds)} on ${backend}`);
  return {
    exitCode: 0,
    result: {
      command: 'train', backend, data: formatDataSpec(spec), model: config.kind, parameters: model.numParameters(),
      epochs: settings.epochs, initialEpoch, epochsCompleted, seconds: trainSeconds, settings,
      history: historyJson(history), metrics: metricsJson(metrics), out: outDir, files,
    },
  };
}

/** Copies the model and optimizer state to the host at each epoch's end, for the checkpoint after it. */
function hostSync(model: Module<any, any>, optimizer: Optimizer): Callback {
  return { onEpochEnd: () => syncToHost([...modelTensors(model), ...optimizerTensors(optimizer)]) };
}

/** Where the last (finite) checkpoint is, for the message of a diverged run. */
function lastCheckpoint(ckDir: string, outDir: string): string {
  try {
    const epochs = loadCheckpoint(ckDir).state.epochsCompleted;
    const kept = ['model.safetensors', 'model.onnx'].filter((f) => existsSync(join(outDir, f)));
    return `${kept.map((f) => `${f}, `).join('')}the last finite checkpoint (epoch ${epochs}) in ${displayPath(ckDir)} ${kept.length ? 'are' : 'is'} kept`;
  } catch {
    return 'no model was written';
  }
}

function fileSize(p: string): number {
  return existsSync(p) ? statSync(p).size : 0;
}

/** Metrics for JSON (the text report left out). */
export function metricsJson(m: Metrics): Record<string, unknown> {
  if (m.task === 'regression') return { ...m };
  const { report: _report, ...rest } = m;
  return rest;
}

/** A new model: a built-in architecture or an imported ONNX graph to fine-tune. */
async function freshModel(
  model: string,
  data: LoadedData,
  seed: number,
): Promise<{ model: Module<any, any>; config: ModelConfig; onnxSource?: Uint8Array }> {
  const outputs = data.task === 'regression' ? 1 : data.classNames.length;
  const base = {
    format: 'mapnn-model' as const, version: 1 as const, task: data.task, outputs, classes: data.classNames,
    normalization: fitNormalization(data),
    data: {
      source: data.spec, kind: data.kind, sampleShape: data.sampleShape, featureNames: data.featureNames,
      rawMax: data.rawMax, flipInvariant: data.flipInvariant,
    },
  };
  if (/\.onnx$/i.test(model)) {
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
    if (outSize !== null && outSize !== outputs) {
      throw new CliError(`${model} has ${outSize} outputs but ${formatDataSpec(data.spec)} needs ${outputs}${data.task === 'classification' ? ' (one per class)' : ''}`);
    }
    m.train();
    const source = readOnnxBytes(path);
    return { model: m, config: ordered({ ...base, kind: 'onnx', inputShape, onnxSource: 'base.onnx' }), onnxSource: source };
  }
  const kind = model.toLowerCase() as ModelKind;
  if (!(MODEL_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`unknown model '${model}' (expected ${MODEL_KINDS.join(', ')} or FILE.onnx)`);
  }
  const inputShape = inputShapeFor(kind, data.sampleShape, data.kind);
  const config = ordered({ ...base, kind, inputShape });
  return { model: buildModel(config, seed), config };
}

/** The model of a resumed run, rebuilt from the checkpoint's config (weights restored later). */
async function resumedModel(config: ModelConfig, outDir: string, ckDir: string): Promise<{ model: Module<any, any>; config: ModelConfig; onnxSource?: Uint8Array }> {
  const { model, onnxSource } = await modelFromConfig(config, null, existsSync(join(outDir, config.onnxSource ?? '\0')) ? outDir : ckDir);
  model.train();
  if (config.kind === 'onnx' && config.onnxSource) {
    const src = join(outDir, config.onnxSource);
    if (!existsSync(src)) {
      const found = join(dirname(ckDir), config.onnxSource);
      if (existsSync(found)) copyFileSync(found, src);
    }
  }
  return { model, config: { ...config }, onnxSource };
}

/** The config with its keys in reading order (kind and shapes first). */
function ordered(c: ModelConfig): ModelConfig {
  const { format, version, kind, task, inputShape, outputs, classes, normalization, onnxSource, ...rest } = c;
  return { format, version, kind, task, inputShape, outputs, classes, normalization, ...(onnxSource ? { onnxSource } : {}), ...rest };
}

/** A path as people want to read it: relative to the working folder when inside it. */
function displayPath(p: string): string {
  const rel = relative(process.cwd(), p);
  if (!rel) return '.';
  return rel.startsWith('..') ? p : rel;
}
