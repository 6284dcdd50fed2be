import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_DATASETS, requireShared } from '../../test/shared-datasets.js';
import { downloadVerified, sha256Hex } from './download.js';
import { FASHION_MNIST } from './known-datasets.js';
import { downloadIdxDataset, loadFashionMnist } from './mnist.js';

// A local http server on 127.0.0.1 serving shared/datasets/fashion-mnist (no network in tests):
// /good/<file> serves the file, /bad/<file> serves it with one byte changed, /missing/ 404s.
let server: Server;
let base = '';
const requests: string[] = [];
const tmp = mkdtempSync(join(tmpdir(), 'mapnn-download-'));

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const m = /^\/(good|bad)\/([\w.-]+)$/.exec(req.url ?? '');
    const file = m && join(SHARED_DATASETS, 'fashion-mnist', m[2]!);
    if (!m || !file || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    const bytes = readFileSync(file);
    if (m[1] === 'bad') bytes[bytes.length >> 1]! ^= 0x01;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length }).end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(tmp, { recursive: true, force: true });
});

describe('verified downloads (local server)', () => {
  it('the known Fashion-MNIST digests include those of the shared files', (ctx) => {
    requireShared(ctx, 'fashion-mnist/t10k-labels-idx1-ubyte.gz');
    for (const f of Object.values(FASHION_MNIST.files)) {
      expect(f.sha256, f.name).toContain(sha256Hex(readFileSync(join(SHARED_DATASETS, 'fashion-mnist', f.name))));
    }
  });

  it('downloads, verifies and caches the files, then loads them', { timeout: 20_000 }, async (ctx) => {
    requireShared(ctx, 'fashion-mnist/t10k-images-idx3-ubyte.gz', 'fashion-mnist/t10k-labels-idx1-ubyte.gz');
    const dir = join(tmp, 'fm');
    requests.length = 0;
    const logs: string[] = [];
    const data = await loadFashionMnist({
      dir,
      split: 'test',
      download: true,
      dtype: 'uint8',
      downloadOptions: { mirrors: [`${base}/missing/`, `${base}/good/`], log: (m) => logs.push(m) },
    });
    expect(data.x.shape).toEqual([10000, 28, 28]);
    expect(Array.from(data.y.dataSync().slice(0, 4))).toEqual([9, 2, 1, 1]);
    expect(readdirSync(dir).sort()).toEqual(['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']);
    // the first mirror 404s, the second serves: two requests per file
    expect(requests).toEqual([
      '/missing/t10k-images-idx3-ubyte.gz',
      '/good/t10k-images-idx3-ubyte.gz',
      '/missing/t10k-labels-idx1-ubyte.gz',
      '/good/t10k-labels-idx1-ubyte.gz',
    ]);
    // cached: no request the second time
    requests.length = 0;
    await loadFashionMnist({ dir, split: 'test', download: true, dtype: 'uint8', downloadOptions: { mirrors: [`${base}/good/`] } });
    expect(requests).toEqual([]);
    // a damaged cached file is fetched again
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), 'garbage');
    await downloadVerified('t10k-labels-idx1-ubyte.gz', dir, FASHION_MNIST.files.testLabels.sha256, {
      mirrors: [`${base}/good/`],
      log: (m) => logs.push(m),
    });
    expect(requests).toEqual(['/good/t10k-labels-idx1-ubyte.gz']);
    expect(logs.some((l) => /not a known digest; downloading again/.test(l))).toBe(true);
    data.x.dispose();
    data.y.dispose();
  });

  it('rejects a checksum mismatch, leaving no file behind', async (ctx) => {
    requireShared(ctx, 'fashion-mnist/t10k-labels-idx1-ubyte.gz');
    const dir = join(tmp, 'bad');
    const err = await downloadVerified('t10k-labels-idx1-ubyte.gz', dir, FASHION_MNIST.files.testLabels.sha256, {
      mirrors: [`${base}/bad/`],
    }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /download of t10k-labels-idx1-ubyte\.gz failed:\n {2}http:\/\/127\.0\.0\.1:\d+\/bad\/t10k-labels-idx1-ubyte\.gz: SHA-256 mismatch: got [0-9a-f]{64}, expected 67da17c7.* or 8d3605d1/,
    );
    expect(existsSync(join(dir, 't10k-labels-idx1-ubyte.gz'))).toBe(false);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });

  it('reports HTTP errors per mirror and refuses plain http to non-loopback hosts', async () => {
    const err = (await downloadIdxDataset(FASHION_MNIST, {
      dir: join(tmp, 'none'),
      downloadOptions: { mirrors: [`${base}/missing/`, 'http://example.com/data/'] },
    }).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/missing\/train-images-idx3-ubyte\.gz: HTTP 404/);
    expect(err.message).toMatch(/http:\/\/example\.com\/data\/train-images-idx3-ubyte\.gz: refused \(only https URLs/);
  });
});
