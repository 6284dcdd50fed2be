/**
 * Class labels: integers (as numbers) or strings, never a mix, in scikit-learn's manner.
 * Label sets are kept sorted (numbers ascending, strings by code point), as `unique_labels`.
 */
export type Label = number | string;

/** Orders two labels of one kind (numbers ascending, strings by code point). */
export function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Throws unless `labels` are all numbers or all strings (what scikit-learn accepts). */
export function checkLabelKinds(what: string, ...sets: Iterable<Label>[]): void {
  let kind: string | undefined;
  for (const set of sets) {
    for (const l of set) {
      const k = typeof l;
      if (kind === undefined) kind = k;
      else if (k !== kind) throw new Error(`${what}: mix of label input types (string and number)`);
    }
  }
}

/** The sorted union of the labels in `sets`, like scikit-learn's `unique_labels`. */
export function uniqueLabels(...sets: Iterable<Label>[]): Label[] {
  const seen = new Set<Label>();
  for (const set of sets) for (const l of set) seen.add(l);
  checkLabelKinds('uniqueLabels', seen);
  return [...seen].sort(compareLabels);
}

/** Map from label to its position in `labels` (first occurrence wins). */
export function labelIndex(labels: readonly Label[]): Map<Label, number> {
  const m = new Map<Label, number>();
  labels.forEach((l, i) => {
    if (!m.has(l)) m.set(l, i);
  });
  return m;
}

/** Throws unless `labels` is sorted and without repeats (as `labels=` of the ranking metrics requires). */
export function checkSortedUnique(what: string, labels: readonly Label[]): void {
  checkLabelKinds(what, labels);
  for (let i = 1; i < labels.length; i++) {
    const c = compareLabels(labels[i - 1]!, labels[i]!);
    if (c === 0) throw new Error(`${what}: parameter 'labels' must be unique`);
    if (c > 0) throw new Error(`${what}: parameter 'labels' must be ordered`);
  }
}

/** Formats a label as Python's `'%s' % label` does for integers and strings. */
export function labelName(l: Label): string {
  return String(l);
}
