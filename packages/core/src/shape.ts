/** Shape utilities: sizes, strides, axis normalisation and NumPy/PyTorch broadcasting. */
export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function fmtShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/** Normalises a possibly negative axis for a tensor of `rank` dims, naming `op` on error. */
export function normAxis(axis: number, rank: number, op: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= Math.max(rank, 1)) {
    throw new RangeError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return a;
}

/** Normalises an axis list (undefined → all axes), sorted and de-duplicated. */
export function normAxes(axes: number | readonly number[] | undefined, rank: number, op: string): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : axes;
  const out = [...new Set(list.map((a) => normAxis(a, rank, op)))];
  return out.sort((x, y) => x - y);
}

/** The broadcast shape of several shapes (NumPy rules), or a clear error naming the op. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i]!;
      if (out[o] === 1) out[o] = d;
      else if (d !== 1 && d !== out[o]) {
        throw new Error(
          `${op}: shapes ${shapes.map(fmtShape).join(' and ')} cannot be broadcast together ` +
            `(dim ${i - s.length} is ${d}, expected 1 or ${out[o]})`,
        );
      }
    }
  }
  return out;
}

/**
 * For an input of `inShape` broadcast to `outShape`, the strides to read the input with
 * (0 on broadcast dims), aligned to `outShape`'s rank.
 */
export function broadcastStrides(inShape: Shape, outShape: Shape): number[] {
  const rank = outShape.length;
  const inStrides = stridesOf(inShape);
  const out = new Array<number>(rank).fill(0);
  for (let i = 0; i < inShape.length; i++) {
    const o = rank - inShape.length + i;
    out[o] = inShape[i] === 1 && outShape[o] !== 1 ? 0 : inStrides[i]!;
  }
  return out;
}
