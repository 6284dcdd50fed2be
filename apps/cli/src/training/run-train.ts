import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { setBackend, tidy, type Tensor } from '@mapnn/core';
import { classWeights, trainTestSplit } from '@mapnn/data';
import type { Module } from '@mapnn/layers';
import { Accuracy, MeanAbsoluteError } from '@mapnn/metrics';
import { optimizerByName, type Optimizer } from '@mapnn/optimizers';
import { EarlyStopping, ProgressStream, fit, type Callback, type History, type TrainData } from '@mapnn/train';
import { ModelCheckpoint, loadCheckpoint, restoreCheckpoint, saveCheckpoint } from '@mapnn/train/node';
import { useBackend, type BackendChoice } from '../backend.js';
import { modelTensors, moveToActive, optimizerTensors, readsSynchronously, syncToHost } from '../device.js';
import { loadData, parseDataSpec, DEFAULT_TEST_SIZE, formatDataSpec, type DataSpec, type LoadedData } from '../data-sources/index.js';
import { CliError, InterruptedError, UsageError, messageOf } from '../errors.js';
import { exportModelOnnx } from '../models/onnx.js';
import type { ModelConfig, TrainSettings } from '../models/spec.js';
import { formatMetrics, headline, type Metrics } from '../output/metrics.js';
import type { Printer } from '../output/print.js';
import { ProgressView } from '../output/progress.js';
import { bytes, int, seconds } from '../output/table.js';
import { AugmentedBatches } from './augment.js';
import { evaluateModel, prepareInputs, prepareTargets } from './evaluate.js';
import { freshModel, type TrainModel } from './fresh-model.js';
import { InterruptWatch } from './interrupt.js';
import { DivergedError, NaNGuard } from './nan-guard.js';
import { checkOutFolder, clearPreviousRun, DEFAULT_OUT, type OutFolderCheck } from './out-folder.js';
import { historyJson, writeBytes, writeJson, writeWeights } from './outputs.js';
import { readResume, rejectFixedOnResume, resumedModel, resumedOutFolder, type ResumedRun } from './resume.js';
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

/** Everything a run is set up with, once the data, the model and its optimizer are ready. */
interface TrainRun extends TrainModel {
  settings: TrainSettings;
  outDir: string;
  ckDir: string;
  backend: string;
  /** The backend reads asynchronously: data are prepared and outputs written on the cpu. */
  onDevice: boolean;
  spec: DataSpec;
  data: LoadedData;
  optimizer: Optimizer;
}

/** The training inputs: the train split (less a validation split with early stopping), batched. */
interface TrainInputs {
  trainX: Tensor;
  validation?: { x: Tensor; y: Tensor };
  trainData: TrainData;
}

/** The callbacks of a run, and those the steps after fit refer to. */
interface TrainCallbacks {
  callbacks: Callback[];
  /** Callbacks whose state checkpoints save (early stopping). */
  stateful: Callback[];
  early: EarlyStopping | null;
  checkpoint: ModelCheckpoint;
  watch: InterruptWatch;
  view: ProgressView | null;
  streaming: Accuracy | MeanAbsoluteError;
}

/**
 * `mapnn train`: load data, build (or import, or resume) a model, fit it with a progress bar,
 * checkpoint every epoch, evaluate on the held-out split and write the output folder.
 */
export async function runTrain(req: TrainRequest, print: Printer, tty: boolean): Promise<TrainOutcome> {
  const resume = req.resume ? readResume(req.resume) : undefined;
  if (resume) rejectFixedOnResume(req.given);
  const settings = trainSettings(req, resume?.config.training);
  const resumedFolder = resume ? resumedOutFolder(resume) : undefined;
  const outDir = resolve(req.out ?? resumedFolder ?? DEFAULT_OUT);
  // before any data are loaded: the folder must be writable and this run's to write
  const outCheck = checkOutFolder(outDir, { explicit: req.out !== undefined, force: !!req.force, resumedFolder });

  // backend and data: prepared on the host (cpu) when the backend reads asynchronously
  const backend = await useBackend(req.backend);
  const onDevice = !readsSynchronously();
  if (onDevice) setBackend('cpu');
  const { spec, data } = await loadTrainData(req, resume, settings);
  const trained = resume ? await resumedModel(resume.config, outDir, resume.ckDir) : await freshModel(req.model, data, settings.seed);
  trained.config.training = { ...settings };
  const inputs = trainInputs(data, trained.config, settings);
  const optimizer = optimizerFor(trained.model, settings);
  const run: TrainRun = { ...trained, settings, outDir, ckDir: join(outDir, 'checkpoints'), backend, onDevice, spec, data, optimizer };
  const cbs = trainCallbacks(run, print, tty);
  const start = startingPoint(run, resume, cbs, req.lr);
  if (start.initialEpoch >= settings.epochs && resume) {
    print.note(`mapnn: the checkpoint has already run ${start.initialEpoch} of ${settings.epochs} epochs; pass --epochs N (N > ${start.initialEpoch}) to train further`);
  }
  printRunHeader(print, run, inputs, cbs, { resumed: !!resume, initialEpoch: start.initialEpoch });
  prepareOutFolder(print, run, outCheck);

  // fit (on the device: the model, its optimizer state and the training inputs move there)
  if (onDevice) {
    setBackend(backend);
    moveToActive([...modelTensors(run.model), ...optimizerTensors(optimizer), inputs.trainX, ...(inputs.validation ? [inputs.validation.x] : [])]);
  }
  const t0 = Date.now();
  const fitted = await fitOrCheckpoint(run, inputs, cbs, start, print);
  if ('exitCode' in fitted) return fitted;
  const trainSeconds = (Date.now() - t0) / 1000;
  if (cbs.watch.requested) {
    print.note(`mapnn: interrupted after the last epoch; checkpoints are in ${run.ckDir}`);
    return { exitCode: 130, result: { command: 'train', interrupted: true, checkpoint: run.ckDir, out: outDir } };
  }
  const metrics = await heldOutMetrics(run, print);
  return finishRun(run, print, { history: fitted.history, metrics, initialEpoch: start.initialEpoch, trainSeconds });
}

/** The run's settings: a resumed run keeps those that define it; options override the rest. */
function trainSettings(req: TrainRequest, prev: TrainSettings | undefined): TrainSettings {
  const optimizerName = (prev?.optimizer ?? req.optimizer ?? DEFAULTS.optimizer).toLowerCase();
  return {
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
}

/** Loads the data (a resumed run's own source) and checks the options that depend on it. */
async function loadTrainData(req: TrainRequest, resume: ResumedRun | undefined, settings: TrainSettings): Promise<{ spec: DataSpec; data: LoadedData }> {
  const spec = resume ? resume.config.data.source : parseDataSpec(req.data, req.label);
  const data = await loadData(spec, { seed: settings.seed, testSize: settings.testSize, limit: settings.limit ?? undefined, download: req.download });
  if (settings.augment && data.kind !== 'image') throw new UsageError('--augment applies to image data (digits, mnist, fashion-mnist)');
  if (settings.classWeights && data.task !== 'classification') throw new UsageError('--class-weights needs a classification task');
  return { spec, data };
}

/** Training tensors; early stopping holds out a validation split; --augment batches augmented. */
function trainInputs(data: LoadedData, config: ModelConfig, settings: TrainSettings): TrainInputs {
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
  return { trainX, validation, trainData };
}

function optimizerFor(model: Module<any, any>, settings: TrainSettings): Optimizer {
  try {
    return optimizerByName(settings.optimizer, model.trainableParameters(), optimizerOptions(settings.optimizer, settings.lr));
  } catch (e) {
    throw new UsageError(`--optimizer: ${messageOf(e).replace(/^optimizerByName: /, '')}`);
  }
}

/** Progress, the NaN guard, early stopping, the per-epoch checkpoint and the Ctrl-C watch. */
function trainCallbacks(run: TrainRun, print: Printer, tty: boolean): TrainCallbacks {
  const { config, settings } = run;
  const streaming = config.task === 'classification' ? new Accuracy() : new MeanAbsoluteError();
  const progress = new ProgressStream();
  const view = print.json ? null : new ProgressView(progress, { tty, accuracy: config.task === 'classification' ? streaming : undefined });
  const stateful: Callback[] = [];
  const early = settings.earlyStopping !== null ? new EarlyStopping({ patience: settings.earlyStopping, restoreBestWeights: true, monitor: 'val_loss' }) : null;
  if (early) stateful.push(early);
  const checkpoint = new ModelCheckpoint(run.ckDir, { config, seed: settings.seed, callbacks: stateful, keep: 2 });
  const watch = new InterruptWatch(() => {
    view?.close();
    print.note('\nmapnn: interrupted — saving a checkpoint (Ctrl-C again to quit at once)');
  });
  // the guard comes before the checkpoint: a diverged model is never saved
  const callbacks: Callback[] = [progress, new NaNGuard(), ...stateful, checkpoint, watch];
  if (run.onDevice) callbacks.splice(callbacks.indexOf(checkpoint), 0, hostSync(run.model, run.optimizer));
  return { callbacks, stateful, early, checkpoint, watch, view, streaming };
}

/** Where fit starts: epoch 0, or a resumed run's checkpoint (model, optimizer and callbacks restored). */
function startingPoint(run: TrainRun, resume: ResumedRun | undefined, cbs: TrainCallbacks, lr: number | undefined): { initialEpoch: number; history: History } {
  if (!resume) return { initialEpoch: 0, history: { epochs: [], logs: {} } };
  const r = restoreCheckpoint(resume.ckDir, { model: run.model, optimizer: run.optimizer, callbacks: [...cbs.stateful, cbs.checkpoint] });
  // the optimizer state carries the old learning rate; an explicit --lr wins
  if (lr !== undefined) for (const g of run.optimizer.paramGroups) g.lr = lr;
  return { initialEpoch: r.initialEpoch, history: r.history };
}

/** The two lines saying what is trained on what, and how. */
function printRunHeader(print: Printer, run: TrainRun, inputs: TrainInputs, cbs: TrainCallbacks, at: { resumed: boolean; initialEpoch: number }): void {
  const { config, settings, model, data } = run;
  const { validation } = inputs;
  print.line(
    `mapnn train: ${config.kind} (${int(model.numParameters())} parameters) on ${formatDataSpec(run.spec)} — ` +
      `${int(inputs.trainX.shape[0]!)} train${validation ? ` / ${int(validation.x.shape[0]!)} validation` : ''} / ${int(data.test.x.shape[0]!)} test samples`,
  );
  print.line(
    `  backend ${run.backend}, ${settings.optimizer} lr ${settings.lr}, batch ${settings.batchSize}, ` +
      `${at.resumed ? `epochs ${at.initialEpoch + 1}–${settings.epochs} (resumed)` : `${settings.epochs} epochs`}, seed ${settings.seed}` +
      `${settings.augment ? ', augmented' : ''}${settings.classWeights ? ', balanced class weights' : ''}` +
      `${cbs.early ? `, early stopping (patience ${settings.earlyStopping})` : ''}`,
  );
}

/** Clears what a previous run left in the output folder (when allowed) and writes the ONNX source. */
function prepareOutFolder(print: Printer, run: TrainRun, outCheck: OutFolderCheck): void {
  const { outDir, config, onnxSource } = run;
  if (outCheck.previousRun.length) {
    clearPreviousRun(outDir, outCheck);
    print.note(`mapnn: replaced the previous run's ${outCheck.previousRun.join(', ')} in ${displayPath(outDir)}`);
  }
  if (onnxSource && config.onnxSource && !existsSync(join(outDir, config.onnxSource))) writeBytes(outDir, config.onnxSource, onnxSource);
}

/**
 * Fits the model. A diverged run is an error; Ctrl-C saves a checkpoint mid-epoch and ends the
 * run (the outcome is returned instead of the history).
 */
async function fitOrCheckpoint(
  run: TrainRun,
  inputs: TrainInputs,
  cbs: TrainCallbacks,
  start: { initialEpoch: number; history: History },
  print: Printer,
): Promise<{ history: History } | TrainOutcome> {
  const { model, optimizer, settings, config, data } = run;
  cbs.watch.install();
  try {
    const history = await fit(model, inputs.trainData, {
      epochs: settings.epochs,
      optimizer,
      loss: config.task === 'classification' ? 'cross_entropy' : 'mse',
      metrics: [cbs.streaming],
      batchSize: settings.batchSize,
      validationData: inputs.validation,
      classWeights: settings.classWeights ? Array.from(classWeights(data.train.y, 'balanced', { classes: config.classes.map((_, i) => i) })) : undefined,
      callbacks: cbs.callbacks,
      seed: settings.seed,
      initialEpoch: start.initialEpoch,
      history: start.history,
    });
    return { history };
  } catch (e) {
    if (e instanceof DivergedError) throw new CliError(divergedMessage(e, settings, lastCheckpoint(run.ckDir, run.outDir)));
    if (!(e instanceof InterruptedError)) throw e;
    return await saveInterrupted(run, cbs, print);
  } finally {
    cbs.watch.uninstall();
    cbs.view?.close();
  }
}

/** After Ctrl-C: a checkpoint of the epoch in progress, and how to continue. */
async function saveInterrupted(run: TrainRun, cbs: TrainCallbacks, print: Printer): Promise<TrainOutcome> {
  const { model, optimizer } = run;
  const { watch } = cbs;
  const ctx = watch.ctx!;
  await syncToHost([...modelTensors(model), ...optimizerTensors(optimizer)]);
  const path = saveCheckpoint(run.ckDir, {
    model, optimizer, epochsCompleted: watch.epoch, history: ctx.history, callbacks: [...cbs.stateful, cbs.checkpoint],
    config: run.config, seed: run.settings.seed, extra: { interrupted: { epoch: watch.epoch + 1, batchesDone: watch.batch + 1 } },
  });
  print.note(`mapnn: checkpoint saved to ${displayPath(path)} (epoch ${watch.epoch + 1}, after ${watch.batch + 1} batches); continue with: mapnn train --resume ${displayPath(run.outDir)}`);
  return { exitCode: 130, result: { command: 'train', interrupted: true, checkpoint: path, epochsCompleted: watch.epoch, out: run.outDir } };
}

/** Evaluates on the held-out split and prints the metrics. */
async function heldOutMetrics(run: TrainRun, print: Printer): Promise<Metrics> {
  const metrics: Metrics = await evaluateModel(run.model, run.data.test, run.config, run.settings.batchSize);
  print.line('');
  print.line(`held-out test set (${int(metrics.samples)} samples):`);
  print.line(formatMetrics(metrics));
  return metrics;
}

/** Writes the output folder (model.onnx, weights, config, history), reports it, and the outcome. */
async function finishRun(
  run: TrainRun,
  print: Printer,
  done: { history: History; metrics: Metrics; initialEpoch: number; trainSeconds: number },
): Promise<TrainOutcome> {
  const { config, settings, backend, outDir, model } = run;
  const { history, metrics, initialEpoch, trainSeconds } = done;
  const epochsCompleted = history.epochs.length ? history.epochs[history.epochs.length - 1]! + 1 : initialEpoch;
  config.training = { ...settings, backend, epochsCompleted, seconds: trainSeconds };
  config.metrics = headline(metrics);
  const files = await writeOutputs(run, print, history, trainSeconds);
  print.line('');
  print.line(
    `wrote ${displayPath(outDir)}/: ${files.onnx ? `model.onnx (${bytes(fileSize(files.onnx))}), ` : ''}model.safetensors, config.json, history.json, checkpoints/`,
  );
  print.line(`trained ${epochsCompleted - initialEpoch} epoch${epochsCompleted - initialEpoch === 1 ? '' : 's'} in ${seconds(trainSeconds)} on ${backend}`);
  return {
    exitCode: 0,
    result: {
      command: 'train', backend, data: formatDataSpec(run.spec), model: config.kind, parameters: model.numParameters(),
      epochs: settings.epochs, initialEpoch, epochsCompleted, seconds: trainSeconds, settings,
      history: historyJson(history), metrics: metricsJson(metrics), out: outDir, files,
    },
  };
}

/** The output files, written on the host (serialisation reads synchronously); model.onnx may fail alone. */
async function writeOutputs(run: TrainRun, print: Printer, history: History, trainSeconds: number): Promise<Record<string, string>> {
  const { model, config, outDir, onnxSource } = run;
  const files: Record<string, string> = {};
  await syncToHost(modelTensors(model));
  if (run.onDevice) setBackend('cpu');
  const sample = tidy(() => prepareInputs(run.data.test.x.narrow(0, 0, 1), config));
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
  files.checkpoints = run.ckDir;
  return files;
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

/** A path as people want to read it: relative to the working folder when inside it. */
function displayPath(p: string): string {
  const rel = relative(process.cwd(), p);
  if (!rel) return '.';
  return rel.startsWith('..') ? p : rel;
}
