import { isTensor, type Tensor } from '@mapnn/core';
import { toLabelArray, type LabelsLike } from '../util/labels.js';

/**
 * @internal Targets as soft-label rows `[n, C]`: integer labels `[n]` become one-hot rows of
 * `numClasses`; a float tensor `[n, C]` (already soft) is used as it is.
 */
export function softTargets(y: LabelsLike, n: number, numClasses: number | undefined, op: string): { data: Float64Array; classes: number } {
  if (isTensor(y) && (y as Tensor).rank === 2) {
    const t = y as Tensor;
    if (t.shape[0] !== n) throw new Error(`${op}: targets have ${t.shape[0]} rows for ${n} samples`);
    const classes = t.shape[1]!;
    if (numClasses !== undefined && numClasses !== classes) throw new Error(`${op}: targets have ${classes} columns but numClasses is ${numClasses}`);
    return { data: Float64Array.from(t.dataSync()), classes };
  }
  const labels = toLabelArray(y, op);
  if (labels.length !== n) throw new Error(`${op}: ${labels.length} labels for ${n} samples`);
  if (numClasses === undefined) throw new Error(`${op}: numClasses is needed with integer labels`);
  const data = new Float64Array(n * numClasses);
  labels.forEach((c, i) => {
    if (c >= numClasses) throw new Error(`${op}: label ${c} is out of range for ${numClasses} classes`);
    data[i * numClasses + c] = 1;
  });
  return { data, classes: numClasses };
}
