import type { Split } from './types.js';

/** The first `limit` rows of a split (all when `limit` is undefined). */
export function limitRows(s: Split, limit?: number): Split {
  const n = s.x.shape[0]!;
  if (limit === undefined || limit >= n) return s;
  return { x: s.x.narrow(0, 0, limit), y: s.y.narrow(0, 0, limit) };
}
