import { isTensor, noGrad, tidy, zeros, type Tensor } from '@mapnn/core';

/**
 * What `summary` needs of a model: a `Module` is one. Kept structural so that this file does not
 * import module.ts (whose `Module.summary()` imports this one).
 */
export interface SummaryTarget {
  training: boolean;
  // any[]: a Module<I, O> of any input tuple I fits
  call(...inputs: any[]): unknown;
  eval(): unknown;
  children(): SummaryTarget[];
  namedModules(): [string, SummaryTarget][];
  parameters(): Tensor[];
  registerForwardHook(fn: (module: SummaryTarget, inputs: unknown[], output: unknown) => void): { remove(): void };
}

/** One row of a model summary: a leaf module (or a module with parameters of its own) call. */
export interface SummaryRow {
  /** Dotted module name ('' is the model itself). */
  name: string;
  /** Class name (`Conv2d`, `ReLU`, …). */
  type: string;
  /** Output shape(s) of this call; several for modules returning tuples/arrays. */
  outputShape: number[][];
  /** Parameter elements owned by this module (0 on repeated calls of a shared module). */
  params: number;
}

export interface ModelSummary {
  rows: SummaryRow[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  /** The Keras-like table. */
  table: string;
  toString(): string;
}

/** A sample input: a tensor, several tensors, or a shape (a zero tensor of that shape, batch dim included). */
export type SampleInput = Tensor | readonly Tensor[] | readonly number[];

function outputShapes(out: unknown, acc: number[][] = []): number[][] {
  if (isTensor(out)) acc.push([...out.shape]);
  else if (Array.isArray(out)) for (const o of out) outputShapes(o, acc);
  else if (out && typeof out === 'object' && Object.getPrototypeOf(out) === Object.prototype) {
    for (const o of Object.values(out)) outputShapes(o, acc);
  }
  return acc;
}

const fmtShapes = (s: number[][]) => (s.length ? s.map((x) => `[${x.join(', ')}]`).join(', ') : '-');
const fmtInt = (n: number) => n.toLocaleString('en-US');

/**
 * Summarises `model` as a Keras-like table: one row per call of each leaf module (and of each
 * module that owns parameters directly), with its name and type, output shape and parameter
 * count, then total / trainable / non-trainable parameter counts. Output shapes come from one
 * forward pass on `sample` (a tensor, tensors, or a shape of zeros incl. the batch dim), run in
 * eval mode (so batch norm statistics are not touched) under `noGrad`, with temporary forward
 * hooks that are removed afterwards; every tensor it makes is freed.
 *
 * @example
 * const s = summary(model, [1, 1, 8, 8]);
 * console.log(s.table);
 * s.totalParams // e.g. 1_234
 */
export function summary(model: SummaryTarget, sample: SampleInput): ModelSummary {
  const rows: SummaryRow[] = [];
  const counted = new Set<SummaryTarget>();
  const handles: { remove(): void }[] = [];
  const directParams = (m: SummaryTarget) => {
    const childParams = new Set(m.children().flatMap((c) => c.parameters()));
    return m.parameters().filter((p) => !childParams.has(p));
  };
  const named = model.namedModules();
  for (const [name, m] of named) {
    const isLeaf = m.children().length === 0;
    if (!isLeaf && directParams(m).length === 0) continue;
    handles.push(
      m.registerForwardHook((mod, _inputs, out) => {
        const first = !counted.has(mod);
        counted.add(mod);
        rows.push({
          name,
          type: mod.constructor.name,
          outputShape: outputShapes(out),
          params: first ? directParams(mod).reduce((s, p) => s + p.size, 0) : 0,
        });
      }),
    );
  }
  const modes = named.map(([, m]) => [m, m.training] as const);
  model.eval();
  try {
    tidy(() =>
      noGrad(() => {
        let inputs: Tensor[];
        if (isTensor(sample)) inputs = [sample];
        else if (sample.length > 0 && isTensor(sample[0])) inputs = [...(sample as readonly Tensor[])];
        else inputs = [zeros([...(sample as readonly number[])])];
        model.call(...inputs);
      }),
    );
  } finally {
    for (const h of handles) h.remove();
    for (const [m, t] of modes) m.training = t;
  }
  // Modules with parameters that the forward pass never reached still count in the totals.
  for (const [name, m] of named) {
    if (counted.has(m)) continue;
    const own = m.children().length === 0 ? m.parameters() : directParams(m);
    if (own.length === 0) continue;
    rows.push({ name, type: m.constructor.name, outputShape: [], params: own.reduce((s, p) => s + p.size, 0) });
  }
  const params = model.parameters();
  const totalParams = params.reduce((s, p) => s + p.size, 0);
  const trainableParams = params.filter((p) => p.requiresGrad).reduce((s, p) => s + p.size, 0);
  const nonTrainableParams = totalParams - trainableParams;

  const header = ['Layer (type)', 'Output Shape', 'Param #'];
  const body = rows.map((r) => [`${r.name || '(model)'} (${r.type})`, fmtShapes(r.outputShape), fmtInt(r.params)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('   ').trimEnd();
  const total = widths.reduce((a, b) => a + b, 0) + 6;
  const title = `Model: "${model.constructor.name}"`;
  const table = [
    title,
    '─'.repeat(total),
    line(header),
    '═'.repeat(total),
    ...body.map(line),
    '═'.repeat(total),
    `Total params: ${fmtInt(totalParams)}`,
    `Trainable params: ${fmtInt(trainableParams)}`,
    `Non-trainable params: ${fmtInt(nonTrainableParams)}`,
    '─'.repeat(total),
  ].join('\n');
  return { rows, totalParams, trainableParams, nonTrainableParams, table, toString: () => table };
}
