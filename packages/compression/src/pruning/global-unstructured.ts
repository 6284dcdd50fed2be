import type { Module } from '@mapnn/layers';
import { entriesToPrune, type PruneAmount } from './amount.js';
import { countUnpruned, l1Mask } from './l1-mask.js';
import { currentMask, prunableParameter, setMask } from './masked-parameter.js';

/** One parameter to prune: a module and its parameter's name (default 'weight'). */
export type PruneTarget = Module<any, any> | readonly [Module<any, any>, string];

/** `[module, name]` of a target. */
export const targetOf = (t: PruneTarget): [Module<any, any>, string] => (Array.isArray(t) ? [t[0], t[1]] : [t as Module<any, any>, 'weight']);

/**
 * Global unstructured L1 pruning (`torch.nn.utils.prune.global_unstructured` with
 * `L1Unstructured`): the parameters of all `targets` are ranked together by |value| and the
 * `amount` fraction (or `count`) of their still-unpruned entries with the smallest magnitude
 * are masked out, so layers lose different shares. Already pruned entries count as magnitude
 * 0 and stay pruned. Ties go to the earlier target and lower index.
 *
 * @example globalUnstructured([model.conv1, model.fc1, [model.fc2, 'weight']], { amount: 0.8 });
 */
export function globalUnstructured(targets: readonly PruneTarget[], options: PruneAmount): void {
  if (!targets.length) throw new TypeError('globalUnstructured: no modules given to prune');
  const parts = targets.map((t, i) => {
    const [module, name] = targetOf(t);
    const orig = prunableParameter(module, name, 'globalUnstructured', `target ${i} (${module.constructor.name}.${name})`);
    return { module, name, values: orig.dataSync(), mask: currentMask(module, name, orig.size) };
  });
  const total = parts.reduce((s, p) => s + p.values.length, 0);
  const scores = new Float64Array(total);
  const mask = new Float32Array(total);
  let at = 0;
  for (const p of parts) {
    scores.set(p.values, at);
    mask.set(p.mask, at);
    at += p.values.length;
  }
  const k = entriesToPrune(options, countUnpruned(mask), 'globalUnstructured');
  const next = l1Mask(scores, mask, k);
  at = 0;
  for (const p of parts) {
    setMask(p.module, p.name, next.subarray(at, at + p.values.length).slice());
    at += p.values.length;
  }
}
