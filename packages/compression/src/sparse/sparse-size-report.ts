import type { Module } from '@mapnn/layers';
import { csrBytes } from './csr.js';
import { deployableState, plan, type SparseEncodeOptions } from './deployable-state.js';

/** One tensor of a sparse checkpoint and what storing it costs. */
export interface SparseSizeRow {
  name: string;
  shape: number[];
  storage: 'csr' | 'dense';
  /** Bytes as a dense tensor. */
  denseBytes: number;
  /** Bytes as stored (the CSR arrays, or the dense bytes). */
  storedBytes: number;
}

export interface SparseSizeReport {
  rows: SparseSizeRow[];
  denseBytes: number;
  storedBytes: number;
  /** denseBytes / storedBytes. */
  ratio: number;
  table: string;
}

/** What `encodeSparseSafetensors` would store for `model`: bytes per tensor, dense against stored. */
export function sparseSizeReport(model: Module<any, any>, options: SparseEncodeOptions = {}): SparseSizeReport {
  const state = deployableState(model);
  const csr = plan(state, options);
  const rows = Object.entries(state).map(([name, e]) => {
    const denseBytes = e.data.byteLength;
    const m = csr.get(name);
    return { name, shape: e.shape, storage: m ? ('csr' as const) : ('dense' as const), denseBytes, storedBytes: m ? csrBytes(m) : denseBytes };
  });
  const denseBytes = rows.reduce((s, r) => s + r.denseBytes, 0);
  const storedBytes = rows.reduce((s, r) => s + r.storedBytes, 0);
  const ratio = storedBytes ? denseBytes / storedBytes : 1;
  const table = [
    ...rows.map((r) => `${r.name.padEnd(28)} ${r.storage.padEnd(5)} ${String(r.denseBytes).padStart(10)} → ${String(r.storedBytes).padStart(10)} B`),
    `${'total'.padEnd(34)} ${String(denseBytes).padStart(10)} → ${String(storedBytes).padStart(10)} B (${ratio.toFixed(2)}× smaller)`,
  ].join('\n');
  return { rows, denseBytes, storedBytes, ratio, table };
}
