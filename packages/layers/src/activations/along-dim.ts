import type { Tensor } from '@mapnn/core';
import { Module } from '../module.js';
import { type ModuleConfig } from '../serialization/config.js';

/**
 * A parameter-free module applying one op along `dim` (default the last): what `Softmax` and
 * `LogSoftmax` share — the `dim` argument, its config and its description.
 */
export abstract class AlongDim extends Module {
  constructor(
    /** The module's name in `describe()`, e.g. `'Softmax'`. */
    private readonly title: string,
    readonly dim: number,
  ) {
    super();
  }

  /** The op applied along `dim`. */
  protected abstract along(x: Tensor, dim: number): Tensor;

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return { dim: this.dim };
  }

  forward(x: Tensor): Tensor {
    return this.along(x, this.dim);
  }

  override describe(): string {
    return `${this.title}(dim=${this.dim})`;
  }
}
