import { Command } from 'commander';
import { concat, tidy } from '@mapnn/core';
import { useBackend, type BackendChoice } from '../backend.js';
import { loadData, parseDataSpec, formatDataSpec, DEFAULT_TEST_SIZE, type DataSpec, type Split } from '../data-sources/index.js';
import { describeNormalization, fitNormalization } from '../data-sources/normalize.js';
import { CliError, UsageError } from '../errors.js';
import { loadModel } from '../models/load.js';
import { formatMetrics } from '../output/metrics.js';
import { Printer } from '../output/print.js';
import { int } from '../output/table.js';
import { evaluateModel } from '../training/evaluate.js';
import { metricsJson } from '../training/run-train.js';
import { examples, intOption, withBackend, withCommon, type CommonOptions } from './common.js';
import { modelTensors, moveToActive, onHost } from '../device.js';

interface EvalOptions extends CommonOptions {
  data?: string;
  label?: string;
  split?: string;
  batchSize: number;
  backend: BackendChoice;
}

const sameSource = (a: DataSpec, b: DataSpec | undefined) => !!b && a.name === b.name && (a.path ?? '') === (b.path ?? '') && (a.label ?? '') === (b.label ?? '');

export function evalCommand(): Command {
  const cmd = new Command('eval')
    .summary('Classification report or regression metrics of a trained model')
    .description(
      'Evaluate a model: classification report (accuracy, macro precision/recall/F1, per-class table, confusion matrix) ' +
        'or regression metrics. MODEL is an output folder (config.json + model.safetensors), a checkpoint folder, or an .onnx file.',
    )
    .argument('<model>', 'output folder, checkpoint folder or .onnx file')
    .option('--data <source>', "data to evaluate on (default: the model's training data source)")
    .option('--label <column>', 'label column of a CSV file')
    .option('--split <part>', "test (the training run's held-out split; default for its own data), train, or all (default for other data)")
    .option('--batch-size <n>', 'evaluation batch size', intOption(1), 256);
  withBackend(cmd);
  withCommon(cmd);
  examples(cmd, [
    'mapnn eval mapnn-out',
    'mapnn eval mapnn-out/model.onnx --data digits --json',
    'mapnn eval runs/iris/checkpoints --split train',
    'mapnn eval model.onnx --data csv=test.csv --label target --split all',
  ]);
  cmd.action(async (modelPath: string, o: EvalOptions) => {
    const print = new Printer(!!o.json);
    if (o.split !== undefined && !['test', 'train', 'all'].includes(o.split)) throw new UsageError(`--split: expected test, train or all, got '${o.split}'`);
    const backend = await useBackend(o.backend);
    // model and data are loaded on the host; the model then moves to the backend
    const loaded = await onHost(() => loadModel(modelPath));
    const config = { ...loaded.config };
    const trainedOn = config.data?.source;
    let spec: DataSpec;
    if (o.data) spec = parseDataSpec(o.data, o.label);
    else if (trainedOn) spec = trainedOn;
    else throw new UsageError(`${modelPath} has no config.json saying what it was trained on; pass --data`);
    const own = sameSource(spec, trainedOn);
    const split = (o.split ?? (own ? 'test' : 'all')) as 'test' | 'train' | 'all';
    const data = await onHost(() => loadData(spec, { seed: config.training?.seed ?? 0, testSize: config.training?.testSize ?? DEFAULT_TEST_SIZE }));
    if (data.task !== config.task && config.data) throw new CliError(`the model does a ${config.task} task but ${formatDataSpec(spec)} is a ${data.task} dataset`);
    let guessed = false;
    if (!config.data) {
      // a bare .onnx file: take classes from the data and guess the usual normalisation
      config.task = data.task;
      config.normalization = fitNormalization(data);
      guessed = true;
      if (data.task === 'classification' && config.outputs === data.classNames.length) config.classes = data.classNames;
    }
    if (config.task === 'classification' && config.classes.length !== data.classNames.length) {
      throw new CliError(`the model predicts ${config.classes.length} classes but ${formatDataSpec(spec)} has ${data.classNames.length}`);
    }
    const rows: Split =
      split === 'test' ? data.test : split === 'train' ? data.train : tidy(() => ({ x: concat([data.train.x, data.test.x], 0), y: concat([data.train.y, data.test.y], 0) }));
    moveToActive(modelTensors(loaded.model));
    const metrics = await evaluateModel(loaded.model, rows, config, o.batchSize);
    print.line(`mapnn eval: ${loaded.path} (${config.kind}, ${loaded.from}) on ${formatDataSpec(spec)}, ${split} split — ${int(metrics.samples)} samples, backend ${backend}`);
    if (guessed) print.line(`  no config.json beside the model: normalisation guessed as ${describeNormalization(config.normalization)}`);
    print.line('');
    print.line(formatMetrics(metrics, { report: true }));
    print.result({ command: 'eval', model: loaded.path, from: loaded.from, kind: config.kind, data: formatDataSpec(spec), split, backend, metrics: metricsJson(metrics), report: metrics.task === 'classification' ? metrics.report : undefined });
  });
  return cmd;
}
