import { writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { Command } from 'commander';
import { fromStorage } from '@mapnn/core';
import { writeNpyFile } from '@mapnn/data/node';
import { useBackend, type BackendChoice } from '../backend.js';
import { readInputs } from '../data-sources/inputs.js';
import { UsageError } from '../errors.js';
import { loadModel } from '../models/load.js';
import { Printer } from '../output/print.js';
import { table } from '../output/table.js';
import { argmaxRows, modelOutputs, probabilities } from '../training/evaluate.js';
import { examples, intOption, withBackend, withCommon, type CommonOptions } from './common.js';
import { createFolder } from '../training/out-folder.js';
import { modelTensors, moveToActive, onHost } from '../device.js';

interface PredictOptions extends CommonOptions {
  input: string[];
  output?: string;
  top: number;
  invert?: boolean;
  batchSize: number;
  backend: BackendChoice;
}

interface Prediction {
  input: string;
  class?: number;
  label?: string;
  probability?: number;
  probabilities?: number[];
  top?: { class: number; label: string; probability: number }[];
  value?: number[];
}

export function predictCommand(): Command {
  const cmd = new Command('predict')
    .summary('Classes and probabilities for .npy, .csv or .png inputs')
    .description(
      'Predict with a model: class and probabilities (or values, for regression) for every sample of the input files. ' +
        'Inputs are raw samples in the units of the training data (the model\'s normalisation is applied): .npy arrays ' +
        '[n, …sample] or one sample, .csv rows of features, .png images (resized to the model\'s input; light backgrounds are inverted).',
    )
    .argument('<model>', 'output folder, checkpoint folder or .onnx file')
    .requiredOption('--input <files...>', 'input files (.npy, .csv, .png)')
    .option('--output <file>', 'write the predictions to FILE (.json, .csv, or .npy for the probabilities)')
    .option('--top <k>', 'show the k most likely classes', intOption(1), 3)
    .option('--invert', 'PNG: always invert (dark strokes on light background)')
    .option('--no-invert', 'PNG: never invert')
    .option('--batch-size <n>', 'batch size', intOption(1), 256);
  withBackend(cmd);
  withCommon(cmd);
  examples(cmd, [
    'mapnn predict mapnn-out --input digit.png',
    'mapnn predict mapnn-out --input samples.npy --output predictions.csv',
    'mapnn predict runs/iris --input flowers.csv --json',
  ]);
  cmd.action(async (modelPath: string, o: PredictOptions, command: Command) => {
    const print = new Printer(!!o.json);
    if (o.output && !['.json', '.csv', '.npy'].includes(extname(o.output).toLowerCase())) {
      throw new UsageError(`--output: expected a .json, .csv or .npy file, got '${o.output}'`);
    }
    await useBackend(o.backend);
    // model and inputs are read on the host; the model then moves to the backend
    const loaded = await onHost(() => loadModel(modelPath));
    const config = loaded.config;
    const invertSource = command.getOptionValueSource('invert');
    const inputs = await onHost(() => readInputs(o.input, config, { invert: invertSource === 'cli' ? o.invert : undefined }));
    moveToActive(modelTensors(loaded.model));
    for (const n of inputs.notes) print.note(`mapnn: ${n}`);
    const out = await modelOutputs(loaded.model, inputs.x, config, o.batchSize);
    inputs.x.dispose();
    const predictions: Prediction[] = [];
    let probs: Float32Array | null = null;
    let c = 0;
    if (config.task === 'regression') {
      const v = await out.data();
      const k = out.size / Math.max(1, out.shape[0]!);
      inputs.names.forEach((name, i) => predictions.push({ input: name, value: Array.from(v.subarray(i * k, i * k + k)) }));
    } else {
      const p = await probabilities(out);
      probs = Float32Array.from(await p.data());
      c = p.shape[1]!;
      p.dispose();
      const classes = config.classes.length === c ? config.classes : Array.from({ length: c }, (_, i) => String(i));
      const best = argmaxRows(probs, c);
      inputs.names.forEach((name, i) => {
        const row = Array.from(probs!.subarray(i * c, i * c + c));
        const top = row.map((q, j) => ({ class: j, label: classes[j]!, probability: q })).sort((a, b) => b.probability - a.probability).slice(0, o.top);
        predictions.push({ input: name, class: best[i]!, label: classes[best[i]!]!, probability: row[best[i]!]!, probabilities: row, top });
      });
    }
    out.dispose();
    if (o.output) await onHost(() => writePredictions(resolve(o.output!), predictions, probs, c, config.classes));
    if (config.task === 'regression') {
      print.line(table(['input', 'prediction'], predictions.map((p) => [p.input, p.value!.map((v) => v.toPrecision(6)).join(', ')])));
    } else {
      print.line(
        table(
          ['input', 'class', 'probability', { header: `top ${o.top}`, align: 'left' }],
          predictions.map((p) => [p.input, p.label!, `${(p.probability! * 100).toFixed(1)} %`, p.top!.map((t) => `${t.label} ${(t.probability * 100).toFixed(1)}%`).join(', ')]),
        ),
      );
    }
    if (o.output) print.line(`\nwrote ${predictions.length} predictions to ${o.output}`);
    print.result({ command: 'predict', model: loaded.path, classes: config.classes, predictions, output: o.output ? resolve(o.output) : undefined });
  });
  return cmd;
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function writePredictions(file: string, predictions: Prediction[], probs: Float32Array | null, c: number, classes: string[]): void {
  createFolder(dirname(file), `--output ${file}`);
  const ext = extname(file).toLowerCase();
  if (ext === '.json') {
    writeFileSync(file, `${JSON.stringify({ classes, predictions }, null, 2)}\n`);
  } else if (ext === '.npy') {
    if (probs) writeNpyFile(file, fromStorage(probs, [probs.length / c, c], 'float32', 'predict'));
    else {
      const k = predictions[0]?.value?.length ?? 1;
      writeNpyFile(file, fromStorage(Float32Array.from(predictions.flatMap((p) => p.value!)), [predictions.length, k], 'float32', 'predict'));
    }
  } else {
    const lines: string[] = [];
    if (probs) {
      lines.push(['input', 'class', 'label', 'probability', ...classes.map((n) => `p_${n}`)].map(csvField).join(','));
      for (const p of predictions) lines.push([p.input, String(p.class), p.label!, String(p.probability), ...p.probabilities!.map(String)].map(csvField).join(','));
    } else {
      lines.push('input,prediction');
      for (const p of predictions) lines.push([p.input, p.value!.join(' ')].map(csvField).join(','));
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
  }
}
