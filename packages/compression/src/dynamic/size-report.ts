import type { Module } from '@mapnn/layers';

/** Bytes of one module's own tensors (parameters and buffers) before and after quantization. */
export interface QuantizedSizeRow {
  path: string;
  before: number;
  after: number;
}

export interface QuantizedSizeReport {
  rows: QuantizedSizeRow[];
  before: number;
  after: number;
  /** before / after */
  ratio: number;
  table: string;
}

const BYTES: Record<string, number> = { float32: 4, float16: 2, int32: 4, int64: 8, int8: 1, uint8: 1, bool: 1, float64: 8 };

/** Bytes of the tensors a module holds itself (not its children's). */
function ownBytes(m: Module<any, any>): number {
  const own = (list: [string, { size: number; dtype: string }][]) => list.filter(([n]) => !n.includes('.')).reduce((s, [, t]) => s + t.size * (BYTES[t.dtype] ?? 4), 0);
  return own(m.namedParameters()) + own(m.namedBuffers().filter(([n]) => !m.namedParameters().some(([p]) => p === n)));
}

/**
 * The storage of a float model and its quantized version (e.g. from `quantizeDynamic`), per
 * module path present in either and in total: bytes of every parameter and buffer at its dtype
 * (int8 weights 1 byte, float32 scales and biases 4).
 *
 * @example console.log(quantizedSizeReport(model, quantizeDynamic(model)).table);
 */
export function quantizedSizeReport(before: Module<any, any>, after: Module<any, any>): QuantizedSizeReport {
  const a = new Map(before.namedModules().map(([p, m]) => [p, ownBytes(m)]));
  const b = new Map(after.namedModules().map(([p, m]) => [p, ownBytes(m)]));
  const paths = [...new Set([...a.keys(), ...b.keys()])].filter((p) => (a.get(p) ?? 0) + (b.get(p) ?? 0) > 0);
  const rows = paths.map((path) => ({ path: path || '(root)', before: a.get(path) ?? 0, after: b.get(path) ?? 0 }));
  const tb = rows.reduce((s, r) => s + r.before, 0);
  const ta = rows.reduce((s, r) => s + r.after, 0);
  const lines = ['module'.padEnd(24) + 'before (B)'.padStart(14) + 'after (B)'.padStart(14), ...rows.map((r) => r.path.padEnd(24) + String(r.before).padStart(14) + String(r.after).padStart(14))];
  lines.push('total'.padEnd(24) + String(tb).padStart(14) + String(ta).padStart(14) + `   ${(tb / Math.max(ta, 1)).toFixed(2)}× smaller`);
  return { rows, before: tb, after: ta, ratio: tb / Math.max(ta, 1), table: lines.join('\n') };
}
