import '@mapnn/backend-cpu';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator, setBackend, tensor } from '@mapnn/core';
import { Linear, ReLU, Sequential } from '@mapnn/layers';
import { Adam } from '@mapnn/optimizers';
import { TerminateOnNaN, fit, resolveLoss, type LossFn } from './index.js';
import { ModelCheckpoint, loadCheckpoint, removeStaleTemps, restoreCheckpoint, saveCheckpoint, writeFileAtomic } from './node.js';

beforeAll(() => setBackend('cpu'));
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mapnn-ckpt-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const net = (seed: number) => {
  const g = new Generator(seed);
  return new Sequential(new Linear(4, 8, { generator: g }), new ReLU(), new Linear(8, 2, { generator: g }));
};
const data = () => {
  const g = new Generator(3);
  return { x: tensor(Array.from({ length: 40 * 4 }, () => g.nextNormal()), [40, 4]), y: tensor(Array.from({ length: 40 }, (_, i) => i % 2), [40], 'int32') };
};

describe('checkpoints', () => {
  it('save → load → resume equals the uninterrupted run', async () => {
    const dir = tmp();
    const full = net(1);
    await fit(full, data(), { epochs: 4, optimizer: new Adam(full.parameters(), { lr: 0.01 }), loss: 'cross_entropy', batchSize: 8, seed: 2 });
    const a = net(1);
    const optA = new Adam(a.parameters(), { lr: 0.01 });
    const ck = new ModelCheckpoint(dir, { config: { kind: 'mlp' } });
    await fit(a, data(), { epochs: 2, optimizer: optA, loss: 'cross_entropy', batchSize: 8, seed: 2, callbacks: [ck] });
    expect(readFileSync(join(dir, 'latest'), 'utf8')).toBe('latest-epoch-000002');
    const b = net(99);
    const optB = new Adam(b.parameters(), { lr: 0.01 });
    const resume = restoreCheckpoint(dir, { model: b, optimizer: optB });
    expect(resume.initialEpoch).toBe(2);
    expect(resume.state.config).toEqual({ kind: 'mlp' });
    await fit(b, data(), { epochs: 4, optimizer: optB, loss: 'cross_entropy', batchSize: 8, seed: 2, ...resume });
    const w = (m: Sequential) => m.parameters().map((p) => Array.from(p.dataSync()));
    expect(w(b)).toEqual(w(full));
  });

  it('keeps the previous checkpoint when a write is torn, and skips unreadable ones', () => {
    const dir = tmp();
    const m = net(4);
    saveCheckpoint(dir, { model: m, epochsCompleted: 1 });
    saveCheckpoint(dir, { model: m, epochsCompleted: 2 });
    // a crash mid-write leaves a temp folder; a corrupt newest folder must not break loading
    writeFileSync(join(dir, 'latest-epoch-000002', 'model.safetensors'), 'garbage');
    expect(loadCheckpoint(dir).state.epochsCompleted).toBe(1);
    saveCheckpoint(dir, { model: m, epochsCompleted: 3 });
    expect(readdirSync(dir).filter((f) => f.startsWith('latest-epoch-')).length).toBe(2); // pruned
    expect(loadCheckpoint(dir).state.epochsCompleted).toBe(3);
    expect(() => loadCheckpoint(join(dir, 'nope'))).toThrow(/no checkpoint folder/);
  });

  it('a run that diverges mid-epoch keeps the last finite checkpoint as latest', async () => {
    const dir = tmp();
    const model = net(5);
    const crossEntropy = resolveLoss('cross_entropy');
    let calls = 0;
    // batch 2 of epoch 1 (the 8th of 5 per epoch) blows up
    const loss: LossFn = (p, t, o) => (++calls === 8 ? crossEntropy(p, t, o).mul(Infinity) : crossEntropy(p, t, o));
    const nan = new TerminateOnNaN();
    const warnings: string[] = [];
    const ck = new ModelCheckpoint(dir, { log: (m) => warnings.push(m) });
    await fit(model, data(), { epochs: 4, optimizer: new Adam(model.parameters(), { lr: 0.01 }), loss, batchSize: 8, seed: 2, callbacks: [nan, ck] });
    expect([nan.stoppedAtEpoch, nan.stoppedAtBatch]).toEqual([1, 2]);
    expect(model.parameters().some((p) => Array.from(p.dataSync()).some((v) => !Number.isFinite(v)))).toBe(true);
    expect(readFileSync(join(dir, 'latest'), 'utf8')).toBe('latest-epoch-000001');
    expect(readdirSync(dir).filter((f) => f.startsWith('latest-epoch-'))).toEqual(['latest-epoch-000001']);
    const ck1 = loadCheckpoint(dir);
    expect(Object.values(ck1.weights).every((t) => Array.from(t.data).every(Number.isFinite))).toBe(true);
    expect(warnings).toEqual([]); // nothing to skip: the unfinished epoch never reaches onEpochEnd
  });

  it('removes stale temps of dead writers (pointer temps included) and keeps a live writer\'s', () => {
    const dir = tmp();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const now = Date.now();
      const stalePointer = `.${now - 5000}-${dead}-k3j2h1.tmp`;
      const staleFolder = `.tmp-latest-epoch-000003-${dead}-${now - 5000}`;
      const oldPointer = `.${now - 2 * 86_400_000}-${live.pid}-a1.tmp`; // older than a day: stale even if the pid is alive
      const livePointer = `.${now}-${live.pid}-zz9.tmp`;
      const liveFolder = `.tmp-latest-epoch-000004-${live.pid}-${now}`;
      for (const f of [stalePointer, oldPointer, livePointer]) writeFileSync(join(dir, f), 'latest-epoch-000002');
      for (const f of [staleFolder, liveFolder]) {
        mkdirSync(join(dir, f));
        writeFileSync(join(dir, f, 'state.json'), '{}');
      }
      writeFileSync(join(dir, 'notes.tmp'), 'user file');
      saveCheckpoint(dir, { model: net(6), epochsCompleted: 1 }); // the cleanup path
      const left = readdirSync(dir);
      expect(left).not.toContain(stalePointer);
      expect(left).not.toContain(staleFolder);
      expect(left).not.toContain(oldPointer);
      expect(readFileSync(join(dir, livePointer), 'utf8')).toBe('latest-epoch-000002');
      expect(readFileSync(join(dir, liveFolder, 'state.json'), 'utf8')).toBe('{}');
      expect(left).toContain('notes.tmp');
      expect(removeStaleTemps(dir)).toEqual([]);
      expect(loadCheckpoint(dir).state.epochsCompleted).toBe(1);
    } finally {
      live.kill('SIGKILL');
    }
  });

  it('writeFileAtomic writes exactly the window of a view, not its backing buffer', () => {
    const dir = tmp();
    const pool = new Uint8Array(64).fill(7);
    pool.set([1, 2, 3, 4, 5], 20);
    writeFileAtomic(join(dir, 'f'), Buffer.from(pool.buffer, 20, 5));
    expect(Array.from(readFileSync(join(dir, 'f')))).toEqual([1, 2, 3, 4, 5]);
    expect(readdirSync(dir)).toEqual(['f']);
  });

  it('survives SIGKILL at random moments: 20 kills, the latest checkpoint always loads and resumes', async () => {
    const child = fileURLToPath(new URL('../test/kill-child.mjs', import.meta.url));
    const built = fileURLToPath(new URL('../dist/node.js', import.meta.url));
    if (!existsSync(built)) {
      if (process.env.CI === 'true') throw new Error('kill test: @mapnn/train is not built (run pnpm build)');
      throw new Error('kill test: build @mapnn/train first (pnpm --filter @mapnn/train... build)');
    }
    const dir = tmp();
    const g = new Generator(42);
    let lastEpoch = 0;
    for (let i = 0; i < 20; i++) {
      const proc = spawn(process.execPath, [child, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      proc.stdout.on('data', (d) => (out += d));
      proc.stderr.on('data', (d) => (err += d));
      // wait for the child to start training (and, the first time, to write its first
      // checkpoint, which a loaded machine may take longer than the kill delay), then kill it
      // at a random moment
      await new Promise<void>((resolve, reject) => {
        const t0 = Date.now();
        const poll = setInterval(() => {
          if (out.includes('start') && (i > 0 || existsSync(join(dir, 'latest')))) {
            clearInterval(poll);
            setTimeout(() => {
              proc.kill('SIGKILL');
              resolve();
            }, 20 + Math.floor(g.nextFloat() * 400));
          } else if (Date.now() - t0 > 30_000 || proc.exitCode !== null) {
            clearInterval(poll);
            reject(new Error(`child did not start: ${err}`));
          }
        }, 5);
      });
      await new Promise((r) => proc.once('close', r));
      const ck = loadCheckpoint(dir);
      expect(ck.state.epochsCompleted).toBeGreaterThanOrEqual(lastEpoch);
      lastEpoch = ck.state.epochsCompleted;
      const m = new Sequential(new Linear(8, 64), new ReLU(), new Linear(64, 4));
      const r = restoreCheckpoint(dir, { model: m, optimizer: new Adam(m.parameters()) });
      expect(r.initialEpoch).toBe(lastEpoch);
      m.dispose();
    }
    expect(lastEpoch).toBeGreaterThan(0);
  }, 180_000);
});
