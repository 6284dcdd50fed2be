import type { Backend, KernelAttrs, TensorInfo } from '../backend.js';
import type { DType } from '../dtypes.js';
import { engine, getBackend } from '../engine.js';
import { fastPathDisabled } from '../registry/fast-paths.js';
import { checkArity, isKernelName, KERNELS, type AttrsOf, type KernelName, type OutputsOf } from '../registry/kernel-spec.js';
import { getKernel } from '../registry/registry.js';
import { fmtShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { notifyKernel } from './observe.js';

/**
 * The attrs of kernel `K`: typed by the spec table for its kernels; any record for a kernel
 * outside it (a custom kernel registered with `registerKernel`, or a name only known at run time).
 */
export type KernelAttrsArg<K extends string> = K extends KernelName ? AttrsOf<K> : KernelAttrs;

/** The arguments after the inputs: the attrs (optional when the kernel needs none), then the key dtype. */
export type KernelArgs<K extends string> = {} extends KernelAttrsArg<K>
  ? [attrs?: KernelAttrsArg<K>, keyDType?: DType]
  : [attrs: KernelAttrsArg<K>, keyDType?: DType];

/** `N` tensors as a tuple (`Tensor[]` when `N` is not a literal). */
type TensorTuple<N extends number, R extends Tensor[] = []> = number extends N ? Tensor[] : R['length'] extends N ? R : TensorTuple<N, [...R, Tensor]>;

/** What `runKernelMulti` returns: a tuple as long as the table's `outputs` for its kernels. */
export type KernelOutputs<K extends string> = K extends KernelName ? TensorTuple<OutputsOf<K>> : Tensor[];

/** Wraps a kernel result as a tensor. */
export function makeTensor(info: TensorInfo, backend: Backend, opName: string): Tensor {
  const t = new Tensor(info, backend, opName);
  if (engine.checkNumerics) checkFinite(t, opName);
  return t;
}

/**
 * Whether the active backend has a kernel for `op` at `dtype` (for optional fast paths); false
 * for a fast path switched off by `withoutFastPaths`.
 */
export function hasKernel(op: KernelName | (string & {}), dtype: DType): boolean {
  if (fastPathDisabled(op)) return false;
  const k = getKernel(op, getBackend().name);
  return !!k && (k.dtypes.includes(dtype) || (dtype === 'float16' && k.dtypes.includes('float32')));
}

/**
 * A fast path switched off by `withoutFastPaths` must not run: an op that calls its kernel
 * without asking `hasKernel` first would escape the composition the conformance suite checks.
 */
function refuseSwitchedOff(op: string, backend: Backend): void {
  if (fastPathDisabled(op)) {
    throw new Error(`Kernel '${op}' on backend '${backend.name}' was called while fast paths are switched off (withoutFastPaths): the op must check hasKernel('${op}', dtype) and compose it`);
  }
}

/** Storage of `t` on `backend`, copying it across when it lives elsewhere. */
function infoOn(t: Tensor, backend: Backend): { info: TensorInfo; temp: boolean } {
  t.assertAlive('op input');
  const { backend: own } = t.storage();
  if (own === backend) return { info: t, temp: false };
  const dataId = backend.write(own.readSync(t.dataId), t.dtype);
  return { info: { dataId, shape: t.shape, dtype: t.dtype }, temp: true };
}

/**
 * Runs kernel `op` of the active backend on `inputs`. The kernel is chosen by `keyDType`
 * (default: the first input's dtype). A float16 key with no float16 kernel computes in float32
 * and rounds the result back (float16 is a storage dtype). A missing kernel is an error naming
 * op, dtype and backend.
 */
export function runKernel<K extends string>(op: K, inputs: readonly Tensor[], ...args: KernelArgs<K>): Tensor;
export function runKernel(op: string, inputs: readonly Tensor[], ...args: unknown[]): Tensor {
  const [attrs = {}, keyDType] = args as [KernelAttrs?, DType?]; // typed by the overload above
  if (isKernelName(op)) checkArity(op, inputs.length);
  const backend = getBackend();
  refuseSwitchedOff(op, backend);
  const dtype = keyDType ?? inputs[0]?.dtype ?? 'float32';
  const entry = getKernel(op, backend.name);
  if (entry && entry.dtypes.includes(dtype)) return invoke(op, entry.fn, inputs, attrs, backend);
  if (dtype === 'float16' && entry && entry.dtypes.includes('float32') && op !== 'cast') {
    const up = inputs.map((t) => (t.dtype === 'float16' ? runKernel('cast', [t], { dtype: 'float32' }) : t));
    const out = invoke(op, entry.fn, up, attrs, backend);
    up.forEach((t, i) => t !== inputs[i] && t.dispose());
    if (out.dtype !== 'float32') return out;
    const down = runKernel('cast', [out], { dtype: 'float16' });
    out.dispose();
    return down;
  }
  const shapes = inputs.map((t) => `${fmtShape(t.shape)} ${t.dtype}`).join(', ');
  throw new Error(
    entry
      ? `Kernel '${op}' on backend '${backend.name}' does not support dtype ${dtype} ` +
          `(supports ${entry.dtypes.join(', ')}; inputs: ${shapes})`
      : `Kernel '${op}' is not registered for backend '${backend.name}' (dtype ${dtype}; inputs: ${shapes})`,
  );
}

type AnyKernelFn = (inputs: TensorInfo[], attrs: KernelAttrs, ctx: { backend: Backend }) => TensorInfo | TensorInfo[];

function call(op: string, fn: AnyKernelFn, inputs: readonly Tensor[], attrs: KernelAttrs, backend: Backend): TensorInfo | TensorInfo[] {
  const prepared = inputs.map((t) => infoOn(t, backend));
  try {
    return fn(
      prepared.map((p) => p.info),
      attrs,
      { backend },
    );
  } finally {
    for (const p of prepared) if (p.temp) backend.disposeData(p.info.dataId);
  }
}

function invoke(op: string, fn: AnyKernelFn, inputs: readonly Tensor[], attrs: KernelAttrs, backend: Backend): Tensor {
  const info = call(op, fn, inputs, attrs, backend);
  if (Array.isArray(info)) {
    for (const i of info) backend.disposeData(i.dataId);
    throw new Error(`Kernel '${op}' on backend '${backend.name}' returned ${info.length} outputs; run it with runKernelMulti`);
  }
  const out = makeTensor(info, backend, op);
  notifyKernel(op, inputs, attrs, out);
  return out;
}

/**
 * Runs a multi-output kernel `op` (a fused fast path such as `adamStep`) of the active backend,
 * keyed by the first input's dtype; there is no float16 fallback. A missing kernel or dtype is
 * an error naming op, dtype and backend — callers check `hasKernel` and compose otherwise.
 */
export function runKernelMulti<K extends string>(op: K, inputs: readonly Tensor[], ...args: KernelArgs<K>): KernelOutputs<K>;
export function runKernelMulti(op: string, inputs: readonly Tensor[], ...args: unknown[]): Tensor[] {
  const [attrs = {}] = args as [KernelAttrs?]; // typed by the overload above
  if (isKernelName(op)) checkArity(op, inputs.length);
  const backend = getBackend();
  refuseSwitchedOff(op, backend);
  const dtype = inputs[0]?.dtype ?? 'float32';
  const entry = getKernel(op, backend.name);
  if (!entry || !entry.dtypes.includes(dtype)) {
    const shapes = inputs.map((t) => `${fmtShape(t.shape)} ${t.dtype}`).join(', ');
    throw new Error(
      entry
        ? `Kernel '${op}' on backend '${backend.name}' does not support dtype ${dtype} (supports ${entry.dtypes.join(', ')}; inputs: ${shapes})`
        : `Kernel '${op}' is not registered for backend '${backend.name}' (dtype ${dtype}; inputs: ${shapes})`,
    );
  }
  const info = call(op, entry.fn, inputs, attrs, backend);
  const infos = Array.isArray(info) ? info : [info];
  const expected = isKernelName(op) ? KERNELS[op].outputs : infos.length;
  if (infos.length !== expected) {
    for (const i of infos) backend.disposeData(i.dataId);
    throw new Error(`Kernel '${op}' on backend '${backend.name}' returned ${infos.length} outputs, expected ${expected}`);
  }
  const outs = infos.map((i) => makeTensor(i, backend, op));
  for (const out of outs) notifyKernel(op, inputs, attrs, out);
  return outs;
}

function checkFinite(t: Tensor, op: string): void {
  if (!(t.dtype === 'float32' || t.dtype === 'float64' || t.dtype === 'float16')) return;
  let data;
  try {
    data = t.dataSync();
  } catch {
    return; // asynchronous backends are checked on read instead
  }
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) {
      t.dispose();
      throw new Error(`checkNumerics: op '${op}' produced ${v} at flat index ${i} of its ${fmtShape(t.shape)} output`);
    }
  }
}

/** Turns the `checkNumerics` debug flag on or off: every op's float output is checked for NaN/Inf. */
export function setCheckNumerics(on: boolean): void {
  engine.checkNumerics = on;
}
