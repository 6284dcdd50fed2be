import { isTensor, noGrad, tidy, zeros, type Tensor } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import { reportedWeights } from '../pruning/sparsity-report.js';
import { energyOf, HOROWITZ_45NM, type CostTable, type Energy, type Precision } from './costs.js';
import { countOps } from './layer-ops.js';

/** One module call in a profile. */
export interface ProfileRow {
  name: string;
  type: string;
  inputShape: number[];
  outputShape: number[];
  macs: number;
  mults: number;
  adds: number;
  /** Parameter elements the module owns (a pruned weight counts at its dense size; 0 on repeated calls). */
  params: number;
  /** Bytes of its parameters and buffers (masks excluded) at the profile's precision; 0 on repeated calls. */
  weightBytes: number;
  /** Bytes of its output. */
  activationBytes: number;
  energy: Energy;
  /** False when mapnn has no counting rule for this type (its arithmetic then counts as 0). */
  counted: boolean;
}

export interface ModelProfile {
  rows: ProfileRow[];
  total: Omit<ProfileRow, 'name' | 'type' | 'inputShape' | 'outputShape' | 'counted'>;
  precision: Precision;
  table: string;
}

export interface ProfileOptions {
  /** 'fp32' (default): 4-byte values, fp32 arithmetic; 'int8': 1-byte weights and activations, int8 arithmetic. */
  precision?: Precision;
  /**
   * Count only the MACs of nonzero weights and store pruned weights as CSR (values plus int32
   * column indices and row pointers), as a sparse accelerator (EIE) would; default false.
   */
  sparse?: boolean;
  /** Energy per operation (default `HOROWITZ_45NM`). */
  costs?: CostTable;
}

const shapeOf = (x: unknown): number[] => (isTensor(x) ? [...x.shape] : Array.isArray(x) && x.length ? shapeOf(x[0]) : []);
const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Nonzero fraction of each module's weight, and its CSR bytes at `valueBytes` a value. */
function sparseWeights(model: Module<any, any>, valueBytes: number): Map<Module<any, any>, { density: number; denseBytes: number; csrBytes: number }> {
  const out = new Map<Module<any, any>, { density: number; denseBytes: number; csrBytes: number }>();
  for (const w of reportedWeights(model)) {
    if (w.name !== 'weight') continue;
    const v = w.values();
    let nnz = 0;
    for (let i = 0; i < v.length; i++) if (v[i] !== 0) nnz++;
    const rows = (w.module as unknown as Record<string, Tensor>)[w.pruned ? 'weight_orig' : 'weight']!.shape[0]!;
    out.set(w.module, { density: v.length ? nnz / v.length : 1, denseBytes: v.length * valueBytes, csrBytes: nnz * (valueBytes + 4) + (rows + 1) * 4 });
  }
  return out;
}

/** Direct parameters and non-mask buffers of `m` (not its children's). */
function ownTensors(m: Module<any, any>): { params: Tensor[]; buffers: Tensor[] } {
  const kids = new Set(m.children().flatMap((c) => [...c.parameters(), ...c.buffers()]));
  const masks = new Set(Object.entries(m).filter(([k]) => k.endsWith('_mask')).map(([, v]) => v));
  return { params: m.parameters().filter((p) => !kids.has(p)), buffers: m.buffers().filter((b) => !kids.has(b) && !masks.has(b)) };
}

/**
 * Profiles one forward pass of `model` on `input` (a tensor, or a shape of zeros with the batch
 * dim): per module call its MACs, multiplies and adds (see `countOps`), parameters, weight and
 * activation bytes, and an energy estimate from Horowitz (2014) 45 nm costs (see `energyOf`
 * and the README's cost model). Runs in eval mode under `noGrad` with temporary forward hooks
 * on every leaf module (and every module that owns parameters), like `summary`.
 *
 * @example console.log(profile(model, [1, 1, 28, 28]).table);
 */
export function profile(model: Module<any, any>, input: Tensor | readonly number[], options: ProfileOptions = {}): ModelProfile {
  const precision = options.precision ?? 'fp32';
  const bytes = precision === 'int8' ? 1 : 4;
  const costs = options.costs ?? HOROWITZ_45NM;
  const sparse = options.sparse ? sparseWeights(model, bytes) : null;
  const rows: ProfileRow[] = [];
  const seen = new Set<Module<any, any>>();
  const handles: { remove(): void }[] = [];
  const named = model.namedModules();
  for (const [name, m] of named) {
    const own = ownTensors(m);
    if (m.children().length && !own.params.length) continue;
    handles.push(m.registerForwardHook((mod, inputs, out) => {
      const first = !seen.has(mod);
      seen.add(mod);
      const inputShape = shapeOf(inputs[0]);
      const outputShape = shapeOf(out);
      const count = countOps(mod, inputs.filter(isTensor).map((t) => [...(t as Tensor).shape]), outputShape);
      const s = sparse?.get(mod);
      const macs = s ? Math.round(count.macs * s.density) : count.macs;
      const cut = count.macs - macs;
      const params = first ? own.params.reduce((a, p) => a + p.size, 0) : 0;
      const dense = [...own.params, ...own.buffers].reduce((a, t) => a + t.size, 0) * bytes;
      const weightBytes = first ? (s ? dense - s.denseBytes + s.csrBytes : dense) : 0;
      const activationBytes = prod(outputShape) * bytes;
      const mults = count.mults - cut;
      const adds = count.adds - cut;
      const energy = energyOf({ mults, adds, weightBytes, activationBytesIn: prod(inputShape) * bytes, activationBytesOut: activationBytes }, precision, costs);
      rows.push({ name, type: mod.constructor.name, inputShape, outputShape, macs, mults, adds, params, weightBytes, activationBytes, energy, counted: count.counted });
    }));
  }
  const modes = named.map(([, m]) => [m, m.training] as const);
  model.eval();
  try {
    tidy(() => noGrad(() => void model.call(isTensor(input) ? input : zeros([...(input as readonly number[])]))));
  } finally {
    for (const h of handles) h.remove();
    for (const [m, t] of modes) m.training = t;
  }
  const total = sumRows(rows);
  return { rows, total, precision, table: formatProfile(rows, total) };
}

function sumRows(rows: ProfileRow[]): ModelProfile['total'] {
  const sum = (f: (r: ProfileRow) => number) => rows.reduce((a, r) => a + f(r), 0);
  return {
    macs: sum((r) => r.macs),
    mults: sum((r) => r.mults),
    adds: sum((r) => r.adds),
    params: sum((r) => r.params),
    weightBytes: sum((r) => r.weightBytes),
    activationBytes: sum((r) => r.activationBytes),
    energy: {
      compute: sum((r) => r.energy.compute),
      weights: sum((r) => r.energy.weights),
      activations: sum((r) => r.energy.activations),
      total: sum((r) => r.energy.total),
    },
  };
}

const int = (n: number) => n.toLocaleString('en-US');
const micro = (pj: number) => (pj / 1e6).toFixed(3);

function formatProfile(rows: ProfileRow[], total: ModelProfile['total']): string {
  const head = ['layer (type)', 'output', 'MACs', 'params', 'weight B', 'act. B', 'energy µJ'];
  const body = rows.map((r) => [`${r.name || '(model)'} (${r.type})${r.counted ? '' : ' *'}`, `[${r.outputShape.join(', ')}]`, int(r.macs), int(r.params), int(r.weightBytes), int(r.activationBytes), micro(r.energy.total)]);
  body.push(['total', '', int(total.macs), int(total.params), int(total.weightBytes), int(total.activationBytes), micro(total.energy.total)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i < 2 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ').trimEnd();
  const lines = [line(head), ...body.map(line)];
  if (rows.some((r) => !r.counted)) lines.push('* no counting rule for this type: its arithmetic counts as 0');
  return lines.join('\n');
}
