/**
 * A first-in first-out list of at most `maxLength` numbers (Python's `deque(maxlen=…)`): pushing
 * onto a full queue drops the oldest.
 *
 * @example
 * const q = new FixedQueue(2);
 * q.push(1); q.push(2); q.push(3);
 * q.toArray(); // [2, 3]
 */
export class FixedQueue {
  readonly maxLength: number;
  private items: number[] = [];

  constructor(maxLength: number) {
    if (!(Number.isInteger(maxLength) && maxLength > 0)) throw new Error(`FixedQueue: maxLength must be a positive integer, got ${maxLength}`);
    this.maxLength = maxLength;
  }

  push(value: number): void {
    this.items.push(value);
    if (this.items.length > this.maxLength) this.items.shift();
  }

  get length(): number {
    return this.items.length;
  }

  /** The mean of the items (`NaN` when empty). */
  mean(): number {
    return this.items.length ? this.items.reduce((a, b) => a + b, 0) / this.items.length : Number.NaN;
  }

  /** A copy of the items, oldest first. */
  toArray(): number[] {
    return this.items.slice();
  }

  clear(): void {
    this.items = [];
  }
}
