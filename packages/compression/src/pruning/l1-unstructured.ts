import type { Module } from '@mapnn/layers';
import { entriesToPrune, type PruneAmount } from './amount.js';
import { countUnpruned, l1Mask } from './l1-mask.js';
import { currentMask, prunableParameter, setMask, typeOf } from './masked-parameter.js';

export interface L1UnstructuredOptions extends PruneAmount {
  /** The parameter to prune (default 'weight'). */
  name?: string;
}

/**
 * Unstructured L1 magnitude pruning of one module's parameter (`torch.nn.utils.prune.l1_unstructured`):
 * the `amount` fraction (or `count`) of its still-unpruned entries with the smallest |value|
 * are masked out. Pruning a pruned module again prunes that share of what remains, as
 * PyTorch's `PruningContainer`. Returns the module.
 *
 * @example l1Unstructured(model.fc1, { amount: 0.5 }); // half of fc1.weight becomes 0
 */
export function l1Unstructured<M extends Module<any, any>>(module: M, options: L1UnstructuredOptions): M {
  const name = options.name ?? 'weight';
  const fn = `l1Unstructured(${typeOf(module)}.${name})`;
  const orig = prunableParameter(module, name, 'l1Unstructured');
  const mask = currentMask(module, name, orig.size);
  const k = entriesToPrune(options, countUnpruned(mask), fn);
  setMask(module, name, l1Mask(orig.dataSync(), mask, k));
  return module;
}
