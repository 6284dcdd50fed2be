import { describe, expect, it } from 'vitest';
import { workerExecArgv } from './worker-spawn.js';

describe('workerExecArgv', () => {
  it('drops --input-type in both spellings and keeps every other flag', () => {
    expect(workerExecArgv(['--input-type=module', '--max-old-space-size=100'])).toEqual(['--max-old-space-size=100']);
    expect(workerExecArgv(['--input-type', 'module', '--no-warnings'])).toEqual(['--no-warnings']);
    expect(workerExecArgv(['--conditions=dev', '--enable-source-maps'])).toEqual(['--conditions=dev', '--enable-source-maps']);
  });

  it('drops V8 wasm feature flags (process-wide; a worker rejects them)', () => {
    expect(workerExecArgv(['--experimental-wasm-relaxed-simd', '--no-warnings', '--no-experimental-wasm-relaxed-simd'])).toEqual(['--no-warnings']);
    expect(workerExecArgv(['--experimental_wasm_relaxed_simd', '--experimental-vm-modules'])).toEqual(['--experimental-vm-modules']);
    expect(workerExecArgv(['--no-liftoff', '--liftoff-only', '--wasm-dynamic-tiering', '--no-wasm-dynamic-tiering', '--no-deprecation'])).toEqual(['--no-deprecation']);
  });
});
