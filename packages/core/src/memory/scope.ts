import type { Tensor } from '../tensor.js';

/**
 * Memory scopes. Every tensor created while a `tidy` runs belongs to its scope; when the
 * function returns, the scope disposes what it owns except the tensors in the return value
 * (handed to the enclosing scope) and those passed to `keep`.
 */
interface Scope {
  name: string;
  tensors: Set<Tensor>;
}

const stack: Scope[] = [];

/** @internal Called by the Tensor constructor. */
export function adoptIntoScope(t: Tensor): void {
  const top = stack[stack.length - 1];
  if (top) {
    top.tensors.add(t);
    t._scope = top.tensors;
  }
}

/** @internal Called by `Tensor.dispose`. */
export function leaveScope(t: Tensor): void {
  t._scope?.delete(t);
  t._scope = null;
}

/**
 * Runs `fn` and disposes every tensor it created that is not returned (tensors nested in
 * arrays, plain objects and Maps count as returned) and not `keep()`-ed.
 * `fn` must be synchronous: a Promise result throws, since async work would escape the scope.
 *
 * @example
 * const y = tidy(() => x.mul(2).add(1)); // the temporary x.mul(2) is freed
 */
export function tidy<T>(fn: () => T): T;
export function tidy<T>(name: string, fn: () => T): T;
export function tidy<T>(a: string | (() => T), b?: () => T): T {
  const name = typeof a === 'string' ? a : 'tidy';
  const fn = (typeof a === 'string' ? b : a) as () => T;
  const scope: Scope = { name, tensors: new Set() };
  stack.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    stack.pop();
    for (const t of scope.tensors) t.dispose();
    throw e;
  }
  stack.pop();
  if (result instanceof Promise) {
    for (const t of scope.tensors) t.dispose();
    throw new Error(`tidy('${name}'): the function returned a Promise; tidy only takes synchronous functions`);
  }
  const returned = new Set<Tensor>();
  collectTensors(result, returned, new Set());
  const parent = stack[stack.length - 1];
  for (const t of scope.tensors) {
    if (returned.has(t)) {
      t._scope = parent ? parent.tensors : null;
      parent?.tensors.add(t);
    } else {
      t._scope = null;
      t.dispose();
    }
  }
  return result;
}

/**
 * Runs one op's body. Tensors the body makes besides its output are temporaries:
 * if the output was recorded for autograd they belong to it (its gradient may need them) and
 * are freed with it; otherwise they are freed at once. So every op, however it is composed,
 * leaves exactly one new tensor behind. Packages that compose their own ops (losses, layers)
 * use it, or `defineOp`, to get the same behaviour.
 *
 * @example const swish = (x: Tensor) => opScope(() => x.mul(x.sigmoid()));
 */
export function opScope(fn: () => Tensor): Tensor {
  const scope: Scope = { name: 'op', tensors: new Set() };
  stack.push(scope);
  let out: Tensor;
  try {
    out = fn();
  } catch (e) {
    stack.pop();
    for (const t of scope.tensors) t.dispose();
    throw e;
  }
  stack.pop();
  const parent = stack[stack.length - 1];
  const made = scope.tensors.has(out);
  const owned: Tensor[] = [];
  for (const t of scope.tensors) {
    if (t === out) continue;
    t._scope = null;
    if (made && out.gradFn) owned.push(t);
    else t.dispose();
  }
  if (made) {
    out._scope = parent ? parent.tensors : null;
    parent?.tensors.add(out);
    // an op that returns another op's output directly: keep that op's temporaries too
    if (owned.length) out._owned = out._owned ? [...out._owned, ...owned] : owned;
  }
  return out;
}

/** Exempts `t` from disposal by any enclosing `tidy`. Returns `t`. */
export function keep<T extends Tensor>(t: T): T {
  leaveScope(t);
  return t;
}

/** Disposes a tensor or every tensor in a (nested) container. */
export function dispose(x: unknown): void {
  const found = new Set<Tensor>();
  collectTensors(x, found, new Set());
  for (const t of found) t.dispose();
}

function isTensor(x: unknown): x is Tensor {
  return typeof x === 'object' && x !== null && (x as { _isTensor?: boolean })._isTensor === true;
}

function collectTensors(x: unknown, out: Set<Tensor>, seen: Set<unknown>): void {
  if (x === null || typeof x !== 'object' || seen.has(x)) return;
  seen.add(x);
  if (isTensor(x)) {
    out.add(x);
    return;
  }
  if (Array.isArray(x)) {
    for (const v of x) collectTensors(v, out, seen);
  } else if (x instanceof Map) {
    for (const v of x.values()) collectTensors(v, out, seen);
  } else if (Object.getPrototypeOf(x) === Object.prototype) {
    for (const v of Object.values(x)) collectTensors(v, out, seen);
  }
}
