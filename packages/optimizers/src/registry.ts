import { getPlugin, listPlugins, registerPlugin, type Tensor } from '@mapnn/core';
import { Adadelta } from './adadelta.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { Adamax } from './adamax.js';
import { AdamW } from './adamw.js';
import { NAdam } from './nadam.js';
import type { Optimizer, ParamGroupInput } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

/** The plugin kind optimizers register under in core's registry. */
export const OPTIMIZER_PLUGIN = 'optimizer';

/** What an optimizer registers: a factory from parameters and options. */
export type OptimizerFactory = (
  params: readonly Tensor[] | readonly ParamGroupInput[],
  options?: Record<string, unknown>,
) => Optimizer;

const BUILTIN: Record<string, OptimizerFactory> = {
  sgd: (p, o) => new SGD(p, o),
  adam: (p, o) => new Adam(p, o),
  adamw: (p, o) => new AdamW(p, o),
  adamax: (p, o) => new Adamax(p, o),
  nadam: (p, o) => new NAdam(p, o),
  rmsprop: (p, o) => new RMSprop(p, o),
  adagrad: (p, o) => new Adagrad(p, o),
  adadelta: (p, o) => new Adadelta(p, o),
};

/**
 * Registers the built-in optimizers in core's plugin registry under kind `'optimizer'`
 * (`sgd`, `adam`, `adamw`, `adamax`, `nadam`, `rmsprop`, `adagrad`, `adadelta`). Importing
 * `@mapnn/optimizers` does this; calling it again is harmless and does not replace optimizers
 * registered under those names by others.
 */
export function registerOptimizers(): void {
  for (const [name, factory] of Object.entries(BUILTIN)) {
    if (!getPlugin(OPTIMIZER_PLUGIN, name)) registerPlugin(OPTIMIZER_PLUGIN, name, factory);
  }
}

registerOptimizers();

/**
 * Creates an optimizer registered under `name` (case-insensitive), e.g. from a config file.
 * Other packages add optimizers with `registerPlugin('optimizer', name, factory)`.
 *
 * @example
 * const opt = optimizerByName('adamw', model.parameters(), { lr: 3e-4, weightDecay: 0.05 });
 */
export function optimizerByName(
  name: string,
  params: readonly Tensor[] | readonly ParamGroupInput[],
  options: Record<string, unknown> = {},
): Optimizer {
  registerOptimizers();
  const factory =
    getPlugin<OptimizerFactory>(OPTIMIZER_PLUGIN, name) ?? getPlugin<OptimizerFactory>(OPTIMIZER_PLUGIN, name.toLowerCase());
  if (!factory) {
    throw new Error(`optimizerByName: no optimizer '${name}' is registered (registered: ${listPlugins(OPTIMIZER_PLUGIN).join(', ')})`);
  }
  return factory(params, options);
}
