import type { DType, Generator, Shape, Tensor } from '@mapnn/core';
import { defaultLayerInit } from './init.js';
import { parameter } from './module.js';

/** The options of a convolution layer that decide its parameters. */
export interface ConvParameterOptions {
  bias?: boolean;
  generator?: Generator;
  dtype?: DType;
}

/**
 * The weight (`weightShape`) and bias (`[outChannels]`, unless `bias: false`) of a convolution
 * layer with PyTorch's default init, after checking that `groups` divides both channel counts
 * (`layer` names the layer in the error). Shared by Conv1d, Conv2d and ConvTranspose2d.
 */
export function convParameters(
  layer: string,
  inChannels: number,
  outChannels: number,
  groups: number,
  weightShape: Shape,
  options: ConvParameterOptions,
): { weight: Tensor; bias: Tensor | null } {
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new Error(`${layer}: inChannels (${inChannels}) and outChannels (${outChannels}) must be divisible by groups (${groups})`);
  }
  const [w, b] = defaultLayerInit(weightShape, options.bias === false ? null : [outChannels], options.generator, options.dtype);
  return { weight: parameter(w), bias: b ? parameter(b) : null };
}
