import type { Tensor } from '../tensor.js';
import { keep, tidy } from '../memory/scope.js';
import { enableGrad, noGrad } from './node.js';
import { fmtShape } from '../shape.js';
import { add } from '../ops/add.js';
import { reshape } from '../ops/reshape.js';
import { onesLike, zerosLike } from '../ops/creation.js';

/** Tensors reachable from `roots` through recorded nodes, outputs before their inputs. */
function topoOrder(roots: readonly Tensor[]): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  // iterative post-order DFS (graphs of deep RNNs overflow a recursive one)
  const stack: [Tensor, number][] = roots.filter((r) => r.requiresGrad).map((r) => [r, 0]);
  for (const r of roots) seen.add(r);
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const [t, i] = top;
    const inputs = t.gradFn?.inputs ?? [];
    if (i < inputs.length) {
      top[1]++;
      const inp = inputs[i]!;
      if (inp.requiresGrad && !seen.has(inp)) {
        seen.add(inp);
        stack.push([inp, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order.reverse();
}

/**
 * Core of reverse mode: propagates `seeds` from `roots` and returns the gradient of every
 * tensor on the way. With `createGraph`, the gradient computation is itself recorded.
 */
export function propagate(
  roots: readonly Tensor[],
  seeds: readonly Tensor[],
  createGraph: boolean,
  want: (t: Tensor) => boolean,
): Map<Tensor, Tensor> {
  const run = () => {
    const grads = new Map<Tensor, Tensor>();
    const handedOut = new Set<Tensor>(seeds);
    roots.forEach((r, i) => {
      const s = seeds[i]!;
      const prev = grads.get(r);
      grads.set(r, prev ? add(prev, s) : s);
    });
    const result = new Map<Tensor, Tensor>();
    for (const t of topoOrder(roots)) {
      const g = grads.get(t);
      if (!g) continue;
      if (want(t)) result.set(t, g);
      const node = t.gradFn;
      if (!node) continue;
      let inGrads: readonly (Tensor | null | undefined)[];
      try {
        inGrads = node.backward(g);
      } catch (e) {
        const shapes = node.inputs.map((x) => fmtShape(x.shape)).join(', ');
        throw new Error(`backward of '${node.op}' (inputs ${shapes}) failed: ${(e as Error).message}`, { cause: e });
      }
      node.inputs.forEach((inp, k) => {
        const gi = inGrads[k];
        if (!gi || !inp.requiresGrad) return;
        if (gi.shape.length !== inp.shape.length || gi.shape.some((d, j) => d !== inp.shape[j])) {
          throw new Error(
            `backward of '${node.op}': gradient for input ${k} has shape ${fmtShape(gi.shape)}, expected ${fmtShape(inp.shape)}`,
          );
        }
        const prev = grads.get(inp);
        if (prev) grads.set(inp, add(prev, gi));
        else {
          // one tensor object per input (an op may hand the same dy to two inputs); a reshape
          // view is free and keeps the graph when createGraph is on
          const own = handedOut.has(gi) ? reshape(gi, gi.shape) : gi;
          handedOut.add(own);
          grads.set(inp, own);
        }
      });
    }
    return result;
  };
  if (createGraph) return enableGrad(run);
  // Without createGraph, intermediates are freed; the gradients asked for are handed out.
  // (tidy hands the tensors in the returned Map to the enclosing scope)
  return tidy(() => noGrad(run));
}

/** `t.backward(seed)`: accumulates into `.grad` of leaves (and of tensors that `retainGrad`). */
export function backwardFrom(root: Tensor, seed: Tensor | undefined, createGraph: boolean): void {
  root.assertAlive('backward');
  if (!root.requiresGrad) {
    throw new Error(
      `backward: tensor ${fmtShape(root.shape)} (made by '${root.opName}') does not require grad; ` +
        `mark an input with requiresGrad_() first`,
    );
  }
  if (seed && (seed.shape.length !== root.shape.length || seed.shape.some((d, i) => d !== root.shape[i]))) {
    throw new Error(`backward: seed gradient ${fmtShape(seed.shape)} does not match output ${fmtShape(root.shape)}`);
  }
  if (!seed && root.size !== 1) {
    throw new Error(`backward: a seed gradient is needed for a non-scalar output of shape ${fmtShape(root.shape)}`);
  }
  const s = seed ?? onesLike(root);
  const grads = propagate([root], [s], createGraph, (t) => t.isLeaf || t._retainGrad);
  for (const [t, g0] of grads) {
    // never hand out the seed object itself: the caller may dispose it
    const g = g0 === s ? g0.detach() : g0;
    if (t.grad) {
      const old = t.grad;
      t.grad = keep(createGraph ? add(old, g) : noGrad(() => add(old, g)));
      old.dispose();
      g.dispose();
    } else {
      t.grad = keep(g);
    }
  }
  if (!seed && !createGraph) s.dispose();
}

/**
 * Gradients of `outputs` with respect to `inputs` (PyTorch's `torch.autograd.grad`), without
 * touching `.grad`. Inputs the outputs do not depend on get zeros.
 */
export function gradients(
  outputs: Tensor | readonly Tensor[],
  inputs: readonly Tensor[],
  options: { gradOutputs?: readonly Tensor[]; createGraph?: boolean } = {},
): Tensor[] {
  const outs = Array.isArray(outputs) ? (outputs as Tensor[]) : [outputs as Tensor];
  const createGraph = options.createGraph ?? false;
  const implicit: Tensor[] = [];
  const seeds = outs.map((o, i) => {
    const s = options.gradOutputs?.[i];
    if (s) return s;
    if (o.size !== 1) throw new Error(`gradients: output ${i} of shape ${fmtShape(o.shape)} needs a seed gradient`);
    const one = onesLike(o);
    implicit.push(one);
    return one;
  });
  const live = outs.map((o) => o.requiresGrad);
  const wanted = new Set(inputs);
  const grads = propagate(
    outs.filter((_, i) => live[i]),
    seeds.filter((_, i) => live[i]),
    createGraph,
    (t) => wanted.has(t),
  );
  const result = inputs.map((x) => {
    const g = grads.get(x);
    if (!g) return zerosLike(x);
    return seeds.includes(g) ? g.detach() : g;
  });
  if (!createGraph) for (const s of implicit) s.dispose();
  return result;
}
