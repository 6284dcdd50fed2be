import type { Module } from '@mapnn/layers';
import { sparsityReport } from '@mapnn/compression';
import type { Split } from '../data-sources/types.js';
import type { ModelConfig } from '../models/spec.js';
import { bytes, int, pct, table } from '../output/table.js';
import { evaluateModel } from '../training/evaluate.js';

/** What the compress table compares, before and after. */
export interface ModelFigures {
  parameters: number;
  /** Weight matrices / kernels only (what pruning acts on): zeros / total. */
  sparsity: number;
  /** Bytes of the ONNX file (float32 for the original). */
  onnxBytes: number;
  /** Bytes of the model.safetensors checkpoint (dense float32 for the original), when one is written. */
  checkpointBytes: number | null;
  /** Held-out accuracy (classification) or RMSE (regression); null without data. */
  score: number | null;
}

export const countParameters = (m: Module<any, any>): number => m.parameters().reduce((s, p) => s + p.size, 0);

export function sparsityOf(m: Module<any, any>): number {
  try {
    return sparsityReport(m).global.fraction;
  } catch {
    return 0;
  }
}

/** Held-out accuracy (or RMSE) of `model` on `split`. */
export async function scoreOf(model: Module<any, any>, split: Split | null, config: ModelConfig): Promise<number | null> {
  if (!split) return null;
  const m = await evaluateModel(model, split, config);
  return m.task === 'classification' ? m.accuracy : m.rmse;
}

const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '—');

/** The before/after table (parameters, bytes, sparsity, held-out score). */
export function figuresTable(before: ModelFigures, after: ModelFigures, task: ModelConfig['task']): string {
  const rows: (string | number)[][] = [
    ['parameters', int(before.parameters), int(after.parameters), ratio(before.parameters, after.parameters)],
    ['ONNX bytes', bytes(before.onnxBytes), bytes(after.onnxBytes), ratio(before.onnxBytes, after.onnxBytes)],
  ];
  if (after.checkpointBytes !== null && before.checkpointBytes !== null) {
    rows.push(['checkpoint bytes', bytes(before.checkpointBytes), bytes(after.checkpointBytes), ratio(before.checkpointBytes, after.checkpointBytes)]);
  }
  rows.push(['sparsity', pct(before.sparsity), pct(after.sparsity), '']);
  if (before.score !== null && after.score !== null) {
    const name = task === 'classification' ? 'accuracy (held out)' : 'RMSE (held out)';
    const show = (v: number) => (task === 'classification' ? pct(v) : v.toPrecision(4));
    const delta = task === 'classification' ? `${((after.score - before.score) * 100).toFixed(2)} pt` : (after.score - before.score).toPrecision(3);
    rows.push([name, show(before.score), show(after.score), delta]);
  }
  return table(['', 'before', 'after', 'change'], rows, '  ');
}
