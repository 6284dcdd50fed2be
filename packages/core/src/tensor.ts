import type { Backend, DataId, TensorInfo } from './backend.js';
import { toNumbers, type DType, type TypedArray } from './dtypes.js';
import { engine, releaseStorage, storageBackend, trackStorage } from './engine.js';
import { adoptIntoScope, keep, leaveScope } from './memory/scope.js';
import { fmtShape, sizeOf, type Shape } from './shape.js';
import type { GradNode } from './autograd/node.js';
import { formatTensor } from './format.js';
import type { BaseMethods } from './methods/declarations.js';
import type { OpMethods } from './methods/op-method-types.js';

/**
 * The op methods (`x.add(y)`, `x.relu()`, …): declared beside each op (its file's `methods`,
 * collected into methods/op-method-types.ts by scripts/gen-ops.mjs), plus `x.backward()`
 * (methods/declarations.ts); installed on the prototype by the package entry
 * (tensor-methods.ts), absent from `@mapnn/core/functions`.
 */
export interface Tensor extends BaseMethods, OpMethods {
  /** Transpose of a 2-D tensor (last two dims otherwise). */
  readonly T: Tensor;
}

/**
 * An n-dimensional array on a backend. Tensors are immutable: ops return new tensors.
 * The only in-place operation is `assign`, which swaps a tensor's storage (used for
 * parameters and optimizer state).
 *
 * Storage and views: every tensor is contiguous, row-major. `reshape`, `flatten`, `squeeze`,
 * `unsqueeze` and `detach` are views sharing storage (reference-counted); `transpose`,
 * `slice`, `expand` and the other movement ops copy.
 *
 * This file knows storage, shape, dtype and lifetime and imports no op: the op methods
 * are merged in below and installed by the package entry.
 */
export class Tensor implements TensorInfo {
  /** @internal */ readonly _isTensor = true;
  readonly id: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** @internal */ dataId: DataId;
  readonly backendName: string;
  /** Whether gradients flow to this tensor. Set it on leaves with `requiresGrad_()`. */
  requiresGrad = false;
  /** Accumulated gradient of a leaf after `backward()`. */
  grad: Tensor | null = null;
  /** @internal The autograd node that produced this tensor (null for leaves). */
  gradFn: GradNode | null = null;
  /** Name of the op that created this tensor (for error messages and leak reports). */
  readonly opName: string;
  readonly creationStack?: string;
  /** @internal */ _scope: Set<Tensor> | null = null;
  /** @internal */ _retainGrad = false;
  /** @internal Temporaries of the op that made this tensor, kept for its gradient. */
  _owned: Tensor[] | null = null;
  private disposed = false;

  /** @internal Use `tensor()` and the ops to make tensors. */
  constructor(info: TensorInfo, backend: Backend, opName: string) {
    this.id = engine.nextId++;
    this.shape = Object.freeze([...info.shape]);
    this.dtype = info.dtype;
    this.dataId = info.dataId;
    this.backendName = backend.name;
    this.opName = opName;
    if (engine.debugLeaks) this.creationStack = new Error().stack?.split('\n').slice(2, 8).join('\n');
    trackStorage(backend, info.dataId, byteSize(info));
    engine.live.add(this);
    adoptIntoScope(this);
  }

  get rank(): number {
    return this.shape.length;
  }
  get size(): number {
    return sizeOf(this.shape);
  }
  get isDisposed(): boolean {
    return this.disposed;
  }
  get isLeaf(): boolean {
    return this.gradFn === null;
  }
  get backend(): Backend {
    return this.storage().backend;
  }

  /** @internal */
  storage(): { backend: Backend; dataId: DataId } {
    this.assertAlive('read');
    const backend = storageBackend(this.dataId);
    if (!backend) throw new Error(`Tensor#${this.id}: storage is gone`);
    return { backend, dataId: this.dataId };
  }

  /** @internal */
  assertAlive(what: string): void {
    if (this.disposed) {
      throw new Error(
        `${what}: tensor #${this.id} ${fmtShape(this.shape)} ${this.dtype} (made by '${this.opName}') is disposed`,
      );
    }
  }

  /** Values as a flat typed array (float16 decoded to float32; int64 as integral float64). */
  async data(): Promise<TypedArray> {
    const { backend, dataId } = this.storage();
    return toNumbers(await backend.read(dataId), this.dtype) as TypedArray;
  }

  /** Synchronous `data()`; backends that cannot read synchronously (WebGPU) throw. */
  dataSync(): TypedArray {
    const { backend, dataId } = this.storage();
    return toNumbers(backend.readSync(dataId), this.dtype) as TypedArray;
  }

  /** Values as nested arrays (booleans for bool tensors). */
  async array(): Promise<unknown> {
    return nest(await this.data(), this.shape, this.dtype === 'bool');
  }
  arraySync(): unknown {
    return nest(this.dataSync(), this.shape, this.dtype === 'bool');
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new Error(`item: expected a tensor with one element, got shape ${fmtShape(this.shape)}`);
    return this.dataSync()[0]!;
  }

  /** Marks a leaf tensor as requiring gradients (PyTorch's `requires_grad_`). Returns this. */
  requiresGrad_(flag = true): this {
    if (!this.isLeaf && !flag) throw new Error('requiresGrad_: cannot turn off gradients of a non-leaf tensor; use detach()');
    this.requiresGrad = flag;
    return this;
  }

  /** Keeps `.grad` on a non-leaf tensor during `backward()`. */
  retainGrad(): this {
    this._retainGrad = true;
    return this;
  }

  /** A view of the same storage, cut from the autograd graph. */
  detach(): Tensor {
    const { backend } = this.storage();
    return new Tensor({ dataId: this.dataId, shape: this.shape, dtype: this.dtype }, backend, 'detach');
  }

  /**
   * Replaces this tensor's values with `value`'s (same shape and dtype), sharing its storage.
   * Used for parameter and optimizer-state updates; autograd does not see it.
   */
  assign(value: Tensor): this {
    this.assertAlive('assign');
    value.assertAlive('assign');
    if (value.dtype !== this.dtype || value.shape.length !== this.shape.length || value.shape.some((d, i) => d !== this.shape[i])) {
      throw new Error(
        `assign: value ${fmtShape(value.shape)} ${value.dtype} does not match tensor ${fmtShape(this.shape)} ${this.dtype}`,
      );
    }
    if (value.dataId === this.dataId) return this;
    const { backend } = value.storage();
    trackStorage(backend, value.dataId, byteSize(value));
    releaseStorage(this.dataId);
    this.dataId = value.dataId;
    return this;
  }

  /** Frees this tensor (and its `.grad`). Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    leaveScope(this);
    engine.live.delete(this);
    releaseStorage(this.dataId);
    if (this.grad) {
      this.grad.dispose();
      this.grad = null;
    }
    if (this._owned) {
      for (const t of this._owned) t.dispose();
      this._owned = null;
    }
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Exempts this tensor from enclosing `tidy` scopes. */
  keep(): this {
    return keep(this);
  }

  toString(): string {
    if (this.disposed) return `Tensor(disposed, shape=${fmtShape(this.shape)}, dtype=${this.dtype})`;
    let values: TypedArray | null = null;
    try {
      values = this.dataSync();
    } catch {
      values = null;
    }
    return formatTensor(values, this.shape, this.dtype);
  }
}

function byteSize(info: TensorInfo): number {
  const per = info.dtype === 'float64' || info.dtype === 'int64' ? 8 : info.dtype === 'float32' || info.dtype === 'int32' ? 4 : info.dtype === 'float16' ? 2 : 1;
  return sizeOf(info.shape) * per;
}

function nest(data: ArrayLike<number>, shape: Shape, asBool: boolean): unknown {
  const conv = (v: number) => (asBool ? v !== 0 : v);
  if (shape.length === 0) return conv(data[0]!);
  const build = (dim: number, offset: number): unknown[] => {
    const n = shape[dim]!;
    const stride = sizeOf(shape.slice(dim + 1));
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) {
      out.push(dim === shape.length - 1 ? conv(data[offset + i]!) : build(dim + 1, offset + i * stride));
    }
    return out;
  };
  return build(0, 0);
}

export function isTensor(x: unknown): x is Tensor {
  return typeof x === 'object' && x !== null && (x as { _isTensor?: boolean })._isTensor === true;
}
