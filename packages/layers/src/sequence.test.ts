import '../test/setup.js';
import {
  add,
  concat,
  Generator,
  manualSeed,
  memory,
  mul,
  noGrad,
  randn,
  reshape,
  sum,
  swapAxes,
  tensor,
  tidy,
  type Tensor,
} from '@mapnn/core';
import { describe, expect, it } from 'vitest';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import { causalMask, generateSquareSubsequentMask, MultiHeadAttention } from './multi-head-attention.js';
import { unstackSteps } from './recurrent-utils.js';
import { RNN } from './rnn.js';
import { TransformerEncoder, TransformerEncoderLayer } from './transformer-encoder-layer.js';
import { LayerNorm } from './layer-norm.js';

const g = () => ({ generator: new Generator(7) });

function maxAbsDiff(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

describe('recurrent layers', () => {
  it('use PyTorch parameter names and shapes', () => {
    const lstm = new LSTM(3, 5, { numLayers: 2, bidirectional: true });
    const sd = lstm.stateDict();
    expect(Object.keys(sd)).toEqual(
      ['l0', 'l0_reverse', 'l1', 'l1_reverse'].flatMap((s) => [`weight_ih_${s}`, `weight_hh_${s}`, `bias_ih_${s}`, `bias_hh_${s}`]),
    );
    expect(sd.weight_ih_l0!.shape).toEqual([20, 3]);
    expect(sd.weight_ih_l1!.shape).toEqual([20, 10]);
    expect(sd.weight_hh_l1_reverse!.shape).toEqual([20, 5]);
    expect(Object.keys(new GRU(2, 4, { bias: false }).stateDict())).toEqual(['weight_ih_l0', 'weight_hh_l0']);
    expect(new GRU(2, 4).stateDict().weight_hh_l0!.shape).toEqual([12, 4]);
    expect(Object.keys(new LSTM(2, 3, { peephole: true }).stateDict())).toEqual([
      'weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'weight_ci_l0', 'weight_cf_l0', 'weight_co_l0',
    ]);
    // init U(±1/√hidden)
    const big = new RNN(4, 16, g());
    const v = big.stateDict().weight_hh_l0!.dataSync();
    expect(Math.max(...Array.from(v, Math.abs))).toBeLessThanOrEqual(0.25);
    expect(Math.max(...Array.from(v, Math.abs))).toBeGreaterThan(0.2);
    for (const m of [lstm, big]) m.dispose();
    expect(String(new LSTM(3, 5, { numLayers: 2, peephole: true }))).toBe('LSTM(3, 5, numLayers=2, peephole=true)');
  });

  it('return output and final states of the documented shapes (batchFirst, bidirectional, unbatched)', () => {
    tidy(() => {
      const lstm = new LSTM(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true });
      const [out, [h, c]] = lstm.call(randn([2, 6, 3]));
      expect(out.shape).toEqual([2, 6, 8]);
      expect(h.shape).toEqual([4, 2, 4]);
      expect(c.shape).toEqual([4, 2, 4]);
      const gru = new GRU(3, 4);
      const [o2, h2] = gru.call(randn([6, 2, 3]));
      expect(o2.shape).toEqual([6, 2, 4]);
      expect(h2.shape).toEqual([1, 2, 4]);
      // last output step of the forward direction is hN
      expect(maxAbsDiff(o2.narrow(0, 5, 1), h2)).toBe(0);
      lstm.dispose();
      gru.dispose();
    });
  });

  it('treat unbatched input as a batch of one', () => {
    tidy(() => {
      for (const m of [new RNN(3, 4, { numLayers: 2, bidirectional: true }), new GRU(3, 4, { bidirectional: true })]) {
        const x = randn([5, 3]);
        const h0 = randn([m.numLayers * m.numDirections, 4]);
        const [o1, h1] = m.call(x, h0);
        const [o2, h2] = m.call(reshape(x, [5, 1, 3]), reshape(h0, [h0.shape[0]!, 1, 4]));
        expect(o1.shape).toEqual([5, 8]);
        expect(h1.shape).toEqual([h0.shape[0], 4]);
        expect(maxAbsDiff(o1, reshape(o2, [5, 8]))).toBe(0);
        expect(maxAbsDiff(h1, reshape(h2, h1.shape))).toBe(0);
        m.dispose();
      }
    });
  });

  it('batchFirst only transposes input and output', () => {
    tidy(() => {
      const a = new LSTM(3, 4, { numLayers: 2, ...g() });
      const b = new LSTM(3, 4, { numLayers: 2, batchFirst: true });
      b.loadStateDict(a.stateDict());
      const x = randn([5, 2, 3]);
      const [oa, [ha]] = a.call(x);
      const [ob, [hb]] = b.call(swapAxes(x, 0, 1));
      expect(maxAbsDiff(oa, swapAxes(ob, 0, 1))).toBe(0);
      expect(maxAbsDiff(ha, hb)).toBe(0);
      a.dispose();
      b.dispose();
    });
  });

  it('apply dropout between layers only in training mode', () => {
    tidy(() => {
      manualSeed(3);
      const m = new GRU(3, 8, { numLayers: 2, dropout: 0.5 });
      const x = randn([4, 2, 3]);
      const [t1] = m.call(x);
      const [t2] = m.call(x);
      expect(maxAbsDiff(t1, t2)).toBeGreaterThan(0);
      m.eval();
      const [e1] = m.call(x);
      const [e2] = m.call(x);
      expect(maxAbsDiff(e1, e2)).toBe(0);
      m.dispose();
    });
  });

  it('report wrong input and state shapes', () => {
    const m = new LSTM(3, 4, { numLayers: 2 });
    expect(() => m.call(randn([5, 2, 4]))).toThrow(/4 features, expected inputSize 3/);
    expect(() => m.call(randn([5, 2, 3]), [randn([1, 2, 4]), randn([2, 2, 4])])).toThrow(/initial state 0 has shape \[1,2,4\], expected \[2,2,4\]/);
    expect(() => new RNN(3, 4, { nonlinearity: 'gelu' as 'relu' })).toThrow(/nonlinearity/);
    m.dispose();
  });

  it('leave no tensors behind after forward and backward in tidy', () => {
    const m = new LSTM(3, 4, { numLayers: 2, bidirectional: true, peephole: true });
    const before = memory().numTensors;
    tidy(() => {
      const x = randn([6, 2, 3]).requiresGrad_();
      const [out, [h, c]] = m.call(x);
      add(add(sum(out), sum(h)), sum(c)).backward();
    });
    for (const p of m.parameters()) {
      expect(p.grad).not.toBeNull();
      p.grad!.dispose();
      p.grad = null;
    }
    expect(memory().numTensors).toBe(before);
    m.dispose();
  });

  it('unstackSteps (tree split) gives the same pieces and gradients as a flat split', () => {
    tidy(() => {
      const x = randn([13, 2, 3]).requiresGrad_();
      const r = randn([13, 2, 3]);
      const pieces = unstackSteps(x);
      expect(pieces.length).toBe(13);
      expect(maxAbsDiff(concat(pieces, 0), x)).toBe(0);
      sum(mul(concat(pieces.map((p, i) => mul(p, i + 1)), 0), r)).backward();
      const want = mul(r, reshape(tensor(Array.from({ length: 13 }, (_, i) => i + 1)), [13, 1, 1]));
      expect(maxAbsDiff(x.grad!, want)).toBeLessThan(1e-6);
    });
  });
});

describe('peephole LSTM gradients (float64 finite differences)', () => {
  it('match central differences for every parameter, the input and the initial states', () => {
    tidy(() => {
      manualSeed(11);
      const m = new LSTM(3, 4, { numLayers: 2, bidirectional: true, peephole: true, dtype: 'float64' });
      const T = 4;
      const N = 2;
      const inputs = {
        x: randn([T, N, 3], { dtype: 'float64' }),
        h0: randn([4, N, 4], { dtype: 'float64' }),
        c0: randn([4, N, 4], { dtype: 'float64' }),
      };
      const rs = [randn([T, N, 8], { dtype: 'float64' }), randn([4, N, 4], { dtype: 'float64' }), randn([4, N, 4], { dtype: 'float64' })];
      const loss = (ins: typeof inputs) => {
        const [out, [h, c]] = m.call(ins.x, [ins.h0, ins.c0]);
        return add(add(sum(mul(out, rs[0]!)), sum(mul(h, rs[1]!))), sum(mul(c, rs[2]!)));
      };
      for (const t of Object.values(inputs)) t.requiresGrad_();
      loss(inputs).backward();
      const targets: [string, Tensor, (v: Tensor) => void][] = [
        ...m.namedParameters().map(([k, p]) => [k, p, (v: Tensor) => void p.assign(v)] as [string, Tensor, (v: Tensor) => void]),
        ...(['x', 'h0', 'c0'] as const).map(
          (k) => [k, inputs[k], (v: Tensor) => void (inputs[k] = v)] as [string, Tensor, (v: Tensor) => void],
        ),
      ];
      const eps = 1e-6;
      let checked = 0;
      for (const [name, t, set] of targets) {
        const analytic = t.grad!.dataSync();
        const base = Float64Array.from(t.dataSync());
        // every element of the peephole weights, a spread of the others
        const stride = name.startsWith('weight_c') ? 1 : Math.max(1, Math.floor(base.length / 5));
        for (let i = 0; i < base.length; i += stride) {
          const at = (delta: number) =>
            noGrad(() => {
              const v = Float64Array.from(base);
              v[i] = base[i]! + delta;
              set(tensor(v, t.shape, 'float64'));
              return loss(inputs).item();
            });
          const fd = (at(eps) - at(-eps)) / (2 * eps);
          set(tensor(base, t.shape, 'float64'));
          expect(Math.abs(fd - analytic[i]!), `${name}[${i}]: fd ${fd}, autograd ${analytic[i]}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(100);
      m.dispose();
    });
  });
});

describe('MultiHeadAttention', () => {
  it('has PyTorch parameter names, zero biases and the separate projections for kdim/vdim', () => {
    const a = new MultiHeadAttention(8, 2);
    expect(Object.keys(a.stateDict())).toEqual(['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias']);
    expect(Array.from(a.in_proj_bias!.dataSync()).every((v) => v === 0)).toBe(true);
    expect(Array.from(a.out_proj.bias!.dataSync()).every((v) => v === 0)).toBe(true);
    const b = new MultiHeadAttention(8, 2, { kdim: 6, vdim: 4, bias: false });
    expect(Object.keys(b.stateDict())).toEqual(['q_proj_weight', 'k_proj_weight', 'v_proj_weight', 'out_proj.weight']);
    expect(b.k_proj_weight!.shape).toEqual([8, 6]);
    expect(() => new MultiHeadAttention(10, 3)).toThrow(/multiple of numHeads/);
    a.dispose();
    b.dispose();
  });

  it('self-attention defaults, weights options, unbatched input and masks', () => {
    tidy(() => {
      const m = new MultiHeadAttention(8, 2, { batchFirst: true, ...g() });
      const x = randn([2, 5, 8]);
      const [y, w] = m.call(x);
      const [y2, w2] = m.call(x, x, x, { averageAttnWeights: false });
      expect(y.shape).toEqual([2, 5, 8]);
      expect(w!.shape).toEqual([2, 5, 5]);
      expect(w2!.shape).toEqual([2, 2, 5, 5]);
      expect(maxAbsDiff(y, y2)).toBe(0);
      expect(maxAbsDiff(w!, w2!.mean(1))).toBeLessThan(1e-7);
      expect(m.call(x, null, null, { needWeights: false })[1]).toBeNull();
      // rows of the weights sum to one; causal mask zeroes the future
      const [, wc] = m.call(x, x, x, { attnMask: causalMask(5) });
      const rows = wc!.sum(-1).dataSync();
      for (const v of rows) expect(v).toBeCloseTo(1, 5);
      const wv = wc!.arraySync() as number[][][];
      expect(wv[0]![1]![2]).toBe(0);
      expect(wv[1]![0]![1]).toBe(0);
      // the float mask gives the same result as the bool one
      const [yf] = m.call(x, x, x, { attnMask: generateSquareSubsequentMask(5) });
      const [yb] = m.call(x, x, x, { attnMask: causalMask(5) });
      expect(maxAbsDiff(yf, yb)).toBe(0);
      // unbatched
      const [yu, wu] = m.call(x.narrow(0, 1, 1).reshape([5, 8]));
      expect(yu.shape).toEqual([5, 8]);
      expect(wu!.shape).toEqual([5, 5]);
      expect(maxAbsDiff(yu, y.narrow(0, 1, 1).reshape([5, 8]))).toBeLessThan(1e-6);
      // key padding: padded keys get zero weight
      const kpm = tensor([[false, false, false, true, true], [false, false, false, false, false]]);
      const [, wk] = m.call(x, x, x, { keyPaddingMask: kpm });
      const wkv = wk!.arraySync() as number[][][];
      expect(wkv[0]!.every((r) => r[3] === 0 && r[4] === 0)).toBe(true);
      expect(() => m.call(x, x, x, { keyPaddingMask: tensor([[true]]) })).toThrow(/keyPaddingMask \[1,1\] should be \[2,5\]/);
      expect(() => m.call(x, x, x, { attnMask: causalMask(4) })).toThrow(/attnMask \[4,4\] should be \[5,5\]/);
      m.dispose();
    });
  });

  it('causal masks', () => {
    expect(causalMask(3).arraySync()).toEqual([
      [false, true, true],
      [false, false, true],
      [false, false, false],
    ]);
    expect(generateSquareSubsequentMask(2).arraySync()).toEqual([
      [0, -Infinity],
      [0, 0],
    ]);
  });
});

describe('TransformerEncoderLayer / TransformerEncoder', () => {
  it("uses PyTorch's parameter names", () => {
    const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
    expect(Object.keys(layer.stateDict()).sort()).toEqual(
      [
        'self_attn.in_proj_weight', 'self_attn.in_proj_bias', 'self_attn.out_proj.weight', 'self_attn.out_proj.bias',
        'linear1.weight', 'linear1.bias', 'linear2.weight', 'linear2.bias',
        'norm1.weight', 'norm1.bias', 'norm2.weight', 'norm2.bias',
      ].sort(),
    );
    const enc = new TransformerEncoder(() => new TransformerEncoderLayer(8, 2, { dimFeedforward: 16 }), 2, new LayerNorm(8));
    const keys = Object.keys(enc.stateDict());
    expect(keys).toContain('layers.1.self_attn.in_proj_weight');
    expect(keys).toContain('norm.weight');
    expect(keys.length).toBe(26);
    tidy(() => {
      enc.eval();
      const y = enc.call(randn([5, 2, 8]), { mask: causalMask(5) });
      expect(y.shape).toEqual([5, 2, 8]);
    });
    expect(() => new TransformerEncoder(() => layer, 2)).toThrow(/same layer twice/);
    layer.dispose();
    enc.dispose();
  });
});
