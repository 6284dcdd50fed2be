import { dropout, type Generator, type Tensor } from '@mapnn/core';
import { Module } from './module.js';
import { type ModuleConfig } from './serialization/config.js';

export interface DropoutOptions {
  /** Seeded generator for the masks (default: the global generator). */
  generator?: Generator;
}

/**
 * Inverted dropout (`torch.nn.Dropout`): in training each element is zeroed with probability
 * `p` and the rest scaled by 1/(1−p); identity in eval mode. Masks come from `generator`
 * (seeded, reproducible) or the global generator.
 *
 * @example
 * const drop = new Dropout(0.1, { generator: new Generator(0) });
 * drop.call(x);        // training: random mask
 * drop.eval().call(x); // identity
 */
export class Dropout extends Module {
  readonly generator?: Generator;

  constructor(
    readonly p = 0.5,
    options: DropoutOptions = {},
  ) {
    super();
    if (!(p >= 0 && p <= 1)) throw new Error(`Dropout: p must be in [0, 1], got ${p}`);
    this.generator = options.generator;
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return { p: this.p };
  }

  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training, { generator: this.generator });
  }

  override describe(): string {
    return `Dropout(p=${this.p})`;
  }
}
