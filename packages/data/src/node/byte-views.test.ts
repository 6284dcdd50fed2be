import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { tensor } from '@mapnn/core';
import { atOffset } from '../../test/byte-views.js';
import { encodeIdx } from '../readers/idx.js';
import { sha256Hex } from './download.js';
import { readBytes, readIdxFile, readNpyFile, writeNpyFile } from './files.js';

const dir = mkdtempSync(join(tmpdir(), 'mapnn-views-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Node byte helpers honour byteOffset/byteLength', () => {
  it('sha256Hex hashes only the view', () => {
    const bytes = new TextEncoder().encode('hello');
    expect(sha256Hex(atOffset(bytes))).toBe(createHash('sha256').update('hello').digest('hex'));
  });

  it('small files read through fs Buffers parse correctly (.npy, .idx and .idx.gz)', () => {
    const npy = join(dir, 'a.npy');
    writeNpyFile(npy, tensor([1.5, -2, 3], [3]));
    expect(Array.from(readNpyFile(npy).data)).toEqual([1.5, -2, 3]);
    const idx = encodeIdx({ dtype: 'int16', shape: [2], data: new Int16Array([-300, 258]) });
    writeFileSync(join(dir, 'b.idx'), idx);
    writeFileSync(join(dir, 'b.idx.gz'), gzipSync(idx));
    expect(Array.from(readIdxFile(join(dir, 'b.idx')).data)).toEqual([-300, 258]);
    expect(Array.from(readIdxFile(join(dir, 'b.idx.gz')).data)).toEqual([-300, 258]);
    expect(readBytes(join(dir, 'b.idx')).byteLength).toBe(idx.length);
  });
});
