/**
 * Where tensors live when the compute backend cannot read synchronously (WebGPU): data are
 * loaded and models built, imported and serialised on the cpu backend (the host), and moved to
 * the compute backend for training and inference. Reads from the device are awaited.
 */
import { fromStorage, getBackendName, isTensor, setBackend, type Tensor } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import type { Optimizer } from '@mapnn/optimizers';

/** Backends whose tensors cannot be read synchronously (dataSync/item throw). */
const ASYNC_ONLY = new Set(['webgpu']);

/** Whether the active backend reads synchronously (cpu, wasm: yes; webgpu: no). */
export function readsSynchronously(): boolean {
  return !ASYNC_ONLY.has(getBackendName());
}

/** Runs `fn` with the cpu backend active when the active one cannot read synchronously. */
export async function onHost<T>(fn: () => T | Promise<T>): Promise<T> {
  const device = getBackendName();
  if (!ASYNC_ONLY.has(device)) return fn();
  setBackend('cpu');
  try {
    return await fn();
  } finally {
    setBackend(device);
  }
}

/** The tensors of a model's state (parameters and buffers). */
export function modelTensors(model: Module<any, any>): Tensor[] {
  return Object.values(model.stateDict() as Record<string, Tensor>);
}

/** The state tensors of an optimizer (moments, buffers). */
export function optimizerTensors(optimizer: Optimizer): Tensor[] {
  const out: Tensor[] = [];
  for (const st of optimizer.state.values()) for (const v of Object.values(st)) if (isTensor(v)) out.push(v as Tensor);
  return out;
}

/**
 * Copies the values of tensors stored on an async-only backend to the cpu, in place (the
 * tensors keep their identity; they return to the device at their next update), so that
 * synchronous readers — checkpoints, safetensors, the ONNX exporter — can read them.
 */
export async function syncToHost(tensors: Iterable<Tensor>): Promise<void> {
  for (const t of tensors) {
    if (t.isDisposed) continue;
    const own = t.backend;
    if (!ASYNC_ONLY.has(own.name)) continue;
    const values = await own.read(t.dataId);
    const host = await onHost(() => fromStorage(values, t.shape, t.dtype, 'syncToHost'));
    t.assign(host);
    host.dispose();
  }
}

/**
 * Moves tensors stored on another backend (the host) to the active one, in place, so that
 * kernels do not upload them again at every use. A no-op where they are already there.
 */
export function moveToActive(tensors: Iterable<Tensor>): void {
  const active = getBackendName();
  for (const t of tensors) {
    if (t.isDisposed || t.backend.name === active) continue;
    const moved = fromStorage(t.backend.readSync(t.dataId), t.shape, t.dtype, 'moveToActive');
    t.assign(moved);
    moved.dispose();
  }
}

/** `moveToActive` for a new tensor: the same values on the active backend (or `t` itself). */
export function onActive(t: Tensor): Tensor {
  if (t.backend.name === getBackendName()) return t;
  return fromStorage(t.backend.readSync(t.dataId), t.shape, t.dtype, 'onActive');
}
