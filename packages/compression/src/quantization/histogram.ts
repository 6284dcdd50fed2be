/**
 * A histogram of calibration values over the symmetric range [−absMax, absMax] (ONNX Runtime's
 * `HistogramCollector` layout), with the exact min and max seen. When a batch exceeds the range,
 * the old counts are moved into the wider bins (each old bin's count goes to the new bin that
 * holds its centre), as ORT's `merge_histogram` does.
 */
export class Histogram {
  counts: Float64Array;
  absMax = 0;
  min = Infinity;
  max = -Infinity;
  total = 0;

  constructor(readonly bins = 2048) {
    this.counts = new Float64Array(bins);
  }

  get width(): number {
    return (2 * this.absMax) / this.bins;
  }

  /** Left edge of bin i (edge `bins` is absMax). */
  edge(i: number): number {
    return -this.absMax + i * this.width;
  }

  center(i: number): number {
    return this.edge(i) + this.width / 2;
  }

  private binOf(v: number): number {
    const i = Math.floor(((v + this.absMax) / (2 * this.absMax)) * this.bins);
    return i < 0 ? 0 : i >= this.bins ? this.bins - 1 : i;
  }

  add(values: ArrayLike<number>): void {
    let m = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
      const a = Math.abs(v);
      if (a > m) m = a;
    }
    if (m > this.absMax) this.widen(m);
    if (this.absMax === 0) {
      this.counts[this.bins >> 1]! += values.length; // all zeros: the bin holding 0
    } else {
      for (let i = 0; i < values.length; i++) this.counts[this.binOf(values[i]!)]! += 1;
    }
    this.total += values.length;
  }

  private widen(absMax: number): void {
    const old = this.counts;
    const oldCenters = Array.from(old, (_, i) => this.center(i));
    const wasEmpty = this.absMax === 0;
    this.absMax = absMax;
    this.counts = new Float64Array(this.bins);
    if (wasEmpty) {
      const zeros = old.reduce((s, c) => s + c, 0);
      this.counts[this.binOf(0)]! += zeros;
      return;
    }
    old.forEach((c, i) => {
      if (c) this.counts[this.binOf(oldCenters[i]!)]! += c;
    });
  }
}
