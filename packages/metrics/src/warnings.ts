/**
 * Warnings for ill-defined metric values, scikit-learn's `UndefinedMetricWarning` (e.g.
 * precision with no predicted samples under `zeroDivision: 'warn'`). They go to
 * `console.warn` unless a handler is set.
 *
 * @example
 * const seen: string[] = [];
 * const previous = setWarningHandler((w) => seen.push(w.message));
 * precision([0, 0], [0, 0]); // 0, and seen[0] says precision is ill-defined
 * setWarningHandler(previous);
 */
export interface MetricWarning {
  /** `'UndefinedMetricWarning'` as scikit-learn, or `'UserWarning'`. */
  category: 'UndefinedMetricWarning' | 'UserWarning';
  message: string;
}

export type WarningHandler = (warning: MetricWarning) => void;

const defaultHandler: WarningHandler = (w) => console.warn(`${w.category}: ${w.message}`);
let handler: WarningHandler | null = defaultHandler;

/** Sets where metric warnings go (`null` silences them); returns the previous handler. */
export function setWarningHandler(h: WarningHandler | null): WarningHandler | null {
  const prev = handler;
  handler = h;
  return prev;
}

/** Emits a metric warning. */
export function warn(message: string, category: MetricWarning['category'] = 'UndefinedMetricWarning'): void {
  handler?.({ category, message });
}
