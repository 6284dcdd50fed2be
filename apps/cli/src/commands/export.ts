import { existsSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { randn, tidy, zeros } from '@mapnn/core';
import { importOnnx } from '@mapnn/onnx/node';
import { useBackend, type BackendChoice } from '../backend.js';
import { CliError, UsageError, messageOf } from '../errors.js';
import { loadModel } from '../models/load.js';
import { exportModelOnnx } from '../models/onnx.js';
import { Printer } from '../output/print.js';
import { bytes } from '../output/table.js';
import { examples, withBackend, withCommon, type CommonOptions } from './common.js';
import { createFolder } from '../training/out-folder.js';

interface ExportOptions extends CommonOptions {
  onnx?: string;
  verify: boolean;
  backend: BackendChoice;
}

export function exportCommand(): Command {
  const cmd = new Command('export')
    .summary('Export a checkpoint or output folder to ONNX')
    .description(
      'Export a checkpoint (model.safetensors + its config) or an output folder to ONNX, then check that the file ' +
        're-imports and gives the same outputs. A config.json is written beside FILE when the folder has none.',
    )
    .argument('<checkpoint>', 'checkpoint folder (OUT/checkpoints or one latest-epoch-N folder) or output folder')
    .option('--onnx <file>', 'the .onnx file to write (required)')
    .option('--no-verify', 'skip the re-import check');
  withBackend(cmd);
  withCommon(cmd);
  examples(cmd, ['mapnn export mapnn-out/checkpoints --onnx model.onnx', 'mapnn export runs/a/checkpoints/latest-epoch-000003 --onnx epoch3.onnx --json']);
  cmd.action(async (dir: string, o: ExportOptions) => {
    const print = new Printer(!!o.json);
    if (!o.onnx) throw new UsageError("missing required option '--onnx <file>'");
    if (/\.onnx$/i.test(dir)) throw new UsageError(`${dir} is already an ONNX model`);
    await useBackend(o.backend);
    const loaded = await loadModel(dir);
    const config = loaded.config;
    const sample = zeros([1, ...config.inputShape]);
    const file = resolve(o.onnx);
    createFolder(dirname(file), `--onnx ${o.onnx}`);
    const exported = await exportModelOnnx(loaded.model, sample, file, loaded.onnxSource);
    sample.dispose();
    let maxDiff: number | null = null;
    if (o.verify) {
      try {
        const back = await importOnnx(exported.bytes);
        maxDiff = tidy(() => {
          const x = randn([4, ...config.inputShape]);
          const a = loaded.model.call(x);
          const b = back.call(x);
          return a.sub(b).abs().max().item();
        });
        back.dispose();
      } catch (e) {
        throw new CliError(`wrote ${o.onnx}, but it does not re-import into mapnn: ${messageOf(e)}`);
      }
      if (maxDiff === null || !(maxDiff <= 1e-3)) throw new CliError(`wrote ${o.onnx}, but its outputs differ from the model's (max |Δ| ${maxDiff})`);
    }
    const configFile = join(dirname(file), 'config.json');
    let wroteConfig = false;
    if (!existsSync(configFile)) {
      writeFileSync(configFile, `${JSON.stringify({ ...config, onnx: { file: basename(file), input: exported.input, output: exported.output, opset: exported.opset } }, null, 2)}\n`);
      wroteConfig = true;
    }
    print.line(`exported ${loaded.path} (${config.kind}, ${loaded.from}${loaded.state ? `, epoch ${loaded.state.epochsCompleted}` : ''}) to ${o.onnx} (${bytes(exported.bytes.length)})`);
    if (maxDiff !== null) print.line(`  re-imported: same outputs (max |Δ| ${maxDiff.toExponential(2)})`);
    if (wroteConfig) print.line(`  wrote ${configFile} (classes, normalisation)`);
    print.result({ command: 'export', source: loaded.path, from: loaded.from, onnx: file, bytes: exported.bytes.length, input: exported.input, output: exported.output, maxDiff, config: wroteConfig ? configFile : null });
  });
  return cmd;
}
