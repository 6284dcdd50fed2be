import { engine } from '../engine.js';
import type { Tensor } from '../tensor.js';

export interface MemoryInfo {
  /** Live (not disposed) tensors, views included. */
  numTensors: number;
  /** Bytes of live storage (shared storage counted once). */
  numBytes: number;
  /** Per backend: live tensors, bytes, and the backend's own report. */
  backends: Record<string, { numTensors: number; numBytes: number; [k: string]: unknown }>;
}

/** Live tensors and bytes, in total and per backend. */
export function memory(): MemoryInfo {
  const backends: MemoryInfo['backends'] = {};
  for (const [name, b] of engine.instances) {
    backends[name] = { ...b.memory(), numTensors: 0, numBytes: engine.bytesByBackend.get(name) ?? 0 };
  }
  for (const t of engine.live) {
    const entry = (backends[t.backendName] ??= { numTensors: 0, numBytes: 0 });
    entry.numTensors++;
  }
  let numBytes = 0;
  for (const v of engine.bytesByBackend.values()) numBytes += v;
  return { numTensors: engine.live.size, numBytes, backends };
}

/**
 * Leak debugging. `setDebugLeaks(true)` records where each tensor is created;
 * `const check = leakCheck(); …; check()` returns the tensors created since the mark that are
 * still alive, with their creation stacks.
 */
export function setDebugLeaks(on: boolean): void {
  engine.debugLeaks = on;
}

export interface LeakReport {
  count: number;
  tensors: { id: number; shape: readonly number[]; dtype: string; op: string; stack?: string }[];
  toString(): string;
}

export function leakCheck(): () => LeakReport {
  const mark = engine.nextId;
  return () => {
    const leaked = [...engine.live].filter((t) => t.id >= mark) as unknown as Tensor[];
    const tensors = leaked.map((t) => ({ id: t.id, shape: t.shape, dtype: t.dtype, op: t.opName, stack: t.creationStack }));
    return {
      count: tensors.length,
      tensors,
      toString() {
        return tensors.length === 0
          ? 'no leaked tensors'
          : `${tensors.length} leaked tensor(s):\n` +
              tensors.map((t) => `  #${t.id} [${t.shape.join(',')}] ${t.dtype} from '${t.op}'${t.stack ? `\n${t.stack}` : ''}`).join('\n');
      },
    };
  };
}
