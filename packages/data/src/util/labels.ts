import { isTensor, type Tensor } from '@mapnn/core';

/** Class labels: an int tensor (any shape is flattened), a number array or a typed array. */
export type LabelsLike = Tensor | readonly number[] | ArrayLike<number>;

/**
 * Labels as a fresh `Int32Array`. Every value must be a non-negative integer (float tensors
 * holding integers are accepted).
 *
 * @example toLabelArray([0, 2, 1]) // Int32Array [0, 2, 1]
 */
export function toLabelArray(labels: LabelsLike, what = 'labels'): Int32Array {
  const src: ArrayLike<number> = isTensor(labels) ? (labels as Tensor).dataSync() : (labels as ArrayLike<number>);
  const out = new Int32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) {
      throw new Error(`${what}: label ${i} is ${v}; labels must be non-negative integers`);
    }
    out[i] = v;
  }
  return out;
}

/** Number of samples per class `0 … numClasses-1` (numClasses defaults to max label + 1). */
export function bincount(labels: ArrayLike<number>, numClasses?: number): Int32Array {
  let max = -1;
  for (let i = 0; i < labels.length; i++) if (labels[i]! > max) max = labels[i]!;
  const out = new Int32Array(Math.max(numClasses ?? 0, max + 1));
  for (let i = 0; i < labels.length; i++) out[labels[i]!]!++;
  return out;
}

/** The distinct labels in ascending order. */
export function uniqueSorted(labels: ArrayLike<number>): number[] {
  return [...new Set(Array.from(labels))].sort((a, b) => a - b);
}

/** Indices of each class: `byClass.get(c)` lists the positions of label `c` in order. */
export function indicesByClass(labels: ArrayLike<number>): Map<number, number[]> {
  const m = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    let list = m.get(c);
    if (!list) m.set(c, (list = []));
    list.push(i);
  }
  return new Map([...m.entries()].sort((a, b) => a[0] - b[0]));
}
