import { Generator, isTensor, tensor, tidy, type Tensor } from '@mapnn/core';
import type { Batch, TrainData } from './types.js';

/** A batch in `{x, y, weight?}` form. */
export interface NormalBatch {
  x: Tensor;
  y: Tensor;
  weight?: Tensor;
}

export function normalizeBatch(b: Batch): NormalBatch {
  if (Array.isArray(b)) {
    const [x, y, weight] = b as readonly Tensor[];
    if (!isTensor(x) || !isTensor(y)) throw new Error('fit: a tuple batch must be [x, y] or [x, y, weight] tensors');
    return { x, y, weight };
  }
  const o = b as NormalBatch;
  if (!isTensor(o.x) || !isTensor(o.y)) throw new Error('fit: a batch must have tensors x and y');
  return o;
}

export function isWholeTensors(d: TrainData): d is { x: Tensor; y: Tensor; weight?: Tensor } {
  return typeof d === 'object' && d !== null && isTensor((d as { x?: unknown }).x) && isTensor((d as { y?: unknown }).y);
}

/** Rows `idx` of `t` (as a new tensor). */
function rows(t: Tensor, idx: Int32Array): Tensor {
  return tidy(() => t.indexSelect(0, tensor(idx)));
}

/**
 * Mini-batches of whole tensors, shuffled with `generator` when given. Batches are created
 * lazily and owned by the caller (dispose them after use).
 */
export function* tensorBatches(
  d: { x: Tensor; y: Tensor; weight?: Tensor },
  batchSize: number,
  generator?: Generator,
): Generator_<NormalBatch> {
  const n = d.x.shape[0]!;
  if (d.y.shape[0] !== n) throw new Error(`fit: x has ${n} samples but y has ${d.y.shape[0]}`);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  if (generator) {
    // Fisher–Yates in JS: no tensor, so no read from the backend
    for (let i = n - 1; i > 0; i--) {
      const j = generator.nextBelow(i + 1);
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
  }
  for (let s = 0; s < n; s += batchSize) {
    const idx = order.subarray(s, Math.min(n, s + batchSize));
    yield { x: rows(d.x, idx), y: rows(d.y, idx), weight: d.weight ? rows(d.weight, idx) : undefined };
  }
}
type Generator_<T> = globalThis.Generator<T, void, unknown>;

/** Splits whole tensors into train and validation parts: the last `fraction` of rows (Keras). */
export function splitValidation(d: { x: Tensor; y: Tensor; weight?: Tensor }, fraction: number) {
  if (!(fraction > 0 && fraction < 1)) throw new Error(`fit: validationSplit must be in (0, 1), got ${fraction}`);
  const n = d.x.shape[0]!;
  const nVal = Math.max(1, Math.round(n * fraction));
  const cut = n - nVal;
  const part = (t: Tensor | undefined, a: number, b: number) => (t ? t.narrow(0, a, b - a) : undefined);
  return {
    train: { x: part(d.x, 0, cut)!, y: part(d.y, 0, cut)!, weight: part(d.weight, 0, cut) },
    val: { x: part(d.x, cut, n)!, y: part(d.y, cut, n)!, weight: part(d.weight, cut, n) },
  };
}

/** Iterates any TrainData as normalised batches; `owned` tells whether fit must dispose them. */
export async function* iterateBatches(
  data: TrainData,
  batchSize: number,
  generator?: Generator,
): AsyncGenerator<{ batch: NormalBatch; owned: boolean }> {
  if (isWholeTensors(data)) {
    for (const b of tensorBatches(data, batchSize, generator)) yield { batch: b, owned: true };
    return;
  }
  const it = data as Iterable<Batch> | AsyncIterable<Batch>;
  // batches made by a loader or generator are fit's to free; an array of batches is reused
  const owned = !Array.isArray(data);
  if (Symbol.asyncIterator in it) {
    for await (const b of it as AsyncIterable<Batch>) yield { batch: normalizeBatch(b), owned };
  } else if (Symbol.iterator in it) {
    for (const b of it as Iterable<Batch>) yield { batch: normalizeBatch(b), owned };
  } else {
    throw new Error('fit: data must be {x, y} tensors or an iterable of batches');
  }
}

/** Number of batches per epoch when it can be known without iterating. */
export function batchCount(data: TrainData, batchSize: number): number | undefined {
  if (isWholeTensors(data)) return Math.ceil(data.x.shape[0]! / batchSize);
  const len = (data as { length?: unknown }).length;
  return typeof len === 'number' ? len : undefined;
}

export function disposeBatch(b: NormalBatch): void {
  b.x.dispose();
  b.y.dispose();
  b.weight?.dispose();
}
