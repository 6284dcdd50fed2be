/**
 * Shared by the backends' browser tests: the page script (bundled with core and the backend under
 * test) trains a small two-layer ReLU network to a linear target with plain gradient descent and
 * returns its losses, read back asynchronously (every backend can).
 *
 * @example const losses = await trainTinyMlp({ steps: 8, samples: 32, features: 4, hidden: 8 });
 */
import { add, Generator, grads, matmul, mean, mul, randn, relu, sub, tidy, zeros, type Tensor } from '@mapnn/core';

export interface TinyMlpOptions {
  steps: number;
  samples: number;
  features: number;
  hidden: number;
  /** Learning rate (default 0.05). */
  lr?: number;
  /** Seed of the data and initial weights (default 3). */
  seed?: number;
}

export async function trainTinyMlp(o: TinyMlpOptions): Promise<number[]> {
  const g = new Generator(o.seed ?? 3);
  const x = randn([o.samples, o.features], { generator: g });
  // a linear target the network can fit; weights and target scaled by 1/√fan-in (unit variance)
  const target = matmul(x, randn([o.features, 1], { generator: g }).mul(1 / Math.sqrt(o.features)));
  const params = [
    randn([o.features, o.hidden], { generator: g }).mul(1 / Math.sqrt(o.features)),
    zeros([o.hidden]),
    randn([o.hidden, 1], { generator: g }).mul(1 / Math.sqrt(o.hidden)),
  ];
  const lossFn = (w1: Tensor, b1: Tensor, w2: Tensor) => {
    const err = sub(matmul(relu(add(matmul(x, w1), b1)), w2), target);
    return mean(mul(err, err));
  };
  const losses: number[] = [];
  for (let step = 0; step < o.steps; step++) {
    const loss = tidy(() => {
      const l = lossFn(params[0]!, params[1]!, params[2]!);
      const gs = grads(lossFn)(...params);
      params.forEach((p, i) => p.assign(sub(p, mul(gs[i]!, o.lr ?? 0.05))));
      return l;
    });
    losses.push((await loss.data())[0]!);
    loss.dispose();
  }
  for (const t of [x, target, ...params]) t.dispose();
  return losses;
}
