/**
 * The jax-js peer (@jax-js/jax, its `wasm` device, functions compiled with `jit`).
 *
 * jax-js runs its wasm kernels on Web Workers when `SharedArrayBuffer` and a global `Worker`
 * exist; Node has no global `Worker`, so in Node it computes on one thread — as it really runs
 * there. Arrays are reference counted: every call consumes its arguments (`.ref` keeps one).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as JaxModule from '@jax-js/jax';
import type { Runner } from '../report.js';

export type Jax = typeof JaxModule;
type JArray = JaxModule.Array;
export type Params = Record<string, JArray>;

export async function loadJax(): Promise<{ jax: Jax; label: string }> {
  const jax = await import('@jax-js/jax');
  const devices = await jax.init('wasm');
  if (!devices.includes('wasm')) throw new Error(`jax-js: no wasm device (got ${devices.join(', ')})`);
  jax.defaultDevice('wasm');
  let version = '?';
  try {
    const main = createRequire(import.meta.url).resolve('@jax-js/jax');
    version = (JSON.parse(readFileSync(join(dirname(main), '../package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // version stays unknown
  }
  const workers = typeof SharedArrayBuffer !== 'undefined' && typeof (globalThis as { Worker?: unknown }).Worker !== 'undefined';
  return { jax, label: `@jax-js/jax ${version} (wasm, jit, ${workers ? 'Web Workers' : '1 thread: no Web Workers in Node'})` };
}

/** A float32 jax-js array from host data. */
export const jarray = (jax: Jax, data: Float32Array, shape: number[]): JArray => jax.numpy.array(data, { shape });

/** A Runner for a jitted function of fixed inputs (kept with `.ref`); the result is read with dataSync. */
export function jitRunner(jax: Jax, f: (...xs: JArray[]) => JArray, inputs: JArray[]): Runner {
  const g = jax.jit(f);
  let last: Float32Array = new Float32Array(0);
  return {
    run: () => {
      last = g(...inputs.map((x) => x.ref)).dataSync() as Float32Array;
    },
    result: () => last,
    dispose: () => {
      for (const x of inputs) x.dispose();
      g.dispose();
    },
  };
}

/**
 * A Runner for one jitted training step: value and gradient of `loss(params, x, yOneHot)`, then
 * Adam (β = 0.9, 0.999, ε = 1e-8; the bias corrections enter as scalars computed on the host),
 * inside one `jit`. `run` reads the loss back; `result` is the first step's loss.
 */
export function jaxAdamRunner(
  jax: Jax,
  init: Params,
  loss: (p: Params, x: JArray, y: JArray) => JArray,
  x: JArray,
  yOneHot: JArray,
  lr = 1e-3,
): Runner {
  const { numpy: np, tree, valueAndGrad } = jax;
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const zeros = (p: Params): Params => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, np.zeros(v.shape)]));
  let params = init;
  let m = zeros(init);
  let v = zeros(init);
  let t = 0;
  let first: number | undefined;
  const step = jax.jit((p: Params, m: Params, v: Params, x: JArray, y: JArray, c1: JArray, c2: JArray) => {
    const [l, g] = valueAndGrad(loss)(tree.ref(p), x, y) as [JArray, Params];
    const keys = Object.keys(p);
    const m2: Params = {};
    const v2: Params = {};
    const p2: Params = {};
    for (const k of keys) {
      const gk = g[k]!;
      m2[k] = m[k]!.mul(b1).add(gk.ref.mul(1 - b1));
      v2[k] = v[k]!.mul(b2).add(gk.ref.mul(gk).mul(1 - b2));
      p2[k] = p[k]!.sub(m2[k]!.ref.mul(c1.ref).div(np.sqrt(v2[k]!.ref.mul(c2.ref)).add(eps)));
    }
    c1.dispose();
    c2.dispose();
    return [l, p2, m2, v2];
  });
  return {
    run: () => {
      t++;
      const c1 = np.array(lr / (1 - b1 ** t));
      const c2 = np.array(1 / (1 - b2 ** t));
      const [l, p2, m2, v2] = step(params, m, v, x.ref, yOneHot.ref, c1, c2) as [JArray, Params, Params, Params];
      [params, m, v] = [p2, m2, v2];
      const value = (l.dataSync() as Float32Array)[0]!;
      first ??= value;
    },
    result: () => Float32Array.of(first ?? NaN),
    dispose: () => {
      for (const tr of [params, m, v]) tree.dispose(tr);
      x.dispose();
      yOneHot.dispose();
      step.dispose();
    },
  };
}
