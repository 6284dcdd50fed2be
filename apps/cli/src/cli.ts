import { CommanderError } from 'commander';
import { CliError, EXIT, messageOf, oneLine } from './errors.js';
import { buildProgram } from './program.js';

/** Ends the process once stdout is flushed (wasm worker threads would keep it alive). */
async function finish(code: number): Promise<never> {
  await new Promise<void>((r) => (process.stdout.writableLength ? process.stdout.once('drain', () => r()) : r()));
  process.exit(code);
}

/** Exit code of a commander error: help and version are fine, anything else is a usage error. */
function commanderExit(e: CommanderError): number {
  if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return EXIT.ok;
  return EXIT.usage;
}

async function main(argv: string[]): Promise<never> {
  const verbose = argv.includes('--verbose');
  const json = argv.includes('--json');
  const program = buildProgram();
  if (argv.length <= 2) {
    program.outputHelp({ error: true });
    return finish(EXIT.usage);
  }
  try {
    await program.parseAsync(argv);
    return finish(typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok);
  } catch (e) {
    if (e instanceof CommanderError) {
      const code = commanderExit(e);
      if (json && code !== EXIT.ok) process.stdout.write(`${JSON.stringify({ error: oneLine(e.message), exitCode: code })}\n`);
      return finish(code);
    }
    const message = oneLine(messageOf(e));
    const code = e instanceof CliError ? e.exitCode : EXIT.failure;
    process.stderr.write(`mapnn: ${message}\n`);
    if (verbose && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    if (json) process.stdout.write(`${JSON.stringify({ error: message, exitCode: code })}\n`);
    return finish(code);
  }
}

void main(process.argv);
