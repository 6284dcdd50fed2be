import type { Tensor } from '@mapnn/core';
import { MultiHeadAttention, type AttentionCallOptions, type Module } from '@mapnn/layers';
import type { ModuleExporter } from './context.js';

type Reg = <M extends Module<any, any>>(c: abstract new (...args: any[]) => M, e: ModuleExporter<M>) => void;

/**
 * MultiHeadAttention as a MatMul/Softmax subgraph on [N, heads, len, headDim] tensors (ONNX
 * MatMul broadcasts the leading dims, so the batch stays dynamic): projections, scaled scores,
 * masks (bool → Where −∞, float → Add), Softmax, the weighted values, the output projection
 * and, when asked, the attention weights (averaged over heads or not).
 */
function attentionExporter(): ModuleExporter<MultiHeadAttention> {
  return {
    canExport: (_m, args) => {
      const q = args[0] as Tensor;
      return q.rank === 2 || q.rank === 3;
    },
    export: (ctx, m, args, output) => {
      const query = args[0] as Tensor;
      const key = (args[1] as Tensor | null | undefined) ?? query;
      const value = (args[2] as Tensor | null | undefined) ?? key;
      const opts = (args[3] as AttentionCallOptions | undefined) ?? {};
      const E = m.embedDim;
      const Hn = m.numHeads;
      const d = m.headDim;
      const unbatched = query.rank === 2;

      const toNLF = (t: Tensor) => {
        const v = ctx.input(t);
        return unbatched ? ctx.op('Unsqueeze', [v, ctx.ints([0])]) : m.batchFirst ? v : ctx.op('Transpose', [v], { perm: [1, 0, 2] });
      };
      const qIn = toNLF(query);
      const kIn = key === query ? qIn : toNLF(key);
      const vIn = value === key ? kIn : value === query ? qIn : toNLF(value);

      const rowsOf = (w: string, i: number) => ctx.op('Slice', [w, ctx.ints([i * E]), ctx.ints([(i + 1) * E]), ctx.ints([0])]);
      const proj = (x: string, w: string, b: string | null) => {
        const y = ctx.op('MatMul', [x, ctx.op('Transpose', [w], { perm: [1, 0] })]);
        return b ? ctx.op('Add', [y, b]) : y;
      };
      const inW = m.in_proj_weight ? ctx.input(m.in_proj_weight) : null;
      const inB = m.in_proj_bias ? ctx.input(m.in_proj_bias) : null;
      const weightOf = (i: number) => (inW ? rowsOf(inW, i) : ctx.input([m.q_proj_weight, m.k_proj_weight, m.v_proj_weight][i]!));
      const biasOf = (i: number) => (inB ? rowsOf(inB, i) : null);
      const q = proj(qIn, weightOf(0), biasOf(0));
      const k = proj(kIn, weightOf(1), biasOf(1));
      const v = proj(vIn, weightOf(2), biasOf(2));

      // [N, len, E] → [N, heads, len, d] (keys as [N, heads, d, S] for the scores)
      const split = (t: string) => ctx.op('Reshape', [t, ctx.ints([0, 0, Hn, d])]);
      const qh = ctx.op('Div', [ctx.op('Transpose', [split(q)], { perm: [0, 2, 1, 3] }), ctx.scalar(Math.sqrt(d), query.dtype)]);
      const khT = ctx.op('Transpose', [split(k)], { perm: [0, 2, 3, 1] });
      const vh = ctx.op('Transpose', [split(v)], { perm: [0, 2, 1, 3] });
      let scores = ctx.op('MatMul', [qh, khT]); // [N, heads, L, S]

      const applyMask = (mask: Tensor, value: string) =>
        mask.dtype === 'bool' ? ctx.op('Where', [value, ctx.scalar(-Infinity, query.dtype), scores]) : ctx.op('Add', [scores, value]);
      if (opts.attnMask) {
        const am = opts.attnMask;
        let mv = ctx.input(am);
        if (am.rank === 3) mv = ctx.op('Reshape', [mv, ctx.ints([-1, Hn, am.shape[1]!, am.shape[2]!])]);
        scores = applyMask(am, mv);
      }
      if (opts.keyPaddingMask) {
        const kp = opts.keyPaddingMask;
        let mv = ctx.input(kp);
        if (!unbatched) mv = ctx.op('Unsqueeze', [mv, ctx.ints([1, 2])]); // [N, 1, 1, S]
        scores = applyMask(kp, mv);
      }
      const attn = ctx.op('Softmax', [scores], { axis: -1 });
      const heads = ctx.op('MatMul', [attn, vh]); // [N, heads, L, d]
      const merged = ctx.op('Reshape', [ctx.op('Transpose', [heads], { perm: [0, 2, 1, 3] }), ctx.ints([0, 0, E])]);
      let out = proj(merged, ctx.input(m.out_proj.weight), m.out_proj.bias ? ctx.input(m.out_proj.bias) : null);
      if (unbatched) out = ctx.op('Squeeze', [out, ctx.ints([0])]);
      else if (!m.batchFirst) out = ctx.op('Transpose', [out], { perm: [1, 0, 2] });

      const [y, weights] = output as [Tensor, Tensor | null];
      ctx.bind(y, out);
      if (weights) {
        let w = opts.averageAttnWeights === false ? attn : ctx.op('ReduceMean', [attn], { axes: [1], keepdims: 0 });
        if (unbatched) w = ctx.op('Squeeze', [w, ctx.ints([0])]);
        ctx.bind(weights, w);
      }
    },
  };
}

export function registerAttentionExporters(reg: Reg): void {
  reg(MultiHeadAttention, attentionExporter());
}
