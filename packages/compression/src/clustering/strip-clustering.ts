import type { Module } from '@mapnn/layers';
import { bakeClustering } from './clustered-parameter.js';

/**
 * Makes every weight sharing in `model` permanent: each clustered `<name>` becomes an ordinary
 * parameter holding centroids[indices], and `<name>_centroids` / `<name>_indices` leave the
 * state dict. Returns the names of the parameters baked (`'fc1.weight'`, …). Build the
 * optimizer afresh afterwards (the parameters are new tensors).
 */
export function stripClustering(model: Module<any, any>): string[] {
  const baked: string[] = [];
  for (const [prefix, m] of model.namedModules()) {
    for (const key of Object.keys(m)) {
      if (!key.endsWith('_centroids')) continue;
      const name = key.slice(0, -'_centroids'.length);
      if (!(`${name}_indices` in m)) continue;
      bakeClustering(m, name);
      baked.push(prefix ? `${prefix}.${name}` : name);
    }
  }
  return baked;
}
