import { strFromU8 } from 'fflate';
import { strictGunzip } from '../readers/gzip.js';
import { decodeBase64 } from '../util/base64.js';

/** The text of an embedded dataset (base64 of gzip) — decoded on first use, then cached by the caller. */
export function decodeEmbedded(base64: string, name: string): string {
  return strFromU8(strictGunzip(decodeBase64(base64), name));
}
