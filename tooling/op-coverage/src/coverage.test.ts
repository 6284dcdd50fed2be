import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { elementwiseReferences, missingPrimitives } from '@mapnn/core';
import { renderCoverage } from './render.js';

const target = fileURLToPath(new URL('../../../docs/op-coverage.md', import.meta.url));

describe('op coverage', () => {
  it('docs/op-coverage.md is up to date with the registry', () => {
    // `pnpm --filter @mapnn/op-coverage coverage` regenerates it (MAPNN_WRITE_COVERAGE=1).
    if (process.env.MAPNN_WRITE_COVERAGE === '1') writeFileSync(target, renderCoverage());
    expect(existsSync(target)).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(renderCoverage());
  });

  it('lists every elementwise op with a scalar reference, softsign (ops/softsign.ts) among them', () => {
    const ops = Object.keys(elementwiseReferences());
    expect(ops).toContain('softsign');
    const md = renderCoverage();
    expect(ops.filter((op) => !md.includes(`| \`${op}\` | [`))).toEqual([]);
    expect(md).toContain('| `softsign` | [-5, 5] | `abs` `add` `div` |');
  });

  it.each(['cpu', 'wasm'])('the %s backend provides every primitive kernel', (backend) => {
    expect(missingPrimitives(backend)).toEqual([]);
  });
});
