// Exports of the 'serialization' group: the registry of module classes and architecture specs.
export {
  registerModule,
  registeredModules,
  getModuleEntry,
  MODULE_PLUGIN_KIND,
  type ModuleClass,
  type ModuleEntry,
  type RegisterModuleOptions,
} from './serialization/module-registry.js';
export { serializeModule, deserializeModule, ModuleSerializationError, type ModuleSpec } from './serialization/architecture.js';
export { compactConfig, type JsonValue, type ModuleConfig } from './serialization/config.js';
