import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CliError, UsageError, messageOf } from '../errors.js';

/** The folder `mapnn train` writes when no --out is given. */
export const DEFAULT_OUT = 'mapnn-out';

/** What `mapnn train` writes into its output folder (a run's own files). */
export const RUN_OUTPUTS = ['model.onnx', 'model.safetensors', 'config.json', 'history.json', 'checkpoints', 'base.onnx'] as const;

/** How the folder is to be used. */
export interface OutFolderUse {
  /** Whether the user gave --out (the default folder is owned by mapnn runs). */
  explicit: boolean;
  /** --force: replace a previous run's files. */
  force: boolean;
  /** The folder of the run being resumed (continued in place), if any. */
  resumedFolder?: string;
}

/** What `checkOutFolder` found. */
export interface OutFolderCheck {
  /** A previous run's files and folders, to remove (`clearPreviousRun`) before this run writes. */
  previousRun: string[];
}

/**
 * Gets the output folder ready for a run, before data are loaded: creates it, checks it can be
 * written (a probe file is written and removed), and makes sure the run owns it. A folder with
 * files of another run is refused (exit 2) unless `force` — then the previous run's outputs
 * (RUN_OUTPUTS only; other files stay) are to be removed. The default folder (`mapnn-out`) is
 * replaced without --force when it holds nothing but a previous mapnn run. A resumed run
 * continues in its own folder. Nothing is removed here (see `clearPreviousRun`).
 */
export function checkOutFolder(dir: string, use: OutFolderUse): OutFolderCheck {
  const flag = use.explicit ? `--out ${dir}` : `the output folder ${dir}`;
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new CliError(`${flag} is a file, not a folder`);
  createFolder(dir, flag);
  const report: OutFolderCheck = { previousRun: [] };
  const continuing = use.resumedFolder !== undefined && resolve(use.resumedFolder) === resolve(dir);
  if (!continuing) {
    const entries = readdirSync(dir).filter((n) => !isTempName(n));
    if (entries.length) {
      const previousRun = isPreviousRun(dir, entries);
      if (!use.force && !(previousRun && !use.explicit)) {
        const what = previousRun ? 'holds a previous run' : `is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''})`;
        throw new UsageError(`${flag} ${what}; pass --force to replace its mapnn outputs, or choose another folder with --out`);
      }
      report.previousRun = entries.filter((n) => (RUN_OUTPUTS as readonly string[]).includes(n));
    }
  }
  probeWritable(dir, flag);
  return report;
}

/**
 * Creates `dir` and its missing parents one by one. (Node's recursive mkdir never returns for
 * some paths, such as `/proc/x`; a plain mkdir fails with the OS error instead.)
 */
export function createFolder(dir: string, flag: string): void {
  const missing: string[] = [];
  let p = resolve(dir);
  while (!existsSync(p)) {
    missing.push(p);
    const parent = dirname(p);
    if (parent === p) break;
    p = parent;
  }
  if (existsSync(p) && !statSync(p).isDirectory()) throw new CliError(`${flag}: cannot create the folder: ${p} is a file`);
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (e) {
      throw new CliError(`${flag}: cannot create the folder: ${messageOf(e)}`);
    }
  }
}

/** Writes and removes a probe file, so an unwritable folder fails now rather than after training. */
function probeWritable(dir: string, flag: string): void {
  const probe = join(dir, `.mapnn-write-probe-${process.pid}.tmp`);
  try {
    writeFileSync(probe, 'mapnn');
    rmSync(probe, { force: true });
  } catch (e) {
    throw new CliError(`${flag} is not writable: ${messageOf(e)}`);
  }
}

/** Temporary files of an interrupted write (atomic writes, checkpoints, probes). */
function isTempName(name: string): boolean {
  return /^\.(\d+-\d+-[a-z0-9]*\.tmp|tmp-.+|mapnn-write-probe-\d+\.tmp)$/.test(name);
}

/** Whether the folder holds only a mapnn run's outputs, with its config.json or checkpoints. */
function isPreviousRun(dir: string, entries: string[]): boolean {
  if (!entries.every((n) => (RUN_OUTPUTS as readonly string[]).includes(n))) return false;
  if (entries.includes('config.json')) {
    try {
      return (JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { format?: unknown }).format === 'mapnn-model';
    } catch {
      return false;
    }
  }
  return entries.includes('checkpoints') && lstatSync(join(dir, 'checkpoints')).isDirectory();
}

/** Removes a previous run's outputs (`checkOutFolder`'s list) and leftover temporaries; other files stay. */
export function clearPreviousRun(dir: string, check: OutFolderCheck): void {
  const temps = readdirSync(dir).filter(isTempName);
  for (const n of [...check.previousRun, ...temps]) {
    try {
      rmSync(join(dir, n), { recursive: true, force: true });
    } catch (e) {
      throw new CliError(`cannot remove the previous run's ${join(dir, n)}: ${messageOf(e)}`);
    }
  }
}
