import { Command } from 'commander';
import { benchCommand } from './commands/bench.js';
import { compressCommand } from './commands/compress.js';
import { evalCommand } from './commands/eval.js';
import { exportCommand } from './commands/export.js';
import { inspectCommand } from './commands/inspect.js';
import { predictCommand } from './commands/predict.js';
import { rlCommand } from './commands/rl.js';
import { trainCommand } from './commands/train.js';
import { oneLine } from './errors.js';

export const VERSION = '0.1.0';

/** The `mapnn` program with every command; usage errors throw CommanderError (exit code 2). */
export function buildProgram(): Command {
  const program = new Command('mapnn')
    .description('mapnn — train, evaluate, inspect, export and compress neural networks written in TypeScript')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      outputError: (str, write) => write(`mapnn: ${oneLine(str)}\n`),
    });
  program.addHelpText(
    'after',
    '\nExamples:\n' +
      '  $ mapnn train                              # CNN on the embedded digits → mapnn-out/\n' +
      '  $ mapnn eval mapnn-out                     # classification report on the held-out split\n' +
      '  $ mapnn predict mapnn-out --input digit.png\n' +
      '  $ mapnn inspect mapnn-out/model.onnx\n' +
      '  $ mapnn export mapnn-out/checkpoints --onnx model.onnx\n' +
      '  $ mapnn compress mapnn-out --prune 0.9 --quantize int8 --out small.onnx\n' +
      '  $ mapnn bench --backend all\n' +
      '  $ mapnn rl train --env CartPole-v1 --agent ppo --steps 100000 --out ppo-cartpole\n' +
      '  $ mapnn rl eval ppo-cartpole --episodes 100 --json\n' +
      '\nEvery command takes --help, --json and --verbose. Exit codes: 0 ok, 1 failure, 2 usage error, 130 interrupted.\n',
  );
  for (const make of [trainCommand, evalCommand, predictCommand, inspectCommand, exportCommand, compressCommand, benchCommand, rlCommand]) {
    const cmd = make();
    // subcommands share the program's error handling (copyInheritedSettings)
    cmd.copyInheritedSettings(program);
    for (const sub of cmd.commands) sub.copyInheritedSettings(program);
    program.addCommand(cmd);
  }
  return program;
}
