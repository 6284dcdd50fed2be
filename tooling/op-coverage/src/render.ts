import '@mapnn/backend-cpu';
import '@mapnn/backend-wasm';
import * as core from '@mapnn/core';
import { coverageMarkdown, elementwiseReferences, observeKernels, registeredBackends, setBackend, tensor, tidy } from '@mapnn/core';

/** The full text of docs/op-coverage.md for every backend registered by the imports above. */
export function renderCoverage(): string {
  const backends = registeredBackends();
  return (
    '# Kernel coverage: op × dtype × backend\n\n' +
    'Generated from the registry by `pnpm --filter @mapnn/op-coverage coverage`; a test fails when\n' +
    'this file is out of date. A primitive marked **missing** breaks the backend contract; a fast\n' +
    'path marked *composed* is computed by core from primitives. float16 (f16) is a storage dtype:\n' +
    'where no f16 kernel is listed, core computes in float32 and rounds back.\n\n' +
    `Backends: ${backends.join(', ')}\n\n` +
    coverageMarkdown(backends) +
    referencedOpsMarkdown()
  );
}

/** The kernels one forward call of the unary op `name` runs (on the cpu backend), in call order. */
function kernelsOf(name: string): string[] {
  const op = (core as unknown as Record<string, (x: core.Tensor) => core.Tensor>)[name];
  if (typeof op !== 'function') throw new Error(`op-coverage: @mapnn/core does not export the op '${name}'`);
  setBackend('cpu');
  const seen: string[] = [];
  tidy(() => observeKernels((e) => seen.includes(e.op) || seen.push(e.op), () => op(tensor([-1, 0.5]))));
  return seen;
}

/** The elementwise ops that declare a scalar reference in their op file (collected by core's generator). */
function referencedOpsMarkdown(): string {
  const rows = Object.entries(elementwiseReferences())
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, ref]) => `| \`${op}\` | [${ref.domain.join(', ')}] | ${kernelsOf(op).map((k) => `\`${k}\``).join(' ')} |\n`);
  return (
    '\n## Elementwise ops with a scalar reference\n\n' +
    'An op file may declare a scalar reference (`references`); the conformance suite checks the op\n' +
    'against it on every backend (forward in float32, gradient by finite differences). The last\n' +
    'column lists the kernels one forward call runs on cpu.\n\n' +
    '| op | domain checked | kernels (forward, cpu) |\n|---|---|---|\n' +
    rows.join('')
  );
}
