import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Options of `downloadVerified`. */
export interface DownloadOptions {
  /** Base URLs tried in order; the file name is appended. https only, except loopback hosts. */
  mirrors: readonly string[];
  /** The fetch implementation (default: the global `fetch`). */
  fetch?: typeof fetch;
  /** Called with a line of progress text. */
  log?: (message: string) => void;
}

/** SHA-256 of bytes, hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Makes sure `dir/name` exists with one of the `sha256` digests: a cached file that verifies is
 * kept; otherwise the file is fetched from each mirror in turn, verified, and written atomically
 * (a temporary file renamed into place), so a failed or corrupted download never leaves a file
 * behind. Throws an error listing what went wrong at every mirror (HTTP status, network error or
 * checksum mismatch with the expected and actual digests). Returns the file's path.
 *
 * @example
 * await downloadVerified('train-labels-idx1-ubyte.gz', dir, ['a04f…0845'], { mirrors: ['https://…/'] });
 */
export async function downloadVerified(name: string, dir: string, sha256: readonly string[], options: DownloadOptions): Promise<string> {
  const path = join(dir, name);
  if (existsSync(path)) {
    const digest = sha256Hex(readFileSync(path));
    if (sha256.includes(digest)) return path;
    options.log?.(`${path}: cached file has SHA-256 ${digest}, not a known digest; downloading again`);
  }
  const doFetch = options.fetch ?? globalThis.fetch;
  if (typeof doFetch !== 'function') throw new Error('download: no fetch available (Node ≥ 18 has a global fetch)');
  const failures: string[] = [];
  for (const base of options.mirrors) {
    const url = new URL(name, base.endsWith('/') ? base : `${base}/`);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
      failures.push(`${url.href}: refused (only https URLs, or http on a loopback host, are allowed)`);
      continue;
    }
    let bytes: Uint8Array;
    try {
      options.log?.(`downloading ${url.href}`);
      const res = await doFetch(url.href);
      if (!res.ok) {
        failures.push(`${url.href}: HTTP ${res.status} ${res.statusText}`);
        continue;
      }
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch (e) {
      failures.push(`${url.href}: ${(e as Error).message}`);
      continue;
    }
    const digest = sha256Hex(bytes);
    if (!sha256.includes(digest)) {
      failures.push(`${url.href}: SHA-256 mismatch: got ${digest}, expected ${sha256.join(' or ')} (${bytes.length} bytes)`);
      continue;
    }
    mkdirSync(dir, { recursive: true });
    const tmp = `${path}.part-${process.pid}-${Date.now()}`;
    try {
      writeFileSync(tmp, bytes);
      renameSync(tmp, path);
    } finally {
      rmSync(tmp, { force: true });
    }
    return path;
  }
  throw new Error(`download of ${name} failed:\n  ${failures.join('\n  ')}`);
}
