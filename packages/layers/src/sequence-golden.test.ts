// Golden tests of the sequence and attention layers against PyTorch 1.13: fixtures written by
// scripts/gen_sequence_golden.py (state_dict, inputs, outputs, final states and the gradients of
// Σ sum(outputᵢ·rᵢ) w.r.t. the inputs and every parameter).
import '@mapnn/backend-cpu';
import { readFileSync } from 'node:fs';
import { add, memory, mul, setBackend, sum, tensor, tidy, type Tensor } from '@mapnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Module } from './module.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import { MultiHeadAttention } from './multi-head-attention.js';
import { RNN } from './rnn.js';
import { TransformerEncoderLayer } from './transformer-encoder-layer.js';

interface Spec {
  shape: number[];
  dtype: 'float32' | 'bool';
  data: number[];
}
interface Case {
  name: string;
  kind: 'RNN' | 'LSTM' | 'GRU' | 'MultiheadAttention' | 'TransformerEncoderLayer';
  config: Record<string, any>;
  call: Record<string, any>;
  state_dict: Record<string, Spec>;
  inputs: Record<string, Spec>;
  outputs: Spec[];
  r: Spec[];
  grads: Record<string, Spec>;
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/sequence.json', import.meta.url), 'utf8')) as { cases: Case[] };

/** float32 comparisons: |a − e| ≤ RTOL·|e| + ATOL·max|e| (near-zero entries are judged against the tensor's magnitude). */
const RTOL = 1e-5;
const ATOL = 1e-6;

function fromSpec(s: Spec): Tensor {
  return tensor(s.dtype === 'bool' ? s.data.map((v) => v !== 0) : s.data, s.shape, s.dtype);
}

function mismatch(actual: Tensor, want: Spec, what: string): string | null {
  if (actual.shape.length !== want.shape.length || actual.shape.some((d, i) => d !== want.shape[i])) {
    return `${what}: shape [${actual.shape}] vs expected [${want.shape}]`;
  }
  const a = actual.dataSync();
  const scale = Math.max(1e-3, ...want.data.map(Math.abs));
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.data.length; i++) {
    const e = want.data[i]!;
    const err = Math.abs(a[i]! - e) / (RTOL * Math.abs(e) + ATOL * scale);
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  if (process.env.SEQ_GOLDEN_DEBUG) console.log(what, worst.toFixed(3));
  return worst > 1 ? `${what}: element ${at} is ${a[at]}, expected ${want.data[at]} (${worst.toFixed(2)}× the tolerance)` : null;
}

function build(c: Case): Module<any, any> {
  const k = c.config;
  switch (c.kind) {
    case 'RNN':
      return new RNN(k.inputSize, k.hiddenSize, k);
    case 'LSTM':
      return new LSTM(k.inputSize, k.hiddenSize, k);
    case 'GRU':
      return new GRU(k.inputSize, k.hiddenSize, k);
    case 'MultiheadAttention':
      return new MultiHeadAttention(k.embedDim, k.numHeads, k);
    case 'TransformerEncoderLayer':
      return new TransformerEncoderLayer(k.dModel, k.nhead, k);
  }
}

function run(c: Case, m: Module<any, any>, ins: Record<string, Tensor>): Tensor[] {
  const mask = (key: string) => (c.call[key] ? ins[c.call[key]] : undefined);
  switch (c.kind) {
    case 'RNN':
    case 'GRU': {
      const [out, h] = m.call(ins.x, ins.h0) as [Tensor, Tensor];
      return [out, h];
    }
    case 'LSTM': {
      const [out, [h, cc]] = m.call(ins.x, [ins.h0, ins.c0]) as [Tensor, [Tensor, Tensor]];
      return [out, h, cc];
    }
    case 'MultiheadAttention': {
      const q = ins.query!;
      const [out, w] = m.call(q, ins.key ?? q, ins.value ?? q, {
        keyPaddingMask: mask('keyPaddingMask'),
        attnMask: mask('attnMask'),
        needWeights: c.call.needWeights,
        averageAttnWeights: c.call.averageAttnWeights,
      }) as [Tensor, Tensor];
      return [out, w];
    }
    case 'TransformerEncoderLayer':
      return [m.call(ins.src, { mask: mask('mask'), srcKeyPaddingMask: mask('srcKeyPaddingMask') }) as Tensor];
  }
}

beforeAll(() => setBackend('cpu'));

describe('sequence layers vs PyTorch (golden)', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const before = memory().numTensors;
      const m = build(c);
      m.eval();
      m.loadStateDict(c.state_dict);
      const problems: string[] = [];
      tidy(() => {
        const ins: Record<string, Tensor> = {};
        for (const [k, s] of Object.entries(c.inputs)) {
          ins[k] = fromSpec(s);
          if (`input:${k}` in c.grads) ins[k].requiresGrad_();
        }
        const outs = run(c, m, ins);
        expect(outs.length).toBe(c.outputs.length);
        outs.forEach((o, i) => problems.push(mismatch(o, c.outputs[i]!, `output ${i}`) ?? ''));
        const loss = outs.map((o, i) => sum(mul(o, fromSpec(c.r[i]!)))).reduce((a, b) => add(a, b));
        loss.backward();
        const params = m.stateDict();
        for (const [key, g] of Object.entries(c.grads)) {
          const [kind, name] = key.split(/:(.*)/s) as [string, string];
          const t = kind === 'input' ? ins[name] : params[name];
          if (!t?.grad) {
            problems.push(`${key}: no gradient`);
            continue;
          }
          problems.push(mismatch(t.grad, g, `grad ${key}`) ?? '');
        }
        for (const p of m.parameters()) {
          p.grad?.dispose();
          p.grad = null;
        }
      });
      expect(problems.filter(Boolean)).toEqual([]);
      expect(Object.keys(m.stateDict()).sort()).toEqual(Object.keys(c.state_dict).sort());
      m.dispose();
      expect(memory().numTensors).toBe(before);
    });
  }
});
