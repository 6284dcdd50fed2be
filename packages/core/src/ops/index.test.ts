import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as functions from '../functions.js';
import { Tensor } from '../tensor.js';
import { OP_METHODS } from '../methods/op-methods.js';

const GEN = fileURLToPath(new URL('../../scripts/gen-ops.mjs', import.meta.url));

describe('the generated op index, method table and method declarations', () => {
  it('are current with the op files (`pnpm --filter @mapnn/core gen` rewrites them)', () => {
    let out = '';
    try {
      out = execFileSync(process.execPath, [GEN, '--check'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      expect.fail(err.stderr || err.message);
    }
    expect(out).toContain('current');
  }, 120_000); // 3 s alone; a loaded 2-core CI machine took 31 s (the TypeScript parse of every op file)

  it('install every method of every op file on Tensor, each calling its op', () => {
    const names = OP_METHODS.flatMap((table) => Object.keys(table));
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThan(100);
    const proto = Tensor.prototype as unknown as Record<string, unknown>;
    expect(names.filter((n) => typeof proto[n] !== 'function')).toEqual([]);
  });

  it('leave the `@internal` helpers of op files out of the public API', () => {
    expect(Object.keys(functions)).not.toContain('padDims');
    expect(Object.keys(functions)).not.toContain('conv2dForward');
    expect(Object.keys(functions)).toContain('conv2d');
  });
});
