/** Diagnostics for the thread-pool tests. */
import { argP } from './common';

/** probe(out): out[tid] += 1 (int32) — counts how often each thread ran a share. */
export function probe(args: usize, tid: i32, nt: i32): void {
  const p = argP(args, 0) + (<usize>tid << 2);
  store<i32>(p, load<i32>(p) + 1);
}
