// The optimizer ops of the ai.onnx.preview.training domain: Adagrad, Momentum (standard and
// Nesterov), Adam — one update step of several tensors at once, as ONNX specifies them.
import { add, div, mul, sqrt, sub, type Tensor } from '@mapnn/core';
import { registerBuiltinOp, type OnnxNode } from '../converter.js';
import { fail, need, readFloats, readInts } from './util.js';

const DOMAIN = 'ai.onnx.preview.training';

/** Splits the inputs after R and T into `groups` equal lists (X…, G…, and the state lists). */
function groups(node: OnnxNode, ins: readonly (Tensor | undefined)[], count: number): Tensor[][] {
  const rest = ins.slice(2).map((t, i) => t ?? fail(node, `input ${i + 2} is required`));
  if (rest.length % count !== 0) fail(node, `expects ${count} lists of equal length after R and T, got ${rest.length} inputs`);
  const n = rest.length / count;
  return Array.from({ length: count }, (_, k) => rest.slice(k * n, (k + 1) * n));
}

export function registerTrainingOps(): void {
  registerBuiltinOp(
    'Adagrad',
    (node) => {
      const decay = node.attrs.float('decay_factor', 0);
      const eps = node.attrs.float('epsilon', 0);
      const l2 = node.attrs.float('norm_coefficient', 0);
      return (ins) => {
        const R = readFloats(need(ins, 0, node))[0]!;
        const T = readInts(need(ins, 1, node))[0]!;
        const [X, G, H] = groups(node, ins, 3) as [Tensor[], Tensor[], Tensor[]];
        const r = R / (1 + T * decay);
        const xs: Tensor[] = [];
        const hs: Tensor[] = [];
        X.forEach((x, i) => {
          const g = add(mul(x, l2), G[i]!);
          const h = add(H[i]!, mul(g, g));
          hs.push(h);
          xs.push(sub(x, div(mul(g, r), add(sqrt(h), eps))));
        });
        return [...xs, ...hs];
      };
    },
    DOMAIN,
  );
  registerBuiltinOp(
    'Momentum',
    (node) => {
      const alpha = node.attrs.float('alpha', 0);
      const beta = node.attrs.float('beta', 0);
      const mode = node.attrs.string('mode', 'standard');
      const l2 = node.attrs.float('norm_coefficient', 0);
      if (mode !== 'standard' && mode !== 'nesterov') throw new Error(`unknown mode '${mode}'`);
      return (ins) => {
        const R = readFloats(need(ins, 0, node))[0]!;
        const T = readInts(need(ins, 1, node))[0]!;
        const [X, G, V] = groups(node, ins, 3) as [Tensor[], Tensor[], Tensor[]];
        const b = T > 0 ? beta : 1;
        const xs: Tensor[] = [];
        const vs: Tensor[] = [];
        X.forEach((x, i) => {
          const g = add(mul(x, l2), G[i]!);
          const v = add(mul(V[i]!, alpha), mul(g, b));
          vs.push(v);
          xs.push(mode === 'standard' ? sub(x, mul(v, R)) : sub(x, mul(add(g, mul(v, alpha)), R)));
        });
        return [...xs, ...vs];
      };
    },
    DOMAIN,
  );
  registerBuiltinOp(
    'Adam',
    (node) => {
      const alpha = node.attrs.float('alpha', 0.9);
      const beta = node.attrs.float('beta', 0.999);
      const eps = node.attrs.float('epsilon', 0);
      const l2 = node.attrs.float('norm_coefficient', 0);
      const post = node.attrs.float('norm_coefficient_post', 0);
      return (ins) => {
        const R = readFloats(need(ins, 0, node))[0]!;
        const T = readInts(need(ins, 1, node))[0]!;
        const [X, G, V, H] = groups(node, ins, 4) as [Tensor[], Tensor[], Tensor[], Tensor[]];
        const r = T > 0 ? (R * Math.sqrt(1 - beta ** T)) / (1 - alpha ** T) : R;
        const xs: Tensor[] = [];
        const vs: Tensor[] = [];
        const hs: Tensor[] = [];
        X.forEach((x, i) => {
          const g = add(mul(x, l2), G[i]!);
          const v = add(mul(V[i]!, alpha), mul(g, 1 - alpha));
          const h = add(mul(H[i]!, beta), mul(mul(g, g), 1 - beta));
          vs.push(v);
          hs.push(h);
          const xNew = sub(x, mul(div(v, add(sqrt(h), eps)), r));
          xs.push(post ? mul(xNew, 1 - post) : xNew);
        });
        return [...xs, ...vs, ...hs];
      };
    },
    DOMAIN,
  );
}
