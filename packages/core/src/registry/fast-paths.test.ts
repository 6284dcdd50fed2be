import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBackendName, getKernel, hasKernel, registerKernel, setFastPathsDisabled, sigmoid, tensor, withoutFastPaths } from '../index.js';
import { runKernel, runKernelMulti } from '../ops/kernel.js';
import type { AdamStepAttrs } from './kernel-spec.js';

const ADAM: AdamStepAttrs = { beta1: 0.9, beta2: 0.999, eps: 1e-8, stepSize: 1e-3, bc2Sqrt: 1, weightDecay: 0, decoupled: false, decoupledScale: 1, maximize: false };

describe('withoutFastPaths', () => {
  // an optional kernel that must not run while switched off
  const saved = getKernel('sigmoid', getBackendName());
  beforeAll(() => {
    registerKernel({ op: 'sigmoid', backend: getBackendName(), dtypes: ['float32'], fn: () => { throw new Error('sigmoid kernel ran'); } });
  });
  afterAll(() => saved && registerKernel({ op: 'sigmoid', backend: getBackendName(), dtypes: saved.dtypes, fn: saved.fn }));

  it('hides the named optional kernels from hasKernel inside fn only, and restores them after a throw', () => {
    expect(hasKernel('sigmoid', 'float32')).toBe(true);
    expect(withoutFastPaths(() => hasKernel('sigmoid', 'float32'), ['sigmoid'])).toBe(false);
    expect(withoutFastPaths(() => hasKernel('sigmoid', 'float32'))).toBe(false); // default: all of them
    expect(() => withoutFastPaths(() => { throw new Error('inner'); })).toThrow('inner');
    expect(hasKernel('sigmoid', 'float32')).toBe(true);
  });

  it('makes ops use their composition', () => {
    expect(() => sigmoid(tensor([0]))).toThrow('sigmoid kernel ran');
    const y = withoutFastPaths(() => sigmoid(tensor([0, 2])));
    expect(Array.from(y.dataSync())[0]).toBe(0.5);
    expect(Array.from(y.dataSync())[1]).toBeCloseTo(1 / (1 + Math.exp(-2)), 6);
  });

  it('refuses to run a switched-off kernel called directly (an op that skips hasKernel), naming it', () => {
    const t = tensor([0]);
    expect(() => withoutFastPaths(() => runKernel('sigmoid', [t]), ['sigmoid'])).toThrow(/Kernel 'sigmoid' .* switched off .*hasKernel\('sigmoid'/);
    expect(() => withoutFastPaths(() => runKernelMulti('adamStep', [t, t, t, t], ADAM))).toThrow(/Kernel 'adamStep' .* switched off/);
    expect(() => withoutFastPaths(() => runKernel('sigmoid', [t]), ['matmul'])).toThrow('sigmoid kernel ran'); // only the named ones
    t.dispose();
  });

  it('nests, and setFastPathsDisabled switches them off until switched back', () => {
    withoutFastPaths(() => {
      withoutFastPaths(() => expect(hasKernel('sigmoid', 'float32')).toBe(false), ['matmul']);
      expect(hasKernel('sigmoid', 'float32')).toBe(false);
    }, ['sigmoid']);
    expect(setFastPathsDisabled(['sigmoid'])).toEqual([]);
    expect(hasKernel('sigmoid', 'float32')).toBe(false);
    expect(setFastPathsDisabled([])).toEqual(['sigmoid']);
    expect(hasKernel('sigmoid', 'float32')).toBe(true);
  });

  it('refuses primitives and unknown names, naming the optional kernels', () => {
    expect(() => withoutFastPaths(() => 0, ['add'])).toThrow(/withoutFastPaths: 'add' is not an optional kernel \(optional: matmul, /);
    expect(() => setFastPathsDisabled(['conv3d'])).toThrow(/'conv3d' is not an optional kernel/);
  });
});
