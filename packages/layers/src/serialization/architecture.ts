import { Module } from '../module.js';
import type { JsonValue, ModuleConfig } from './config.js';
import { getModuleEntry, moduleEntryOf } from './module-registry.js';

/**
 * A module's architecture as JSON: its registered class name, its constructor config and,
 * for containers (Sequential, ModuleList), the specs of its children in order.
 */
export interface ModuleSpec {
  class: string;
  config: ModuleConfig;
  children?: ModuleSpec[];
}

/** A module cannot be written as, or rebuilt from, a `ModuleSpec`. The message names the module's path. */
export class ModuleSerializationError extends Error {
  override name = 'ModuleSerializationError';
}

interface Options {
  /** Function named in error messages (default 'serializeModule' / 'deserializeModule'). */
  fn?: string;
}

const where = (path: string) => (path === '' ? 'the root module' : `module '${path}'`);

/**
 * The architecture of `module` (no weights) as a JSON-safe spec, through the registry of
 * module classes (`registerModule`). Nested containers nest their specs; every other module
 * contributes its `getConfig()` and rebuilds its own children. Errors name the module's
 * dotted path: an unregistered class, a missing `getConfig()`, a config that JSON cannot hold.
 *
 * @example JSON.stringify(serializeModule(new Sequential(new Linear(4, 2), new ReLU())))
 */
export function serializeModule(module: Module<any, any>, options: Options = {}): ModuleSpec {
  return specOf(module, '', options.fn ?? 'serializeModule');
}

function specOf(m: Module<any, any>, path: string, fn: string): ModuleSpec {
  if (!(m instanceof Module)) throw new ModuleSerializationError(`${fn}: ${where(path)} is not a Module (got ${typeof m})`);
  const entry = moduleEntryOf(m);
  const cls = m.constructor.name;
  if (!entry) {
    throw new ModuleSerializationError(
      `${fn}: class ${cls} (${where(path)}) is not registered; call registerModule('${cls}', ${cls}) from @mapnn/layers ` +
        `(with getConfig() on the class) before saving`,
    );
  }
  let config: ModuleConfig;
  try {
    config = entry.getConfig(m);
  } catch (e) {
    throw new ModuleSerializationError(`${fn}: ${where(path)} (${entry.name}): ${(e as Error).message}`);
  }
  checkJson(config, `${fn}: config of ${where(path)} (${entry.name})`, '');
  const spec: ModuleSpec = { class: entry.name, config };
  if (entry.fromChildren) {
    const kids = m.namedChildren();
    kids.forEach(([name], i) => {
      if (name !== String(i)) {
        throw new ModuleSerializationError(`${fn}: ${where(path)} (${entry.name}) has a child named '${name}'; a container's children must be named 0, 1, …`);
      }
    });
    spec.children = kids.map(([name, c]) => specOf(c, path ? `${path}.${name}` : name, fn));
  }
  return spec;
}

/** Throws unless `v` is a plain JSON value (finite numbers, plain objects and arrays). */
function checkJson(v: unknown, what: string, at: string): asserts v is JsonValue {
  const fail = (got: string) => {
    throw new ModuleSerializationError(`${what} has ${got}${at ? ` at '${at}'` : ''}; a config must hold only JSON values (finite numbers, strings, booleans, null, arrays, plain objects)`);
  };
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) fail(`the number ${v}`);
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => checkJson(x, what, `${at}[${i}]`));
    return;
  }
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) fail(`a ${(v as object).constructor?.name ?? 'non-plain'} object`);
    for (const [k, x] of Object.entries(v)) checkJson(x, what, at ? `${at}.${k}` : k);
    return;
  }
  fail(`a ${typeof v}`);
}

/**
 * Rebuilds a module (freshly initialised: load its weights next) from a `ModuleSpec`, through
 * the registry of module classes. Errors name the module's path: a malformed spec, an unknown
 * class name (register it with `registerModule`), a config its constructor refuses.
 *
 * @example const model = deserializeModule(JSON.parse(text)); model.loadStateDict(weights);
 */
export function deserializeModule(spec: unknown, options: Options = {}): Module<any, any> {
  return build(spec, '', options.fn ?? 'deserializeModule');
}

function build(spec: unknown, path: string, fn: string): Module<any, any> {
  const bad = (msg: string) => new ModuleSerializationError(`${fn}: ${where(path)}: ${msg}`);
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw bad(`expected a module spec {class, config}, got ${describe(spec)}`);
  const s = spec as Record<string, unknown>;
  if (typeof s.class !== 'string') throw bad(`'class' must be a string naming a registered module class, got ${describe(s.class)}`);
  const config = s.config ?? {};
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw bad(`'config' of ${s.class} must be an object, got ${describe(config)}`);
  const entry = getModuleEntry(s.class);
  if (!entry) {
    throw bad(`unknown module class '${s.class}'; register it with registerModule('${s.class}', ${s.class}) from @mapnn/layers before loading`);
  }
  if (s.children !== undefined && !entry.fromChildren) throw bad(`${s.class} is not a container, but the spec lists children`);
  try {
    if (!entry.fromChildren) return entry.fromConfig(config as ModuleConfig);
    if (!Array.isArray(s.children)) throw bad(`'children' of ${s.class} must be an array of module specs, got ${describe(s.children)}`);
    const children: Module<any, any>[] = [];
    try {
      s.children.forEach((c, i) => children.push(build(c, path ? `${path}.${i}` : String(i), fn)));
      return entry.fromChildren(children, config as ModuleConfig);
    } catch (e) {
      for (const c of children) c.dispose(); // what was built so far: bad input leaks nothing
      throw e;
    }
  } catch (e) {
    if (e instanceof ModuleSerializationError) throw e;
    throw bad(`cannot build ${s.class} from config ${JSON.stringify(config)}: ${(e as Error).message}`);
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  return v === null ? 'null' : typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}
