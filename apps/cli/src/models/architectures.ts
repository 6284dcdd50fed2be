import type { Generator, Tensor } from '@mapnn/core';
import {
  BatchNorm2d,
  Conv2d,
  Flatten,
  GlobalAvgPool2d,
  Linear,
  LSTM,
  MaxPool2d,
  Module,
  ReLU,
  ResidualBlock,
  Sequential,
} from '@mapnn/layers';
import { convOut } from './shapes.js';

type G = { generator?: Generator };

/** Multi-layer perceptron: in → 128 → 64 → out with ReLU. */
export function mlp(inFeatures: number, outputs: number, o: G): Module {
  return new Sequential(
    new Linear(inFeatures, 128, o), new ReLU(),
    new Linear(128, 64, o), new ReLU(),
    new Linear(64, outputs, o),
  );
}

/**
 * Small CNN: two 3×3 convolutions (16, 32 channels) with ReLU and max pooling (after each
 * convolution for images of 16 px and more, else once), then a 64-unit dense layer.
 */
export function cnn([c, h, w]: number[], outputs: number, o: G): Module {
  const big = Math.min(h!, w!) >= 16;
  const layers: Module[] = [new Conv2d(c!, 16, 3, { padding: 1, ...o }), new ReLU()];
  if (big) layers.push(new MaxPool2d(2));
  layers.push(new Conv2d(16, 32, 3, { padding: 1, ...o }), new ReLU(), new MaxPool2d(2));
  const div = big ? 4 : 2;
  const flat = 32 * Math.floor(h! / div) * Math.floor(w! / div);
  layers.push(new Flatten(), new Linear(flat, 64, o), new ReLU(), new Linear(64, outputs, o));
  return new Sequential(...layers);
}

/** LeNet-5 (ReLU, max pooling): conv 6@5×5, pool, conv 16@5×5, pool, 120, 84, out. */
export function lenet([c, h, w]: number[], outputs: number, o: G): Module {
  const small = Math.min(h!, w!) < 16; // keep the maps from vanishing on 8×8 digits
  const p2 = small ? 2 : 0;
  let hh = Math.floor(convOut(h!, 5, 1, 2) / 2);
  let ww = Math.floor(convOut(w!, 5, 1, 2) / 2);
  hh = Math.floor(convOut(hh, 5, 1, p2) / 2);
  ww = Math.floor(convOut(ww, 5, 1, p2) / 2);
  return new Sequential(
    new Conv2d(c!, 6, 5, { padding: 2, ...o }), new ReLU(), new MaxPool2d(2),
    new Conv2d(6, 16, 5, { padding: p2, ...o }), new ReLU(), new MaxPool2d(2),
    new Flatten(),
    new Linear(16 * hh * ww, 120, o), new ReLU(),
    new Linear(120, 84, o), new ReLU(),
    new Linear(84, outputs, o),
  );
}

/** A small ResNet: stem conv-bn-relu (16), basic blocks 16 → 32 (/2) [→ 64 (/2)], global pool, dense. */
export function resnet([c, h, w]: number[], outputs: number, o: G): Module {
  const big = Math.min(h!, w!) >= 16;
  const blocks: Module[] = [
    new Conv2d(c!, 16, 3, { padding: 1, bias: false, ...o }), new BatchNorm2d(16), new ReLU(),
    new ResidualBlock(16, 16, o),
    new ResidualBlock(16, 32, { stride: 2, ...o }),
  ];
  if (big) blocks.push(new ResidualBlock(32, 64, { stride: 2, ...o }));
  blocks.push(new GlobalAvgPool2d(), new Linear(big ? 64 : 32, outputs, o));
  return new Sequential(...blocks);
}

/** LSTM over a sequence [N, T, F] (batch first), classifying from the last step's hidden state. */
export class LstmClassifier extends Module {
  lstm: LSTM;
  head: Linear;

  constructor(
    readonly features: number,
    readonly hidden: number,
    outputs: number,
    o: G,
  ) {
    super();
    this.lstm = new LSTM(features, hidden, { batchFirst: true, ...o });
    this.head = new Linear(hidden, outputs, o);
  }

  forward(x: Tensor): Tensor {
    const [out] = this.lstm.call(x);
    const t = out.shape[1]!;
    const last = out.narrow(1, t - 1, 1).reshape([out.shape[0]!, this.hidden]);
    return this.head.call(last);
  }

  override describe(): string {
    return `LstmClassifier(${this.features}, ${this.hidden})`;
  }
}

export function lstm([, features]: number[], outputs: number, o: G): Module {
  return new LstmClassifier(features!, 64, outputs, o);
}
