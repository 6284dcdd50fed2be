/**
 * The peer frameworks loaded for one bench run, handed to the case builders. tfjs is always there
 * (tfjs-core's active backend is tfjs-backend-cpu, tfjs-backend-wasm with `--backend wasm`, or
 * tfjs-backend-webgpu with `--backend webgpu`); jax-js, ONNX Runtime and PyTorch only in the wasm
 * run (where they load).
 */
import type { Jax } from './peers/jax.js';
import type { OrtModule } from './peers/ort.js';
import type { TorchProcess } from './peers/torch.js';

export interface Frameworks {
  /** tfjs-core's active backend. */
  tfjs: 'cpu' | 'wasm' | 'webgpu';
  jax?: Jax;
  ort?: OrtModule;
  torch?: TorchProcess;
  /** Threads of the multi-threaded peers (ORT intra-op threads, torch.set_num_threads). */
  threads: number;
  /**
   * Reads must be asynchronous (mapnn on webgpu, tfjs-backend-webgpu): the runners read back with
   * `await data()` and their `run()` returns a Promise. Otherwise they read synchronously.
   */
  asyncReads?: boolean;
}

/** The default run's context: tfjs-backend-cpu only. */
export const TFJS_CPU_ONLY: Frameworks = { tfjs: 'cpu', threads: 1 };
