import { Command, InvalidArgumentError } from 'commander';
import { useBackend, type BackendChoice } from '../backend.js';
import { runCompress, type CompressRequest } from '../compress/run-compress.js';
import { UsageError } from '../errors.js';
import { onHost } from '../device.js';
import { Printer } from '../output/print.js';
import { examples, intOption, withBackend, withCommon, type CommonOptions } from './common.js';

interface CompressOptions extends CommonOptions {
  prune?: number;
  structured?: boolean;
  quantize?: 'int8' | 'fp16';
  calibrate?: string;
  calibrationSamples: number;
  out?: string;
  force?: boolean;
  backend: BackendChoice;
}

/** --prune: a fraction in [0, 1). */
export function pruneOption(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !(n >= 0 && n < 1)) throw new InvalidArgumentError(`expected a fraction of the weights in [0, 1), got '${v}'`);
  return n;
}

/** --quantize: int8 or fp16. */
export function quantizeOption(v: string): 'int8' | 'fp16' {
  const k = v.toLowerCase();
  if (k === 'int8' || k === 'fp16') return k;
  throw new InvalidArgumentError(`expected int8 or fp16, got '${v}'`);
}

/** Option combinations that cannot work, refused before anything is loaded. */
export function checkCombination(o: Pick<CompressOptions, 'prune' | 'structured' | 'quantize' | 'calibrate' | 'out'>): void {
  if (!o.out) throw new UsageError("missing required option '--out <file.onnx|dir>'");
  if (o.prune === undefined && !o.quantize) throw new UsageError('nothing to do: pass --prune P and/or --quantize int8|fp16');
  if (o.structured && o.prune === undefined) throw new UsageError('--structured needs --prune P (the fraction of conv channels to remove)');
  if (o.calibrate && o.quantize !== 'int8') throw new UsageError('--calibrate is for --quantize int8');
}

export function compressCommand(): Command {
  const cmd = new Command('compress')
    .summary('Prune and/or quantize a trained model; write ONNX (QDQ int8, pruned float) or an output folder')
    .description(
      'Compress a model: --prune P (global L1 magnitude pruning of P of the weights; with --structured, P of each ' +
        'convolution\'s output channels are removed) and/or --quantize int8 (post-training, calibrated on --calibrate ' +
        'DATASET, default the model\'s own training data; written as ONNX QDQ) or fp16 (float16 weights). Prints ' +
        'parameters, bytes, sparsity and held-out accuracy before and after. MODEL is a `mapnn train` output folder, a ' +
        'checkpoint, or an .onnx file written by mapnn train. --out FILE.onnx writes one ONNX file (and a config.json ' +
        'beside it when there is none); --out DIR writes config.json, model.onnx and, where the architecture is unchanged, ' +
        'model.safetensors (CSR sparse after --prune, F16 after --quantize fp16). Nothing is written unless every step works.',
    )
    .argument('<model>', 'output folder, checkpoint folder or .onnx file written by mapnn train')
    .option('--prune <fraction>', 'prune this fraction of the weights, in [0, 1)', pruneOption)
    .option('--structured', 'with --prune: remove that fraction of the convolution channels instead (smaller dense layers)')
    .option('--quantize <type>', 'int8 (ONNX QDQ) or fp16 (float16 weights: ONNX float16 initializers, F16 checkpoint in a folder)', quantizeOption)
    .option('--calibrate <source>', "int8 calibration data: digits | iris | … | csv=FILE, as mapnn train --data (default: the model's training data)")
    .option('--calibration-samples <n>', 'training samples of the calibration data to use', intOption(1), 256)
    .option('--out <file.onnx|dir>', 'FILE.onnx or an output folder (required)')
    .option('--force', 'replace an existing --out file, or the model files of an existing --out folder');
  withBackend(cmd);
  withCommon(cmd);
  examples(cmd, [
    'mapnn compress mapnn-out --prune 0.9 --quantize int8 --out small.onnx',
    'mapnn compress mapnn-out --prune 0.5 --structured --out slim.onnx',
    'mapnn compress mapnn-out --quantize int8 --calibrate digits --out int8.onnx',
    'mapnn compress mapnn-out --quantize fp16 --out half.onnx       # float16 weights',
    'mapnn compress mapnn-out --prune 0.8 --out sparse/            # CSR sparse checkpoint folder',
    'mapnn eval small.onnx                                          # the outputs load in eval and predict',
  ]);
  cmd.action(async (modelPath: string, o: CompressOptions) => {
    const print = new Printer(!!o.json);
    checkCombination(o);
    await useBackend(o.backend);
    const req: CompressRequest = {
      model: modelPath, prune: o.prune, structured: !!o.structured, quantize: o.quantize, calibrate: o.calibrate,
      calibrationSamples: o.calibrationSamples, out: o.out!, force: !!o.force,
    };
    // compression reads weights synchronously: it runs on the host (cpu) when the backend is WebGPU
    print.result(await onHost(() => runCompress(req, print)));
  });
  return cmd;
}
