import '@mapnn/backend-cpu';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { memory, setBackend } from '@mapnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinOnnxOps, registerBuiltinOnnxOps } from '../src/index.js';
import { EXPECTED_FAILURES, dataRoot, isCoreCase, renderSupport, runAll, summarize, type CaseResult } from './conformance.js';

const root = dataRoot();
const docPath = fileURLToPath(new URL('../../../docs/onnx-support.md', import.meta.url));
const present = existsSync(root);

describe('ONNX backend conformance (../shared/onnx-testdata)', () => {
  if (!present) {
    it('test data is present', () => {
      const msg = `ONNX test data not found at ${root} (see its README: ../shared/onnx-testdata or apt-get install libonnx-testdata)`;
      if (process.env.CI === 'true') throw new Error(msg);
      console.warn(`${msg}; skipping the conformance run`);
    });
    return;
  }

  let results: CaseResult[] = [];
  let leaked = 0;
  beforeAll(() => {
    setBackend('cpu');
    registerBuiltinOnnxOps();
    const before = memory().numTensors;
    results = runAll(root);
    leaked = memory().numTensors - before;
  }, 600_000);

  it('covers all 1,072 cases', () => {
    expect(results.length).toBe(1072);
  });

  it('every core-set node case passes (random-output and string/sequence cases excepted)', () => {
    const bad = results.filter((r) => isCoreCase(r) && r.status !== 'pass' && r.status !== 'random' && !EXPECTED_FAILURES[`${r.category}/${r.name}`]);
    expect(bad.map((r) => `${r.name}: ${r.status} ${r.reason ?? ''}`)).toEqual([]);
  });

  it('passes at least 80 % of all cases', () => {
    const total = summarize(results).find((s) => s.category === 'total')!;
    expect(total.pass / total.cases).toBeGreaterThanOrEqual(0.8);
  });

  it('passes every pytorch-converted case whose ops are supported', () => {
    const supported = new Set(builtinOnnxOps());
    const bad = results.filter((r) => r.category === 'pytorch-converted' && r.ops.every((o) => supported.has(o)) && r.status !== 'pass');
    expect(bad.map((r) => `${r.name}: ${r.reason ?? r.status}`)).toEqual([]);
  });

  it('only the listed cases fail', () => {
    const unexpected = results.filter((r) => r.status === 'fail' && !EXPECTED_FAILURES[`${r.category}/${r.name}`]);
    expect(unexpected.map((r) => `${r.category}/${r.name}: ${r.reason}`)).toEqual([]);
  });

  it('leaks no tensors over the whole run', () => {
    expect(leaked).toBe(0);
  });

  it('docs/onnx-support.md is up to date', () => {
    // `pnpm --filter @mapnn/onnx conformance` regenerates it (MAPNN_WRITE_ONNX_SUPPORT=1).
    const doc = renderSupport(results);
    if (process.env.MAPNN_WRITE_ONNX_SUPPORT === '1') writeFileSync(docPath, doc);
    expect(existsSync(docPath)).toBe(true);
    expect(readFileSync(docPath, 'utf8')).toBe(doc);
  });
});
