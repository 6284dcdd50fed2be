import { isFloat, type DType } from '@mapnn/core';
import type { Module } from '../module.js';

/** A value JSON can hold exactly (finite numbers only). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * A module's constructor configuration as JSON (Keras's `get_config()`): what `getConfig()`
 * returns and what the registry builds the module from. Weights are not part of it.
 */
export type ModuleConfig = { [key: string]: JsonValue };

/**
 * Drops `undefined` entries (JSON has none) from a config written with optional fields, so
 * `getConfig()` implementations can list options as they are stored.
 */
export function compactConfig(config: Record<string, JsonValue | undefined>): ModuleConfig {
  const out: ModuleConfig = {};
  for (const [k, v] of Object.entries(config)) if (v !== undefined) out[k] = v;
  return out;
}

/** The dtype of a module's first float parameter or buffer (its constructor's `dtype`), if any. */
export function floatDType(m: Module<any, any>): DType | undefined {
  return [...m.parameters(), ...m.buffers()].find((t) => isFloat(t.dtype))?.dtype;
}

/** The config of a pooling layer: its pooling options (all JSON: numbers, pairs, booleans, null). */
export function poolConfig(options: {
  kernelSize: JsonValue;
  stride?: JsonValue;
  padding?: JsonValue;
  dilation?: JsonValue;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number;
}): ModuleConfig {
  const { kernelSize, stride, padding, dilation, ceilMode, countIncludePad, divisorOverride } = options;
  return compactConfig({ kernelSize, stride, padding, dilation, ceilMode, countIncludePad, divisorOverride });
}
