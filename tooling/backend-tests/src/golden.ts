import { describe, expect, it } from 'vitest';
import { add, dispose, grads, mul, sum, tidy, type DType, type Tensor } from '@mapnn/core';
import { CASES, GOLDEN, opsOf } from './cases/index.js';
import type { GoldenCase, ResolvedOptions } from './types.js';
import { asList, compare, fromSpec } from './util.js';

/** Inputs of a case; `floatDType` converts the float ones (float64 for gradient checks). */
export function caseInputs(c: GoldenCase, floatDType: DType = 'float32'): Tensor[] {
  return c.inputs.map((s) => fromSpec(s, floatDType));
}

/** Indices of the inputs PyTorch differentiated. */
export function diffIndices(c: GoldenCase): number[] {
  return (c.grads ?? []).flatMap((g, i) => (g ? [i] : []));
}

/** The case's mapnn function of its differentiated inputs (others held fixed). */
export function caseFn(c: GoldenCase, inputs: readonly Tensor[]): (...xs: Tensor[]) => Tensor | Tensor[] {
  const map = CASES[c.op];
  if (!map) throw new Error(`golden case '${c.name}': no entry for op '${c.op}' in the case table`);
  const wrt = diffIndices(c);
  return (...xs) => {
    const ins = inputs.slice();
    wrt.forEach((i, k) => (ins[i] = xs[k]!));
    return map.run(ins, c.attrs);
  };
}

/** sum(op(x)·r) over the outputs, with the fixture's r. */
export function caseLoss(c: GoldenCase, inputs: readonly Tensor[], rs: readonly Tensor[]): (...xs: Tensor[]) => Tensor {
  const f = caseFn(c, inputs);
  return (...xs) =>
    asList(f(...xs))
      .map((y, i) => sum(mul(y, rs[i]!)))
      .reduce((a, b) => add(a, b));
}

/** Golden-value tests: mapnn's outputs and gradients against PyTorch's. */
export function goldenSuite(o: ResolvedOptions): void {
  const tol = { rtol: o.rtol, atol: o.atol };
  describe('golden values (PyTorch)', () => {
    for (const file of GOLDEN) {
      describe(file.family, () => {
        for (const c of file.cases) {
          const skip = o.isExcluded('golden', c.name, ...opsOf(c));
          it.skipIf(skip)(c.name, async () => {
            const inputs = caseInputs(c);
            const rs = c.r ? asList(c.r).map((s) => fromSpec(s)) : [];
            let outs: Tensor[] = [];
            let gs: Tensor[] = [];
            try {
              const map = CASES[c.op];
              if (!map) throw new Error(`no case-table entry for op '${c.op}'`);
              outs = asList(tidy(() => map.run(inputs, c.attrs)));
              const want = asList(c.output);
              expect(outs.length, `${c.name}: number of outputs`).toBe(want.length);
              const errors: string[] = [];
              for (let i = 0; i < want.length; i++) {
                const e = await compare(outs[i]!, want[i]!, tol, `output ${i}`);
                if (e) errors.push(e);
              }
              if (c.grads && c.r) {
                const wrt = diffIndices(c);
                gs = grads(caseLoss(c, inputs, rs))(...wrt.map((i) => inputs[i]!));
                for (let k = 0; k < wrt.length; k++) {
                  const e = await compare(gs[k]!, c.grads[wrt[k]!]!, tol, `gradient of input ${wrt[k]}`);
                  if (e) errors.push(e);
                }
              }
              expect(errors, errors.join('\n')).toEqual([]);
            } finally {
              dispose([inputs, rs, outs, gs]);
            }
          });
        }
      });
    }
  });
}
