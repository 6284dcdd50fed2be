import { UsageError } from '../errors.js';
import type { ModelKind } from './spec.js';

const product = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** The per-sample input shape a model kind takes for data whose samples are `sampleShape`. */
export function inputShapeFor(kind: ModelKind, sampleShape: number[], dataKind: 'image' | 'tabular'): number[] {
  switch (kind) {
    case 'mlp':
      return [product(sampleShape)];
    case 'cnn':
    case 'lenet':
    case 'resnet':
      if (dataKind !== 'image' || sampleShape.length !== 3) {
        throw new UsageError(`--model ${kind} needs image data (digits, mnist, fashion-mnist); use --model mlp or lstm for tabular data`);
      }
      return sampleShape;
    case 'lstm':
      // images: one time step per row; tabular: one step per feature
      if (dataKind === 'image') {
        const [c, h, w] = sampleShape as [number, number, number];
        if (c !== 1) throw new UsageError('--model lstm takes single-channel images');
        return [h, w];
      }
      return [product(sampleShape), 1];
  }
}

/** Output size of a convolution or pooling along one dim. */
export function convOut(size: number, kernel: number, stride = 1, padding = 0): number {
  return Math.floor((size + 2 * padding - kernel) / stride) + 1;
}
