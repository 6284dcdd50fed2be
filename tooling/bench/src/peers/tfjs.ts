/**
 * TensorFlow.js peers: tfjs-backend-cpu (the default run) or tfjs-backend-wasm (`--backend wasm`).
 *
 * tfjs-backend-wasm 4.22 in Node loads its SIMD build single-threaded: its multi-threaded build
 * needs Web Workers, which Node does not have — that is how it really runs there. It also lacks a
 * Conv2DBackpropFilter kernel, so tfjs-layers cannot train a conv net on it at all;
 * `shimConv2DBackpropFilter` registers one that copies the operands out of the wasm heap, runs
 * tfjs-backend-cpu's kernel (plain JavaScript loops) and copies the result back.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

export const CONV2D_BACKPROP_FILTER_SHIM =
  "tfjs-backend-wasm has no Conv2DBackpropFilter kernel; the bench registers one that runs tfjs-backend-cpu's JavaScript kernel on copies of the operands (the conv filter gradients run on the CPU, in JS)";

/** Switches tfjs to its wasm backend (the .wasm files from node_modules) and returns its description. */
export async function useTfjsWasm(): Promise<{ label: string; threads: number }> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const require = createRequire(import.meta.url);
  // main is dist/tf-backend-wasm.node.js; the .wasm binaries lie beside it
  wasm.setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/')}`);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs-backend-wasm failed to initialise');
  shimConv2DBackpropFilter();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = wasm.getThreadsCount();
  return { label: `tfjs-backend-wasm ${wasm.version_wasm} (${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'})`, threads };
}

let shimmed = false;

/** Time spent in the shimmed kernel so far (ms) and its calls. */
export const shimStats = { ms: 0, calls: 0 };

/** Registers Conv2DBackpropFilter for the wasm backend, computed by tfjs-backend-cpu's kernel. */
export function shimConv2DBackpropFilter(): void {
  if (shimmed || tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')) return;
  const cpuKernel = tf.getKernel(tf.Conv2DBackpropFilter, 'cpu');
  if (!cpuKernel) throw new Error('tfjs-backend-cpu is not loaded: its Conv2DBackpropFilter kernel backs the wasm shim');
  const cpu = new MathBackendCPU(); // private instance: not registered with the engine
  tf.registerKernel({
    kernelName: tf.Conv2DBackpropFilter,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const t0 = performance.now();
      const wasm = backend as tf.KernelBackend;
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const copy = (t: tf.TensorInfo): tf.TensorInfo => ({ dataId: cpu.write(wasm.readSync(t.dataId), t.shape, t.dtype), shape: t.shape, dtype: t.dtype });
      const [xc, dyc] = [copy(x), copy(dy)];
      const out = cpuKernel.kernelFunc({ inputs: { x: xc, dy: dyc }, backend: cpu, attrs }) as tf.TensorInfo;
      const values = cpu.readSync(out.dataId);
      for (const t of [xc, dyc, out]) cpu.disposeData(t.dataId, true);
      const dataId = wasm.write(values, out.shape, out.dtype);
      shimStats.ms += performance.now() - t0;
      shimStats.calls++;
      return { dataId, shape: out.shape, dtype: out.dtype };
    },
  });
  shimmed = true;
}
