import { Generator, noGrad, tidy, type Tensor } from '@mapnn/core';
import { Linear, Module, ReLU, Sequential, Tanh, orthogonal, zerosInit } from '@mapnn/layers';

/** Hidden-layer activation of the agents' networks. */
export type Activation = 'tanh' | 'relu';

export interface MlpOptions {
  /** Widths of the hidden layers (default [64, 64]). */
  hidden?: readonly number[];
  activation?: Activation;
  /** Draws the initial weights (seeded agents pass their own). */
  generator?: Generator;
  /**
   * `'default'`: PyTorch's Linear init. `'orthogonal'`: orthogonal weights with gain √2 on
   * hidden layers and `outputGain` on the last, zero biases (Stable-Baselines3 / CleanRL).
   */
  init?: 'default' | 'orthogonal';
  /** Gain of the output layer under orthogonal init (default 1). */
  outputGain?: number;
}

/**
 * A multi-layer perceptron `inDim → hidden… → outDim` as a `Sequential` of `Linear` and
 * activation layers — the networks of every agent here.
 *
 * @example
 * const q = mlp(4, 2, { hidden: [256, 256], activation: 'relu', generator: new Generator(1) });
 */
export function mlp(inDim: number, outDim: number, options: MlpOptions = {}): Sequential {
  const hidden = options.hidden ?? [64, 64];
  const g = options.generator;
  const layers: Module<any, any>[] = [];
  const linears: Linear[] = [];
  let width = inDim;
  for (const h of hidden) {
    const lin = new Linear(width, h, { generator: g });
    linears.push(lin);
    layers.push(lin, options.activation === 'relu' ? new ReLU() : new Tanh());
    width = h;
  }
  const out = new Linear(width, outDim, { generator: g });
  linears.push(out);
  layers.push(out);
  if (options.init === 'orthogonal') {
    linears.forEach((lin, i) => orthogonalInit(lin, i === linears.length - 1 ? (options.outputGain ?? 1) : Math.SQRT2, g));
  }
  return new Sequential(...layers);
}

function orthogonalInit(lin: Linear, gain: number, generator?: Generator): void {
  noGrad(() => tidy(() => {
    orthogonal(lin.weight, { gain, generator });
    if (lin.bias) zerosInit(lin.bias);
  }));
}

/**
 * A dueling Q-network (Wang et al. 2016): a shared trunk, a state-value stream V and an
 * advantage stream A, combined as `Q = V + A − mean(A)`.
 *
 * @example
 * const q = new DuelingQNetwork(4, 2, { hidden: [64, 64], activation: 'relu' });
 * q.call(obs); // [batch, 2]
 */
export class DuelingQNetwork extends Module {
  readonly trunk: Sequential;
  readonly value: Linear;
  readonly advantage: Linear;

  constructor(inDim: number, numActions: number, options: MlpOptions = {}) {
    super();
    const hidden = options.hidden ?? [64, 64];
    if (hidden.length === 0) throw new Error('DuelingQNetwork: needs at least one hidden layer for the shared trunk');
    const width = hidden[hidden.length - 1]!;
    // an MLP ending in a Linear of the last hidden width, then that layer's activation
    const body = mlp(inDim, width, { ...options, hidden: hidden.slice(0, -1) });
    this.trunk = new Sequential(...body.layers(), options.activation === 'relu' ? new ReLU() : new Tanh());
    this.value = new Linear(width, 1, { generator: options.generator });
    this.advantage = new Linear(width, numActions, { generator: options.generator });
  }

  forward(x: Tensor): Tensor {
    const h = this.trunk.call(x);
    const a = this.advantage.call(h);
    return this.value.call(h).add(a.sub(a.mean(1, true)));
  }
}
