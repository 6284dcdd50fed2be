import { describe, expect, it } from 'vitest';
import { workerExecArgv } from './worker-spawn.js';

describe('workerExecArgv', () => {
  it('drops --input-type in both spellings and keeps every other flag', () => {
    expect(workerExecArgv(['--input-type=module', '--max-old-space-size=100'])).toEqual(['--max-old-space-size=100']);
    expect(workerExecArgv(['--input-type', 'module', '--no-warnings'])).toEqual(['--no-warnings']);
    expect(workerExecArgv(['--conditions=dev', '--enable-source-maps'])).toEqual(['--conditions=dev', '--enable-source-maps']);
  });
});
