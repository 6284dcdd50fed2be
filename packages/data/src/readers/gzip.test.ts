import { gzipSync, strToU8 } from 'fflate';
import { gzipSync as zlibGzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { atOffset } from '../../test/byte-views.js';
import { crc32, isGzip, maybeGunzip, strictGunzip } from './gzip.js';

describe('strictGunzip', () => {
  const text = 'the quick brown fox '.repeat(200);
  const gz = gzipSync(strToU8(text));

  it('decompresses fflate and zlib output', () => {
    expect(new TextDecoder().decode(strictGunzip(gz, 'a.gz'))).toBe(text);
    expect(new TextDecoder().decode(strictGunzip(zlibGzip(text), 'b.gz'))).toBe(text);
  });

  it('computes the standard CRC-32', () => {
    expect(crc32(strToU8('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it('rejects truncated data with the file name', () => {
    for (const cut of [5, 12, 40, gz.length - 6, gz.length - 1]) {
      expect(() => strictGunzip(gz.subarray(0, cut), 'cut.gz')).toThrow(/cut\.gz: (truncated|corrupted)/);
    }
  });

  it('rejects a flipped bit (CRC or inflate error), never returns wrong bytes', () => {
    for (const at of [20, Math.floor(gz.length / 2), gz.length - 7]) {
      const bad = gz.slice();
      bad[at]! ^= 0x10;
      expect(() => strictGunzip(bad, 'bad.gz')).toThrow(/bad\.gz: .*(corrupted|truncated)/);
    }
  });

  it('passes non-gzip bytes through maybeGunzip', () => {
    const raw = new Uint8Array([0, 0, 8, 1]);
    expect(isGzip(raw)).toBe(false);
    expect(maybeGunzip(raw, 'raw')).toBe(raw);
    expect(() => strictGunzip(raw, 'raw')).toThrow(/not gzip/);
  });
});

describe('gzip functions on a view at a nonzero offset', () => {
  it('isGzip, crc32, strictGunzip and maybeGunzip read only the view', () => {
    const text = 'view at an offset '.repeat(20);
    const gz = atOffset(gzipSync(strToU8(text)), 5, 0x1f);
    expect(isGzip(atOffset(strToU8('ab'), 3, 0x1f))).toBe(false);
    expect(isGzip(gz)).toBe(true);
    expect(crc32(atOffset(strToU8('123456789')))).toBe(0xcbf43926);
    expect(new TextDecoder().decode(strictGunzip(gz, 'v.gz'))).toBe(text);
    expect(new TextDecoder().decode(maybeGunzip(gz, 'v.gz'))).toBe(text);
    const plain = atOffset(strToU8('plain'));
    expect(maybeGunzip(plain, 'p')).toBe(plain);
  });
});
