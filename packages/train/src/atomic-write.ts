import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Flushes a directory entry to disk (best effort where the platform cannot open directories). */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    /* not supported here (e.g. Windows): the rename is still atomic */
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes `bytes` to `file` and flushes it to disk. */
export function writeDurable(file: string, bytes: Uint8Array | string): void {
  const fd = openSync(file, 'w');
  try {
    const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Atomically replaces `file`: writes a temporary sibling, fsyncs it, renames it over `file` and
 * fsyncs the directory. A crash at any moment leaves either the old or the new content.
 */
export function writeFileAtomic(file: string, bytes: Uint8Array | string): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, atomicTempName());
  try {
    writeDurable(tmp, bytes);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dir);
}

/** The temporary sibling `writeFileAtomic` writes first: `.<ms>-<pid>-<random>.tmp`. */
export function atomicTempName(): string {
  return `.${Date.now()}-${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
}

/** The writer's pid and start time (ms) of a temporary's name, or undefined for other files. */
export function parseTempName(name: string): { pid: number; ms: number } | undefined {
  // a checkpoint folder being written: .tmp-<name>-<pid>-<ms>
  const folder = /^\.tmp-.+-(\d+)-(\d+)$/.exec(name);
  if (folder) return { pid: Number(folder[1]), ms: Number(folder[2]) };
  // a writeFileAtomic temp (the `latest`/`best` pointers'): .<ms>-<pid>-<random>.tmp
  const file = /^\.(\d+)-(\d+)-[a-z0-9]*\.tmp$/.exec(name);
  if (file) return { pid: Number(file[2]), ms: Number(file[1]) };
  return undefined;
}

/** A temp left for longer than this is stale even if its pid now names a live process (reused pid). */
export const STALE_TEMP_MS = 24 * 60 * 60 * 1000;

/** Whether a process with this id exists (EPERM: it exists but belongs to another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporaries a crashed writer left in `dir` — checkpoint folders and
 * `writeFileAtomic` temps (such as the `latest` pointer's) — whose process is gone or that are
 * older than `STALE_TEMP_MS`. Temps of this process and of other live writers are kept.
 * Returns the names removed.
 */
export function removeStaleTemps(dir: string, now = Date.now()): string[] {
  const removed: string[] = [];
  for (const f of readdirSync(dir)) {
    const temp = parseTempName(f);
    if (!temp) continue;
    const live = temp.pid === process.pid || isProcessAlive(temp.pid);
    if (live && now - temp.ms < STALE_TEMP_MS) continue;
    rmSync(join(dir, f), { recursive: true, force: true });
    removed.push(f);
  }
  return removed;
}
