import { isTensor, noGrad, zeros, type Tensor } from '@mapnn/core';
import { Conv2d, type Module } from '@mapnn/layers';
import { roundHalfEven } from '../pruning/amount.js';
import { isPruned } from '../pruning/masked-parameter.js';
import { channelGroups, type ChannelGroup, type InputShapes } from './channel-groups.js';
import { channelImportance, channelsToKeep, type ChannelNorm } from './channel-importance.js';
import { shrinkGroup } from './shrink-layers.js';

export interface PruneChannelsOptions {
  /** Fraction of the channels of each prunable group to remove, in [0, 1) (at least one channel is kept). */
  amount: number;
  /** Norm that ranks the channels by their weight rows (default 'l2', as `ln_structured(n=2)`). */
  norm?: ChannelNorm;
  /** An input (or its shape, e.g. [1, 1, 28, 28]) for one forward pass that sizes Flatten blocks and checks the result. */
  exampleInput: Tensor | readonly number[];
  /** Which groups to prune: those made by convolutions, by Linear layers, or both (default 'all'). */
  layers?: 'conv' | 'linear' | 'all';
}

export interface ChannelPruningRow {
  /** Producer layers of the group (several for a residual sum). */
  layers: string[];
  before: number;
  after: number;
}

export interface ChannelPruningReport {
  groups: ChannelPruningRow[];
  parametersBefore: number;
  parametersAfter: number;
  /** parametersBefore / parametersAfter. */
  ratio: number;
  table: string;
}

/** A plan: the groups found in the model and the channels each keeps. */
export interface ChannelPruningPlan {
  groups: { group: ChannelGroup; keep: number[] }[];
}

const countParameters = (m: Module<any, any>): number => m.parameters().reduce((s, p) => s + p.size, 0);

/** Runs `model` once on `input` in eval mode, recording each module's input shape. */
function traceShapes(model: Module<any, any>, input: Tensor): InputShapes {
  const shapes: InputShapes = new Map();
  const hooks = model.modules().map((m) => m.registerForwardHook((mod, inputs) => {
    if (isTensor(inputs[0])) shapes.set(mod, [...inputs[0].shape]);
  }));
  const wasTraining = model.training;
  model.eval();
  try {
    noGrad(() => model.call(input));
  } finally {
    hooks.forEach((h) => h.remove());
    model.train(wasTraining);
  }
  return shapes;
}

const asInput = (x: Tensor | readonly number[]): Tensor => (isTensor(x) ? x : zeros([...x]));

function checkOptions(model: Module<any, any>, o: PruneChannelsOptions): void {
  if (typeof o.amount !== 'number' || !(o.amount >= 0 && o.amount < 1)) throw new RangeError(`pruneChannels: amount must be a fraction in [0, 1), got ${String(o.amount)}`);
  if (o.norm !== undefined && o.norm !== 'l1' && o.norm !== 'l2') throw new Error(`pruneChannels: norm must be 'l1' or 'l2', got '${String(o.norm)}'`);
  if (!o.exampleInput) throw new Error('pruneChannels: exampleInput (a tensor or a shape such as [1, 1, 28, 28]) is required');
  for (const [name, m] of model.namedModules()) {
    if (isPruned(m, 'weight')) throw new Error(`pruneChannels: layer '${name}' (${m.constructor.name}) holds an unstructured pruning mask; call removePruning(model) first`);
  }
}

const wanted = (g: ChannelGroup, layers: PruneChannelsOptions['layers']): boolean =>
  layers === 'conv' ? g.producers.every((p) => p.module instanceof Conv2d) : layers === 'linear' ? g.producers.every((p) => !(p.module instanceof Conv2d)) : true;

/**
 * Which channels `pruneChannels` would keep, without changing the model: every group that is
 * neither the model's input nor its output loses round-half-even(amount · channels) of its
 * lowest-norm channels (at least one is kept).
 */
export function planChannelPruning(model: Module<any, any>, options: PruneChannelsOptions): ChannelPruningPlan {
  checkOptions(model, options);
  const input = asInput(options.exampleInput);
  const shapes = traceShapes(model, input);
  if (!isTensor(options.exampleInput)) input.dispose();
  const groups = channelGroups(model, shapes.get(model)?.[1] ?? 0, shapes)
    .filter((g) => !g.fixed && g.producers.length > 0 && wanted(g, options.layers ?? 'all'))
    .map((group) => {
      const remove = Math.min(group.size - 1, roundHalfEven(options.amount * group.size));
      return { group, keep: channelsToKeep(channelImportance(group, options.norm ?? 'l2'), remove) };
    });
  return { groups };
}

function formatTable(rows: ChannelPruningRow[], before: number, after: number): string {
  const width = Math.max(6, ...rows.map((r) => r.layers.join(' + ').length));
  const lines = [`${'layers'.padEnd(width)}  channels`];
  for (const r of rows) lines.push(`${r.layers.join(' + ').padEnd(width)}  ${r.before} → ${r.after}`);
  lines.push(`parameters ${before} → ${after} (${(before / after).toFixed(2)}× fewer)`);
  return lines.join('\n');
}

/**
 * Structured pruning that removes channels physically (as torch-pruning does, ranking like
 * `torch.nn.utils.prune.ln_structured`): the lowest-norm output channels of each Conv2d and
 * hidden Linear are deleted from its weight and bias, from the BatchNorms after it (weight,
 * bias, running stats) and from the input dim of the layers that read them (a Flatten's
 * column blocks included); the two sides of a residual sum are pruned together. The model's
 * input and output keep their sizes. Create optimizers after pruning (the parameters are new
 * tensors). Unsupported layers are refused by name before anything changes.
 *
 * @example
 * const report = pruneChannels(model, { amount: 0.5, norm: 'l2', exampleInput: [1, 1, 28, 28] });
 * console.log(report.table);
 */
export function pruneChannels(model: Module<any, any>, options: PruneChannelsOptions): ChannelPruningReport {
  const parametersBefore = countParameters(model);
  const plan = planChannelPruning(model, options);
  const groups = plan.groups.map(({ group, keep }) => {
    const row = { layers: group.producers.map((p) => p.name), before: group.size, after: keep.length };
    shrinkGroup(group, keep);
    return row;
  });
  const parametersAfter = countParameters(model);
  return { groups, parametersBefore, parametersAfter, ratio: parametersBefore / parametersAfter, table: formatTable(groups, parametersBefore, parametersAfter) };
}
