import type { Module } from '@mapnn/layers';
import { bakeMask } from './masked-parameter.js';

/**
 * Makes every pruning in `model` permanent (PyTorch's `prune.remove` on each pruned
 * parameter): each `<name>` is an ordinary parameter again, holding zeros where it was masked,
 * and the `<name>_orig` / `<name>_mask` entries leave the state dict. Returns the names of
 * the parameters baked (`'fc1.weight'`, …).
 */
export function removePruning(model: Module<any, any>): string[] {
  const baked: string[] = [];
  for (const [prefix, m] of model.namedModules()) {
    for (const key of Object.keys(m)) {
      if (!key.endsWith('_mask')) continue;
      const name = key.slice(0, -'_mask'.length);
      if (!(`${name}_orig` in m)) continue;
      bakeMask(m, name);
      baked.push(prefix ? `${prefix}.${name}` : name);
    }
  }
  return baked;
}
