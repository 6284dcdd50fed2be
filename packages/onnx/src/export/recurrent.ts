import type { Tensor } from '@mapnn/core';
import { GRU, LSTM, RNN, type Module } from '@mapnn/layers';
import type { ModuleExportContext, ModuleExporter } from './context.js';

type Reg = <M extends Module<any, any>>(c: abstract new (...args: any[]) => M, e: ModuleExporter<M>) => void;
type Recurrent = RNN | LSTM | GRU;

/**
 * Row blocks of PyTorch's stacked gate weights in ONNX's order: LSTM i,f,g,o → i,o,f,c;
 * GRU r,z,n → z,r,h; RNN has one block.
 */
const GATE_ORDER: Record<string, number[]> = { LSTM: [0, 3, 1, 2], GRU: [1, 0, 2], RNN: [0] };

function rowIndices(order: number[], H: number): number[] {
  return order.flatMap((g) => Array.from({ length: H }, (_, k) => g * H + k));
}

/** Exports RNN/LSTM/GRU as ONNX RNN/LSTM/GRU nodes, one per layer (bidirectional in one node). */
function recurrentExporter(): ModuleExporter<Recurrent> {
  return {
    canExport: (_m, [x]) => (x as Tensor).rank === 2 || (x as Tensor).rank === 3,
    export: (ctx, m, args, output) => {
      const x = args[0] as Tensor;
      const mode = m.mode as 'RNN' | 'LSTM' | 'GRU';
      const H = m.hiddenSize;
      const D = m.numDirections;
      const unbatched = x.rank === 2;
      const lstm = mode === 'LSTM';
      const param = (name: string) => m[name] as Tensor | undefined;

      let seq = ctx.input(x);
      if (unbatched) seq = ctx.op('Unsqueeze', [seq, ctx.ints([1])]);
      else if (m.batchFirst) seq = ctx.op('Transpose', [seq], { perm: [1, 0, 2] });

      // initial states [layers·dirs, N, H] (or [layers·dirs, H] unbatched)
      const init = lstm ? ((args[1] as [Tensor, Tensor] | null | undefined) ?? [null, null]) : [(args[1] as Tensor | null | undefined) ?? null];
      const states = init.map((s) => {
        if (!s) return null;
        const v = ctx.input(s);
        return unbatched ? ctx.op('Unsqueeze', [v, ctx.ints([1])]) : v;
      });

      const order = GATE_ORDER[mode]!;
      const rows = order.length > 1 ? ctx.ints(rowIndices(order, H)) : null;
      const reorder = (t: Tensor) => {
        const v = ctx.input(t);
        return rows ? ctx.op('Gather', [v, rows], { axis: 0 }) : v;
      };
      const stackDirs = (perDir: string[]) => {
        const u = perDir.map((v) => ctx.op('Unsqueeze', [v, ctx.ints([0])]));
        return u.length === 1 ? u[0]! : ctx.op('Concat', u, { axis: 0 });
      };

      const finals: string[][] = lstm ? [[], []] : [[]];
      for (let l = 0; l < m.numLayers; l++) {
        const sfx = (d: number) => `l${l}${d === 1 ? '_reverse' : ''}`;
        const dirs = Array.from({ length: D }, (_, d) => d);
        const W = stackDirs(dirs.map((d) => reorder(param(`weight_ih_${sfx(d)}`)!)));
        const R = stackDirs(dirs.map((d) => reorder(param(`weight_hh_${sfx(d)}`)!)));
        const B = m.bias
          ? stackDirs(dirs.map((d) => ctx.op('Concat', [reorder(param(`bias_ih_${sfx(d)}`)!), reorder(param(`bias_hh_${sfx(d)}`)!)], { axis: 0 })))
          : '';
        const P =
          lstm && (m as LSTM).peephole
            ? stackDirs(
                dirs.map((d) =>
                  ctx.op('Concat', ['ci', 'co', 'cf'].map((g) => ctx.input(param(`weight_${g}_${sfx(d)}`)!)), { axis: 0 }),
                ),
              )
            : '';
        const layerState = (s: string | null) =>
          s ? (m.numLayers === 1 ? s : ctx.op('Slice', [s, ctx.ints([l * D]), ctx.ints([(l + 1) * D]), ctx.ints([0])])) : '';
        const inputs = [seq, W, R, B, '', layerState(states[0] ?? null)];
        if (lstm) inputs.push(layerState(states[1] ?? null), P);
        while (inputs.length && inputs[inputs.length - 1] === '') inputs.pop();
        const attrs: Record<string, number | string | string[]> = { hidden_size: H, direction: D === 2 ? 'bidirectional' : 'forward' };
        if (mode === 'RNN') attrs.activations = Array.from({ length: D }, () => ((m as RNN).nonlinearity === 'relu' ? 'Relu' : 'Tanh'));
        if (mode === 'GRU') attrs.linear_before_reset = 1;
        const outs = ctx.node(mode, inputs, attrs, lstm ? 3 : 2);
        // Y [T, D, N, H] → [T, N, D·H]
        seq =
          D === 1
            ? ctx.op('Squeeze', [outs[0]!, ctx.ints([1])])
            : ctx.op('Reshape', [ctx.op('Transpose', [outs[0]!], { perm: [0, 2, 1, 3] }), ctx.ints([0, 0, -1])]);
        finals[0]!.push(outs[1]!);
        if (lstm) finals[1]!.push(outs[2]!);
      }

      let out = seq;
      if (unbatched) out = ctx.op('Squeeze', [out, ctx.ints([1])]);
      else if (m.batchFirst) out = ctx.op('Transpose', [out], { perm: [1, 0, 2] });
      const last = finals.map((f) => {
        const s = f.length === 1 ? f[0]! : ctx.op('Concat', f, { axis: 0 });
        return unbatched ? ctx.op('Squeeze', [s, ctx.ints([1])]) : s;
      });
      const [yOut, rest] = output as [Tensor, Tensor | [Tensor, Tensor]];
      ctx.bind(yOut, out);
      if (lstm) {
        const [hN, cN] = rest as [Tensor, Tensor];
        ctx.bind(hN, last[0]!);
        ctx.bind(cN, last[1]!);
      } else {
        ctx.bind(rest as Tensor, last[0]!);
      }
    },
  };
}

export function registerRecurrentExporters(reg: Reg): void {
  reg(RNN, recurrentExporter() as ModuleExporter<RNN>);
  reg(LSTM, recurrentExporter() as ModuleExporter<LSTM>);
  reg(GRU, recurrentExporter() as ModuleExporter<GRU>);
}

export type { ModuleExportContext };
