/**
 * Layout of the wasm linear memory:
 *
 *   [0, heapBase)            static data of the kernel module
 *   CONTROL   (1 KiB)        thread-pool control words (see pool-protocol.ts)
 *   ARGS      (64 KiB)       kernel arguments: 64 f64 slots, then int32 arrays (plans, indices)
 *   STATE     (64 × 4 KiB)   per-thread kernel scratch (odometers, small accumulators)
 *   heap                     tensors and packing buffers, managed by the Allocator
 */
export const CONTROL_BYTES = 1024;
export const ARG_SLOTS = 64;
export const ARGS_BYTES = 64 * 1024;
/** Per-thread state size; must match THREAD_STATE_BYTES in assembly/common.ts. */
export const THREAD_STATE_BYTES = 4096;
/** Most threads (main included) one backend uses. */
export const MAX_THREADS = 64;

export interface MemoryLayout {
  control: number;
  args: number;
  /** First byte of the int32 argument area (after the f64 slots). */
  argInts: number;
  argIntsEnd: number;
  state: number;
  heap: number;
}

const align = (n: number, a: number) => Math.ceil(n / a) * a;

export function memoryLayout(heapBase: number): MemoryLayout {
  const control = align(heapBase, 64);
  const args = control + CONTROL_BYTES;
  const argInts = args + ARG_SLOTS * 8;
  const argIntsEnd = args + ARGS_BYTES;
  const state = argIntsEnd;
  const heap = state + MAX_THREADS * THREAD_STATE_BYTES;
  return { control, args, argInts, argIntsEnd, state, heap };
}
