import type { Tensor } from '@mapnn/core';
import { isParameter, type Module } from '@mapnn/layers';
import { isPruned } from './masked-parameter.js';

/** Zeros of one weight. */
export interface SparsityRow {
  /** Dotted parameter name as the unpruned model's state dict has it (`features.0.weight`). */
  name: string;
  /** Class of the module that owns it. */
  type: string;
  zeros: number;
  total: number;
  /** zeros / total. */
  fraction: number;
}

export interface SparsityReport {
  layers: SparsityRow[];
  /** Over all the rows together. */
  global: { zeros: number; total: number; fraction: number };
  table: string;
}

/** One weight of a module as the forward pass sees it: its values (masked where pruned). */
export interface WeightView {
  module: Module<any, any>;
  prefix: string;
  name: string;
  pruned: boolean;
  values: () => ArrayLike<number>;
}

/**
 * The weights worth reporting: every pruned parameter, and every unpruned parameter of two or
 * more dimensions (Linear, Conv, Embedding and recurrent weight matrices; biases and norm
 * scales are left out, as pruning leaves them alone).
 */
export function reportedWeights(model: Module<any, any>): WeightView[] {
  const out: WeightView[] = [];
  for (const [prefix, m] of model.namedModules()) {
    const own = m as unknown as Record<string, Tensor>;
    for (const key of Object.keys(m)) {
      if (key.endsWith('_orig') && isPruned(m, key.slice(0, -5))) {
        const name = key.slice(0, -5);
        out.push({ module: m, prefix, name, pruned: true, values: () => maskedValues(own[key]!, own[`${name}_mask`]!) });
      } else if (isParameter(own[key]) && own[key]!.shape.length >= 2 && !key.endsWith('_orig')) {
        out.push({ module: m, prefix, name: key, pruned: false, values: () => own[key]!.dataSync() });
      }
    }
  }
  return out;
}

function maskedValues(orig: Tensor, mask: Tensor): Float64Array {
  const w = orig.dataSync();
  const k = mask.dataSync();
  const out = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) out[i] = k[i] !== 0 ? w[i]! : 0;
  return out;
}

const countZeros = (v: ArrayLike<number>) => {
  let z = 0;
  for (let i = 0; i < v.length; i++) if (v[i] === 0) z++;
  return z;
};

/**
 * Per-layer and global sparsity of `model`'s weights (see `reportedWeights`): zeros — masked
 * or exactly 0 — out of the total, as the forward pass sees them.
 *
 * @example sparsityReport(model).global.fraction // 0.9 after pruning 90 %
 */
export function sparsityReport(model: Module<any, any>): SparsityReport {
  const layers = reportedWeights(model).map((w) => {
    const v = w.values();
    const zeros = countZeros(v);
    return { name: w.prefix ? `${w.prefix}.${w.name}` : w.name, type: w.module.constructor.name, zeros, total: v.length, fraction: v.length ? zeros / v.length : 0 };
  });
  const zeros = layers.reduce((s, r) => s + r.zeros, 0);
  const total = layers.reduce((s, r) => s + r.total, 0);
  const global = { zeros, total, fraction: total ? zeros / total : 0 };
  return { layers, global, table: formatTable(layers, global) };
}

function formatTable(rows: SparsityRow[], global: SparsityReport['global']): string {
  const cells = [...rows.map((r) => [`${r.name} (${r.type})`, `${r.zeros}`, `${r.total}`, pct(r.fraction)]), ['global', `${global.zeros}`, `${global.total}`, pct(global.fraction)]];
  const head = ['weight', 'zeros', 'total', 'sparsity'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
  return [line(head), ...cells.map(line)].join('\n');
}

const pct = (f: number) => `${(100 * f).toFixed(2)} %`;
