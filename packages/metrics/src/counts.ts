import { checkSameLength } from './input.js';
import { compareLabels, type Label } from './labels.js';

/**
 * A (weighted) confusion table over labels seen so far: what every label-based metric
 * (accuracy, precision/recall/F, confusion matrix, MCC, Cohen's kappa, classification report)
 * is computed from. Functional metrics fill one from the whole data; streaming metrics add
 * batch after batch, so both give the same value.
 */
export class LabelCounts {
  /** true label → predicted label → summed weight. */
  readonly cells = new Map<Label, Map<Label, number>>();
  /** Per label: weight of samples with that true label, predicted label, and both. */
  readonly trueSum = new Map<Label, number>();
  readonly predSum = new Map<Label, number>();
  readonly tpSum = new Map<Label, number>();
  /** Number of samples added. */
  n = 0;
  /** Sum of the weights (n when unweighted). */
  totalWeight = 0;
  /** Weight of correctly classified samples. */
  correctWeight = 0;
  /** Number of correctly classified samples, whatever their weight. */
  nCorrect = 0;
  /** Whether any batch came with sample weights (scikit-learn then reports float supports). */
  weighted = false;
  private kind: 'number' | 'string' | undefined;

  add(yTrue: readonly Label[], yPred: readonly Label[], weights: readonly number[] | undefined, what: string): void {
    checkSameLength(what, yTrue.length, yPred.length);
    if (weights) this.weighted = true;
    for (let i = 0; i < yTrue.length; i++) {
      const t = yTrue[i]!;
      const p = yPred[i]!;
      this.checkKind(t, what);
      this.checkKind(p, what);
      const w = weights ? weights[i]! : 1;
      let row = this.cells.get(t);
      if (!row) this.cells.set(t, (row = new Map()));
      row.set(p, (row.get(p) ?? 0) + w);
      this.trueSum.set(t, (this.trueSum.get(t) ?? 0) + w);
      this.predSum.set(p, (this.predSum.get(p) ?? 0) + w);
      if (t === p) {
        this.tpSum.set(t, (this.tpSum.get(t) ?? 0) + w);
        this.correctWeight += w;
        this.nCorrect++;
      }
      this.totalWeight += w;
    }
    this.n += yTrue.length;
  }

  private checkKind(l: Label, what: string): void {
    const k = typeof l as 'number' | 'string';
    if (this.kind === undefined) this.kind = k;
    else if (this.kind !== k) throw new Error(`${what}: mix of label input types (string and number)`);
  }

  /** Weight of samples with true label `t` predicted as `p`. */
  cell(t: Label, p: Label): number {
    return this.cells.get(t)?.get(p) ?? 0;
  }

  /** Sorted labels that occur as a true label. */
  trueLabels(): Label[] {
    return [...this.trueSum.keys()].sort(compareLabels);
  }

  /** Sorted union of true and predicted labels (scikit-learn's `unique_labels(y_true, y_pred)`). */
  presentLabels(): Label[] {
    const s = new Set<Label>([...this.trueSum.keys(), ...this.predSum.keys()]);
    return [...s].sort(compareLabels);
  }

  /** Throws if `labels` mixes kinds with the data. */
  checkLabelsOption(labels: readonly Label[], what: string): void {
    for (const l of labels) {
      if (this.kind !== undefined && typeof l !== this.kind) {
        throw new Error(`${what}: 'labels' are ${typeof l}s but the data holds ${this.kind}s`);
      }
    }
  }

  reset(): void {
    this.cells.clear();
    this.trueSum.clear();
    this.predSum.clear();
    this.tpSum.clear();
    this.n = 0;
    this.totalWeight = 0;
    this.correctWeight = 0;
    this.nCorrect = 0;
    this.weighted = false;
    this.kind = undefined;
  }
}
