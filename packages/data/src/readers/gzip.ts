import { gunzipSync } from 'fflate';

/** Whether `bytes` start with the gzip magic number `1f 8b`. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

let crcTable: Int32Array | null = null;

/** CRC-32 (IEEE 802.3, as in gzip and PNG) of `bytes`, unsigned. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  const t = crcTable;
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** A function that decompresses a complete gzip file (e.g. Node's `zlib.gunzipSync`). */
export type Gunzip = (bytes: Uint8Array) => Uint8Array;

/**
 * Decompresses a gzip file with fflate and checks it strictly: a truncated or corrupted stream,
 * or one whose CRC-32 or length trailer does not match its contents, throws an error naming
 * `name` and the problem (fflate alone does not verify the checksum).
 *
 * @example strictGunzip(gzipSync(strToU8('hello')), 'hello.gz') // bytes of 'hello'
 */
export function strictGunzip(bytes: Uint8Array, name = 'data'): Uint8Array {
  if (!isGzip(bytes)) throw new Error(`${name}: not gzip data (missing the 1f 8b magic number)`);
  if (bytes.length < 18) throw new Error(`${name}: truncated gzip file (${bytes.length} bytes; a gzip file has at least 18)`);
  let out: Uint8Array;
  try {
    out = gunzipSync(bytes);
  } catch (e) {
    const msg = (e as Error).message;
    const hint = /EOF/i.test(msg) ? 'truncated gzip data' : 'corrupted gzip data';
    throw new Error(`${name}: ${hint} (${msg})`);
  }
  const n = bytes.length;
  const storedCrc = (bytes[n - 8]! | (bytes[n - 7]! << 8) | (bytes[n - 6]! << 16) | (bytes[n - 5]! << 24)) >>> 0;
  const storedSize = (bytes[n - 4]! | (bytes[n - 3]! << 8) | (bytes[n - 2]! << 16) | (bytes[n - 1]! << 24)) >>> 0;
  if (storedSize !== out.length % 2 ** 32) {
    throw new Error(
      `${name}: truncated or corrupted gzip data (trailer says ${storedSize} bytes, decompressed ${out.length}; ` +
        `multi-member gzip files are not supported by the browser reader)`,
    );
  }
  const actualCrc = crc32(out);
  if (actualCrc !== storedCrc) {
    throw new Error(
      `${name}: corrupted gzip data (CRC-32 ${hex(actualCrc)} of the contents does not match the stored ${hex(storedCrc)})`,
    );
  }
  return out;
}

/** Decompresses `bytes` if they are gzip (with `gunzip`, default `strictGunzip`), else returns them. */
export function maybeGunzip(bytes: Uint8Array, name: string, gunzip?: Gunzip): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  if (!gunzip) return strictGunzip(bytes, name);
  try {
    return gunzip(bytes);
  } catch (e) {
    throw new Error(`${name}: truncated or corrupted gzip data (${(e as Error).message})`);
  }
}

function hex(v: number): string {
  return `0x${v.toString(16).padStart(8, '0')}`;
}
