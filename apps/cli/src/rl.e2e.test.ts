// `mapnn rl train` / `mapnn rl eval` through the built CLI (dist/cli.js).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = process.env.MAPNN_CLI ?? join(here, '..', 'dist', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'mapnn-rl-e2e-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function mapnn(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 110_000, cwd: work });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('mapnn rl', () => {
  const out = join(work, 'ppo');

  it('trains PPO on CartPole, saves a checkpoint, evaluates it as JSON and exports the policy', async () => {
    const train = mapnn(['rl', 'train', '--env', 'CartPole-v1', '--agent', 'ppo', '--steps', '2048', '--seed', '3', '--out', out, '--backend', 'cpu', '--json']);
    expect(train.code, train.stderr).toBe(0);
    const summary = JSON.parse(train.stdout);
    expect(summary.steps).toBeGreaterThanOrEqual(2048);
    expect(summary.episodes).toBeGreaterThan(0);
    expect(Number.isFinite(summary.meanReturn100)).toBe(true);
    const meta = JSON.parse(readFileSync(join(out, 'agent.json'), 'utf8'));
    expect(JSON.stringify(meta)).toContain('PPO');

    const onnx = join(work, 'policy.onnx');
    const ev = mapnn(['rl', 'eval', out, '--episodes', '5', '--json', '--backend', 'cpu', '--onnx', onnx]);
    expect(ev.code, ev.stderr).toBe(0);
    const r = JSON.parse(ev.stdout);
    expect(Object.keys(r)).toEqual(expect.arrayContaining(['meanReturn', 'stdReturn']));
    // CartPole returns are episode lengths: between 8 and 500 steps
    expect(r.meanReturn).toBeGreaterThanOrEqual(8);
    expect(r.meanReturn).toBeLessThanOrEqual(500);
    expect(r.stdReturn).toBeGreaterThanOrEqual(0);
    expect(existsSync(onnx)).toBe(true);
    const session = await ort.InferenceSession.create(onnx);
    const res = await session.run({ obs: new ort.Tensor('float32', new Float32Array(4 * 3), [3, 4]) });
    expect(Object.values(res)[0]!.dims).toEqual([3, 2]);
  }, 120_000);

  it('the same seed gives the same evaluation (reproducible training)', () => {
    const again = join(work, 'ppo-again');
    expect(mapnn(['rl', 'train', '--agent', 'ppo', '--steps', '2048', '--seed', '3', '--out', again, '--backend', 'cpu', '--json']).code).toBe(0);
    const a = JSON.parse(mapnn(['rl', 'eval', out, '--episodes', '3', '--json', '--backend', 'cpu']).stdout);
    const b = JSON.parse(mapnn(['rl', 'eval', again, '--episodes', '3', '--json', '--backend', 'cpu']).stdout);
    expect(b).toEqual({ ...a, dir: again });
  }, 120_000);

  it('rejects an unknown agent or env with exit code 2 and names the choices', () => {
    const bad = mapnn(['rl', 'train', '--agent', 'dqnn']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown agent 'dqnn'");
    expect(bad.stderr).toContain('dqn, ppo, a2c, reinforce, sac');
    const env = mapnn(['rl', 'train', '--env', 'CartPol-v1']);
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('CartPole-v1');
  });

  it('eval of a folder that holds no agent fails with a clear message', () => {
    const r = mapnn(['rl', 'eval', join(work, 'missing'), '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no folder .*missing/);
  });
});
