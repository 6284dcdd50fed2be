import { getPlugin, listPlugins, registerPlugin } from '@mapnn/core';
import type { Module } from '../module.js';
import { builtinModules } from './builtins.js';
import type { ModuleConfig } from './config.js';

/** The plugin kind (in core's registry) under which module classes are registered by name. */
export const MODULE_PLUGIN_KIND = 'layers.module';

/** A module class: constructed with `new`, optionally built by a static `fromConfig(config)` (Keras style). */
export type ModuleClass<M extends Module<any, any> = Module<any, any>> = (abstract new (...args: any[]) => M) & {
  fromConfig?(config: ModuleConfig): M;
};

export interface RegisterModuleOptions<M extends Module<any, any> = Module<any, any>> {
  /**
   * Config of an instance (decorator-free form, for a class without a `getConfig()` method
   * or to override it). Default: the instance's `getConfig()`.
   */
  getConfig?: (module: M) => ModuleConfig;
  /**
   * Builds an instance from its config. Default: the class's static `fromConfig(config)`, else
   * `new Class(...args.map((k) => config[k]), restOfConfig)` with `args`, else
   * `new Class(config)` (a constructor taking one options object).
   */
  fromConfig?: (config: ModuleConfig) => M;
  /** Config keys passed as the leading positional constructor arguments (e.g. `['inFeatures', 'outFeatures']`). */
  args?: readonly string[];
  /**
   * A container whose children come from outside (Sequential, ModuleList): its children are
   * saved as a list of module specs and handed to `fromChildren`.
   */
  fromChildren?: (children: Module<any, any>[], config: ModuleConfig) => M;
  /** Replace another class registered under this name (default: an error). */
  replace?: boolean;
}

/** What the registry holds for one name. */
export interface ModuleEntry {
  name: string;
  cls: ModuleClass;
  getConfig: (module: Module<any, any>) => ModuleConfig;
  fromConfig: (config: ModuleConfig) => Module<any, any>;
  fromChildren?: (children: Module<any, any>[], config: ModuleConfig) => Module<any, any>;
}

let builtinsRegistered = false;

/** Registers the built-in layers (once, on first use: importing this package has no side effects). */
function ensureBuiltins(): void {
  if (builtinsRegistered) return;
  builtinsRegistered = true;
  for (const [name, cls, options] of builtinModules()) registerModule(name, cls, options);
}

/**
 * Registers a module class under `name`, so `saveModel`/`loadModel` (@mapnn/train) and
 * `serializeModule`/`deserializeModule` can write and rebuild it. The class provides its
 * constructor config with a `getConfig()` method (or `options.getConfig`) and is rebuilt with
 * its static `fromConfig(config)`, `options.fromConfig`, `options.args`, or `new Class(config)`.
 * Built-in layers are registered under their class names. Registering the same class again is
 * a no-op; another class under a taken name is an error unless `replace` is set.
 *
 * @example
 * class MyBlock extends Module {
 *   fc: Linear;
 *   constructor(readonly width: number) { super(); this.fc = new Linear(width, width); }
 *   getConfig() { return { width: this.width }; }
 *   static fromConfig(c: { width: number }) { return new MyBlock(c.width); }
 *   forward(x: Tensor) { return this.fc.call(x).relu(); }
 * }
 * registerModule('MyBlock', MyBlock);
 */
export function registerModule<M extends Module<any, any>>(name: string, cls: ModuleClass<M>, options: RegisterModuleOptions<M> = {}): void {
  ensureBuiltins();
  if (typeof name !== 'string' || name === '') throw new TypeError(`registerModule: name must be a non-empty string, got ${JSON.stringify(name)}`);
  if (typeof cls !== 'function') throw new TypeError(`registerModule('${name}'): expected a module class, got ${typeof cls}`);
  const taken = getPlugin<ModuleEntry>(MODULE_PLUGIN_KIND, name);
  if (taken && taken.cls !== cls && !options.replace) {
    throw new Error(`registerModule: '${name}' is already registered for class ${taken.cls.name}; pick another name or pass { replace: true }`);
  }
  const entry: ModuleEntry = {
    name,
    cls,
    getConfig: (options.getConfig ?? defaultGetConfig(name)) as ModuleEntry['getConfig'],
    fromConfig: options.fromConfig ?? defaultFromConfig(name, cls, options.args),
    fromChildren: options.fromChildren as ModuleEntry['fromChildren'],
  };
  registerPlugin(MODULE_PLUGIN_KIND, name, entry);
}

function defaultGetConfig(name: string): (m: Module<any, any>) => ModuleConfig {
  return (m) => {
    const get = (m as { getConfig?: () => ModuleConfig }).getConfig;
    if (typeof get !== 'function') {
      throw new Error(
        `module class '${name}' has no getConfig(); add getConfig() returning its constructor config, ` +
          `or register it with registerModule('${name}', ${m.constructor.name}, { getConfig })`,
      );
    }
    return get.call(m);
  };
}

function defaultFromConfig(name: string, cls: ModuleClass, args: readonly string[] | undefined): (config: ModuleConfig) => Module<any, any> {
  const Ctor = cls as unknown as new (...a: unknown[]) => Module<any, any>;
  if (typeof cls.fromConfig === 'function') return (config) => cls.fromConfig!(config);
  if (!args) return (config) => new Ctor(config);
  return (config) => {
    const missing = args.filter((k) => !(k in config));
    if (missing.length) throw new Error(`config of '${name}' lacks ${missing.map((k) => `'${k}'`).join(', ')}; expected keys ${args.join(', ')}`);
    const rest: ModuleConfig = { ...config };
    for (const k of args) delete (rest as Record<string, unknown>)[k];
    return new Ctor(...args.map((k) => config[k]), rest);
  };
}

/** The entry registered under `name`, or undefined. */
export function getModuleEntry(name: string): ModuleEntry | undefined {
  ensureBuiltins();
  return getPlugin<ModuleEntry>(MODULE_PLUGIN_KIND, name);
}

/** The entry of `module`'s exact class (a subclass needs its own registration), or undefined. */
export function moduleEntryOf(module: Module<any, any>): ModuleEntry | undefined {
  ensureBuiltins();
  for (const name of listPlugins(MODULE_PLUGIN_KIND)) {
    const e = getPlugin<ModuleEntry>(MODULE_PLUGIN_KIND, name)!;
    if (e.cls === module.constructor) return e;
  }
  return undefined;
}

/** Names of the registered module classes (built-ins included). */
export function registeredModules(): string[] {
  ensureBuiltins();
  return listPlugins(MODULE_PLUGIN_KIND);
}
