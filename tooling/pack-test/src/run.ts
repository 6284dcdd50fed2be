import { spawnSync } from 'node:child_process';

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The command line and the tail of its output, for assertion messages. */
  report: string;
}

/**
 * The environment of the workspace minus what pnpm and vitest add for their own children
 * (`npm_config_*`, `npm_package_*`, `NODE_OPTIONS`, …), so that commands in the scratch project
 * behave as in a user's shell.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|PNPM_|VITEST|TURBO_HASH|NODE_OPTIONS$|NODE_PATH$|INIT_CWD$)/i.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

const tail = (text: string, chars = 4000) => (text.length > chars ? `…${text.slice(-chars)}` : text);

/** Runs `command args…` in `cwd` (no shell) and returns its exit status and output. */
export function run(command: string, args: string[], cwd: string, options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): RunResult {
  const r = spawnSync(command, args, {
    cwd,
    env: options.env ?? cleanEnv(),
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 240_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const stdout = r.stdout ?? '';
  const stderr = r.stderr ?? '';
  const why = r.error ? `\n(${r.error.message})` : r.signal ? `\n(killed by ${r.signal})` : '';
  const report = `$ ${[command, ...args].join(' ')}  (in ${cwd}) → exit ${r.status}${why}\n--- stdout\n${tail(stdout)}\n--- stderr\n${tail(stderr)}`;
  return { status: r.status, stdout, stderr, report };
}

/** Like `run`, but throws with the report unless the command exits 0. */
export function runOrThrow(command: string, args: string[], cwd: string, options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): RunResult {
  const r = run(command, args, cwd, options);
  if (r.status !== 0) throw new Error(`command failed:\n${r.report}`);
  return r;
}
