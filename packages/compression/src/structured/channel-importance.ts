import type { Tensor } from '@mapnn/core';
import type { ChannelGroup } from './channel-groups.js';

export type ChannelNorm = 'l1' | 'l2';

/** The L1 or L2 norm of each row (output channel) of a weight [out, …]. */
export function rowNorms(weight: Tensor, norm: ChannelNorm): Float64Array {
  const data = weight.dataSync();
  const rows = weight.shape[0]!;
  const width = data.length / rows;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = r * width; i < (r + 1) * width; i++) {
      const v = Number(data[i]);
      s += norm === 'l1' ? Math.abs(v) : v * v;
    }
    out[r] = norm === 'l1' ? s : Math.sqrt(s);
  }
  return out;
}

/**
 * Importance of each channel of a group: the norm of its weight rows (as
 * `torch.nn.utils.prune.ln_structured` ranks, dim 0), summed over the group's producers when
 * several layers' outputs are added (torch-pruning's group importance).
 */
export function channelImportance(group: ChannelGroup, norm: ChannelNorm): Float64Array {
  const total = new Float64Array(group.size);
  for (const { module } of group.producers) {
    const n = rowNorms(module.weight, norm);
    for (let c = 0; c < group.size; c++) total[c]! += n[c]!;
  }
  return total;
}

/**
 * The channels to keep (ascending): all but the `remove` least important ones; among equal
 * importances the lower index is removed first.
 */
export function channelsToKeep(importance: Float64Array, remove: number): number[] {
  const order = Array.from(importance.keys()).sort((a, b) => importance[a]! - importance[b]! || a - b);
  const dropped = new Set(order.slice(0, remove));
  return Array.from(importance.keys()).filter((c) => !dropped.has(c));
}
