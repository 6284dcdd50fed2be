import { Command } from 'commander';
import { Printer } from '../output/print.js';
import { runTrain, type TrainRequest } from '../training/run-train.js';
import { parseClassWeights } from '../training/settings.js';
import { examples, fractionOption, given, intOption, positiveOption, withBackend, withCommon, wrap, type CommonOptions } from './common.js';

/** The parsed options: what `runTrain` is asked to do, less which options were given. */
type TrainOptions = CommonOptions & Omit<TrainRequest, 'given'>;

const OPTION_NAMES = ['data', 'label', 'model', 'epochs', 'batchSize', 'lr', 'optimizer', 'seed', 'augment', 'classWeights', 'earlyStopping', 'limit', 'testSize'];

export function trainCommand(): Command {
  const cmd = new Command('train')
    .summary('Train a model (default: a CNN on the embedded digits) and write model.onnx, weights, config, history')
    .description(
      'Train a model (default: a small CNN on the UCI digits embedded in @mapnn/data), print held-out metrics and write ' +
        'OUT/ with model.onnx, model.safetensors, config.json, history.json and checkpoints/ (one per epoch). ' +
        'Ctrl-C saves a resumable checkpoint and exits with code 130.',
    )
    .option('--data <source>', 'digits | iris | breast-cancer | wine | fashion-mnist[=DIR] | mnist[=DIR] | csv=FILE', 'digits')
    .option('--label <column>', 'label column of a CSV file, by name or index (default: the last column)')
    .option('--model <kind>', 'mlp | cnn | lenet | resnet | lstm | FILE.onnx (imported and fine-tuned)', 'cnn')
    .option('--epochs <n>', 'epochs to train (total, also when resuming; default 10)', intOption(1))
    .option('--batch-size <n>', 'mini-batch size (default 32)', intOption(1))
    .option('--lr <rate>', 'learning rate (default per optimizer: adam 0.002, sgd 0.05, …)', positiveOption)
    .option('--optimizer <name>', 'sgd | adam | adamw | adamax | nadam | rmsprop | adagrad | adadelta (default adam)')
    .option('--seed <n>', 'seed of initialisation, split, shuffling and augmentation (default 0)', intOption(0))
    .option('--augment', 'augment image data: random crop, flip (where labels allow) and noise')
    .option('--class-weights <mode>', "weight the loss by class: 'balanced' (n / (classes · count))", wrap(parseClassWeights))
    .option('--early-stopping <patience>', 'stop after N epochs without validation-loss improvement (holds out 10 % for validation)', intOption(1))
    .option('--resume <dir>', 'continue the run saved in DIR (an output folder or its checkpoints/)')
    .option('--out <dir>', 'output folder (default mapnn-out, replaced by each run; or the resumed run\'s folder)')
    .option('--force', 'replace a previous run\'s outputs in a non-empty --out folder (its other files stay)')
    .option('--limit <n>', 'train on the first N training samples only', intOption(1))
    .option('--test-size <fraction>', 'held-out fraction for sources without a test split (default 0.2)', fractionOption)
    .option('--download', 'download MNIST / Fashion-MNIST when missing (SHA-256 verified)');
  withBackend(cmd);
  withCommon(cmd);
  examples(cmd, [
    'mapnn train                                   # CNN on the digits, ~98 % held-out accuracy',
    'mapnn train --model mlp --epochs 20 --out runs/mlp',
    'mapnn train --data iris --model mlp --epochs 50',
    'mapnn train --data csv=data.csv --label species --model mlp',
    'mapnn train --data fashion-mnist=~/data/fashion --augment --early-stopping 3',
    'mapnn train --model runs/mlp/model.onnx --epochs 3   # fine-tune an ONNX model',
    'mapnn train --resume mapnn-out --epochs 20            # continue a run (also after Ctrl-C)',
  ]);
  cmd.action(async (o: TrainOptions, command: Command) => {
    const print = new Printer(!!o.json);
    const outcome = await runTrain(
      { ...o, given: new Set(OPTION_NAMES.filter((n) => given(command, n))) },
      print,
      !!process.stdout.isTTY,
    );
    print.result(outcome.result);
    process.exitCode = outcome.exitCode;
  });
  return cmd;
}
