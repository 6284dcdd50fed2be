// Recurrent layers: LSTM (gates i, o, f, c; peepholes; input_forget), GRU (gates z, r, h;
// linear_before_reset), RNN — forward, reverse and bidirectional, sequence_lens, layout 0/1,
// clip and custom activations. Composed from core ops, so they are differentiable.
import {
  add, clip, elu, gather, hardSigmoid, leakyRelu, matmul, mul, relu, reshape, sigmoid, slice, softplus, stack, sub, tanh,
  transpose, where, gt, abs, div, zeros, broadcastTo, type Tensor,
} from '@mapnn/core';
import { registerBuiltinOp, type OnnxNode } from '../converter.js';
import { fail, intTensor, need, readInts } from './util.js';

type Act = (x: Tensor) => Tensor;

function activationFn(node: OnnxNode, name: string, alpha: number | undefined, beta: number | undefined): Act {
  switch (name.toLowerCase()) {
    case 'sigmoid':
      return sigmoid;
    case 'tanh':
      return tanh;
    case 'relu':
      return relu;
    case 'affine':
      return (x) => add(mul(x, alpha ?? 1), beta ?? 0);
    case 'leakyrelu':
      return (x) => leakyRelu(x, alpha ?? 0.01);
    case 'thresholdedrelu':
      return (x) => where(gt(x, alpha ?? 1), x, 0);
    case 'scaledtanh':
      return (x) => mul(tanh(mul(x, beta ?? 1)), alpha ?? 1);
    case 'hardsigmoid':
      return (x) => hardSigmoid(x, alpha ?? 0.2, beta ?? 0.5);
    case 'elu':
      return (x) => elu(x, alpha ?? 1);
    case 'softsign':
      return (x) => div(x, add(abs(x), 1));
    case 'softplus':
      return (x) => softplus(x);
    default:
      throw new Error(`unsupported activation '${name}' in ${node.opType} node '${node.name}'`);
  }
}

interface RnnConfig {
  kind: 'LSTM' | 'GRU' | 'RNN';
  gates: number;
  hidden: number;
  directions: number;
  reverseOnly: boolean;
  acts: Act[][]; // per direction
  clipV: number | undefined;
  layout: number;
  inputForget: boolean;
  linearBeforeReset: boolean;
}

function config(node: OnnxNode, kind: RnnConfig['kind']): RnnConfig {
  const direction = node.attrs.string('direction', 'forward');
  if (!['forward', 'reverse', 'bidirectional'].includes(direction)) throw new Error(`unknown direction '${direction}'`);
  const directions = direction === 'bidirectional' ? 2 : 1;
  const per = kind === 'LSTM' ? 3 : kind === 'GRU' ? 2 : 1;
  const defaults = kind === 'LSTM' ? ['Sigmoid', 'Tanh', 'Tanh'] : kind === 'GRU' ? ['Sigmoid', 'Tanh'] : ['Tanh'];
  const names = node.attrs.strings('activations') ?? [...defaults, ...(directions === 2 ? defaults : [])];
  if (names.length !== per * directions) throw new Error(`expected ${per * directions} activations, got ${names.length}`);
  const alphas = node.attrs.floats('activation_alpha', []);
  const betas = node.attrs.floats('activation_beta', []);
  const acts: Act[][] = [];
  for (let d = 0; d < directions; d++) {
    acts.push(names.slice(d * per, d * per + per).map((n, i) => activationFn(node, n, alphas[d * per + i], betas[d * per + i])));
  }
  const hidden = node.attrs.int('hidden_size', 0);
  return {
    kind,
    gates: kind === 'LSTM' ? 4 : kind === 'GRU' ? 3 : 1,
    hidden,
    directions,
    reverseOnly: direction === 'reverse',
    acts,
    clipV: node.attrs.float('clip'),
    layout: node.attrs.int('layout', 0),
    inputForget: node.attrs.int('input_forget', 0) === 1,
    linearBeforeReset: node.attrs.int('linear_before_reset', 0) === 1,
  };
}

/** Time-reversal of [seq, batch, …] within each batch entry's length (ReverseSequence). */
function reverseWithin(x: Tensor, lens: number[] | null): Tensor {
  const [T, B] = x.shape as [number, number];
  const idx: number[] = [];
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) {
    const L = lens ? lens[b]! : T;
    idx.push(t < L ? L - 1 - t : t);
  }
  const index = broadcastTo(intTensor(idx, [T, B, ...new Array<number>(x.rank - 2).fill(1)]), x.shape);
  return gather(x, 0, index);
}

function run(node: OnnxNode, kind: RnnConfig['kind'], cfg: RnnConfig, ins: readonly (Tensor | undefined)[]): (Tensor | undefined)[] {
  let X = need(ins, 0, node);
  const W = need(ins, 1, node);
  const R = need(ins, 2, node);
  const Bias = ins[3];
  const seqLens = ins[4] ? readInts(ins[4]) : null;
  let h0 = ins[5];
  let c0 = kind === 'LSTM' ? ins[6] : undefined;
  const P = kind === 'LSTM' ? ins[7] : undefined;
  if (X.rank !== 3) fail(node, `X must be 3-D, got [${X.shape.join(',')}]`);
  if (cfg.layout === 1) {
    X = transpose(X, [1, 0, 2]);
    if (h0) h0 = transpose(h0, [1, 0, 2]);
    if (c0) c0 = transpose(c0, [1, 0, 2]);
  }
  const [T, Bn, I] = X.shape as [number, number, number];
  const H = cfg.hidden || W.shape[1]! / cfg.gates;
  const G = cfg.gates;
  if (W.shape[0] !== cfg.directions || W.shape[1] !== G * H || W.shape[2] !== I) {
    fail(node, `W [${W.shape.join(',')}] does not match [${cfg.directions}, ${G * H}, ${I}]`);
  }
  const lensMask = seqLens && seqLens.some((l) => l !== T) ? seqLens : null;
  const ys: Tensor[] = [];
  const hs: Tensor[] = [];
  const cs: Tensor[] = [];
  const act = (x: Tensor) => (cfg.clipV !== undefined ? clip(x, -cfg.clipV, cfg.clipV) : x);
  for (let d = 0; d < cfg.directions; d++) {
    const reverse = cfg.reverseOnly || d === 1;
    const Wd = reshape(slice(W, [d], [d + 1], [0]), [G * H, I]);
    const Rd = reshape(slice(R, [d], [d + 1], [0]), [G * H, H]);
    const bd = Bias ? reshape(slice(Bias, [d], [d + 1], [0]), [2 * G * H]) : undefined;
    const Wb = bd ? slice(bd, [0], [G * H]) : undefined;
    const Rb = bd ? slice(bd, [G * H], [2 * G * H]) : undefined;
    const xs = reverse ? reverseWithin(X, seqLens) : X;
    // input projections of all steps at once: [T, B, G·H]
    let xw = reshape(matmul(reshape(xs, [T * Bn, I]), transpose(Wd, [1, 0])), [T, Bn, G * H]);
    if (Wb) xw = add(xw, kind === 'GRU' ? Wb : add(Wb, Rb!));
    const Rt = transpose(Rd, [1, 0]); // [H, G·H]
    let h = h0 ? reshape(slice(h0, [d], [d + 1], [0]), [Bn, H]) : zeros([Bn, H], X.dtype);
    let c = c0 ? reshape(slice(c0, [d], [d + 1], [0]), [Bn, H]) : zeros([Bn, H], X.dtype);
    const pd = P ? reshape(slice(P, [d], [d + 1], [0]), [3 * H]) : undefined;
    const [f, g, hAct] = cfg.acts[d]!;
    const steps: Tensor[] = [];
    for (let t = 0; t < T; t++) {
      const xt = reshape(slice(xw, [t], [t + 1], [0]), [Bn, G * H]);
      const gate = (all: Tensor, k: number) => slice(all, [k * H], [(k + 1) * H], [1]);
      let hNew: Tensor;
      let cNew: Tensor | undefined;
      if (kind === 'LSTM') {
        const z = add(xt, matmul(h, Rt));
        let iPre = gate(z, 0);
        let oPre = gate(z, 1);
        let fPre = gate(z, 2);
        const cPre = gate(z, 3);
        if (pd) {
          iPre = add(iPre, mul(slice(pd, [0], [H]), c));
          fPre = add(fPre, mul(slice(pd, [2 * H], [3 * H]), c));
        }
        const it = f!(act(iPre));
        const ft = cfg.inputForget ? sub(1, it) : f!(act(fPre));
        const ct = g!(act(cPre));
        cNew = add(mul(ft, c), mul(it, ct));
        if (pd) oPre = add(oPre, mul(slice(pd, [H], [2 * H]), cNew));
        const ot = f!(act(oPre));
        hNew = mul(ot, hAct!(cNew));
      } else if (kind === 'GRU') {
        const hr = matmul(h, Rt); // [B, 3H]
        const rb = (k: number) => (Rb ? slice(Rb, [k * H], [(k + 1) * H]) : undefined);
        const withB = (v: Tensor, b: Tensor | undefined) => (b ? add(v, b) : v);
        const zt = f!(act(add(gate(xt, 0), withB(gate(hr, 0), rb(0)))));
        const rt = f!(act(add(gate(xt, 1), withB(gate(hr, 1), rb(1)))));
        let hPre: Tensor;
        if (cfg.linearBeforeReset) {
          hPre = add(gate(xt, 2), mul(rt, withB(gate(hr, 2), rb(2))));
        } else {
          const rh = matmul(mul(rt, h), transpose(slice(Rd, [2 * H], [3 * H], [0]), [1, 0]));
          hPre = add(gate(xt, 2), withB(rh, rb(2)));
        }
        const ht = g!(act(hPre));
        hNew = add(mul(sub(1, zt), ht), mul(zt, h));
      } else {
        hNew = f!(act(add(xt, matmul(h, Rt))));
      }
      if (lensMask) {
        const m = reshape(intTensor(lensMask.map((L) => (t < L ? 1 : 0)), [Bn], 'bool'), [Bn, 1]);
        h = where(m, hNew, h);
        if (cNew) c = where(m, cNew, c);
        steps.push(where(m, hNew, 0));
      } else {
        h = hNew;
        if (cNew) c = cNew;
        steps.push(hNew);
      }
    }
    let y = T > 0 ? stack(steps, 0) : zeros([0, Bn, H], X.dtype); // [T, B, H]
    if (reverse) y = reverseWithin(y, seqLens);
    ys.push(y);
    hs.push(h);
    cs.push(c);
  }
  let Y = stack(ys, 1); // [T, D, B, H]
  let Yh = stack(hs, 0); // [D, B, H]
  let Yc = kind === 'LSTM' ? stack(cs, 0) : undefined;
  if (cfg.layout === 1) {
    Y = transpose(Y, [2, 0, 1, 3]);
    Yh = transpose(Yh, [1, 0, 2]);
    if (Yc) Yc = transpose(Yc, [1, 0, 2]);
  }
  return [Y, Yh, Yc];
}

export function registerRecurrentOps(): void {
  for (const kind of ['LSTM', 'GRU', 'RNN'] as const) {
    registerBuiltinOp(kind, (node) => {
      const cfg = config(node, kind);
      return (ins) => run(node, kind, cfg, ins);
    });
  }
}
