import { InvalidArgumentError, type Command } from 'commander';
import { parseBackend, type BackendChoice } from '../backend.js';
import { UsageError } from '../errors.js';

/** Options every command has. */
export interface CommonOptions {
  json?: boolean;
  verbose?: boolean;
}

/** Adds `--json` and `--verbose` to a command. */
export function withCommon(cmd: Command): Command {
  return cmd
    .option('--json', 'print machine-readable JSON on stdout (no progress output)')
    .option('--verbose', 'print stack traces and extra detail');
}

/** Adds `--backend` (auto | wasm | cpu | webgpu). */
export function withBackend(cmd: Command, extra = ''): Command {
  return cmd.option('--backend <name>', `compute backend: auto (wasm if available, else cpu), wasm, cpu, webgpu${extra}`, wrap(parseBackend), 'auto' as BackendChoice);
}

/** Turns a UsageError thrown by a parser into commander's invalid-argument error (exit 2). */
export function wrap<T>(parse: (v: string) => T): (v: string) => T {
  return (v: string) => {
    try {
      return parse(v);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };
}

/** Parser of an integer option ≥ `min`. */
export function intOption(min = 1): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}, got '${v}'`);
    return n;
  };
}

/** Parser of a positive number option. */
export function positiveOption(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a positive number, got '${v}'`);
  return n;
}

/** Parser of a fraction in (0, 1). */
export function fractionOption(v: string): number {
  const n = Number(v);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError(`expected a number between 0 and 1, got '${v}'`);
  return n;
}

/** Examples appended to a command's --help. */
export function examples(cmd: Command, lines: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}

/** Whether the user gave an option on the command line (not its default). */
export function given(cmd: Command, name: string): boolean {
  const src = cmd.getOptionValueSource(name);
  return src === 'cli' || src === 'env';
}

export function requireOption<T>(value: T | undefined, flag: string): T {
  if (value === undefined) throw new UsageError(`missing required option ${flag}`);
  return value;
}
