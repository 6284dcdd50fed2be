import { Flatten, MaxPool2d, Sequential, type Module } from '@mapnn/layers';
import { FoldedBatchNorm } from '../qat/fold-batch-norm.js';
import type { CalibratedLayer } from './calibrate.js';
import { moduleAt } from './quantizable-layers.js';

/**
 * Modules that pass an int8 tensor on with its scale and zero point unchanged: max pooling
 * (max commutes with the monotone dequantization) and flatten (a reshape). ONNX Runtime's
 * quantizer gives such ops one set of parameters on both sides, and its QDQ fusion then runs
 * them on int8. A BatchNorm folded into the conv before it (`FoldedBatchNorm`) passes anything.
 */
export function passesInt8(m: Module<any, any>): boolean {
  return m instanceof MaxPool2d || m instanceof Flatten || m instanceof FoldedBatchNorm;
}

/** A calibrated layer whose int8 output feeds `consumer` through int8-passing modules only. */
export interface Int8Link {
  producer: CalibratedLayer;
  consumer: CalibratedLayer;
  /** State-dict paths of the modules between them (fused ReLU, pooling, flatten). */
  between: string[];
}

/**
 * The int8 links of a model: in a Sequential, a calibrated layer followed (after its fused
 * ReLU) by max pooling / flatten modules only and then by another calibrated layer. The
 * consumer then takes the producer's output parameters as its input parameters (one
 * quantized tensor, as ONNX Runtime's quantizer makes it), so int8 values flow between them.
 */
export function int8Links(model: Module<any, any>, layers: readonly CalibratedLayer[]): Int8Link[] {
  const byPath = new Map(layers.map((l) => [l.path, l]));
  const links: Int8Link[] = [];
  for (const producer of layers) {
    const dot = producer.path.lastIndexOf('.');
    const parentPath = dot < 0 ? '' : producer.path.slice(0, dot);
    const parent = moduleAt(model, parentPath);
    if (!(parent instanceof Sequential)) continue;
    const full = (n: string) => (parentPath ? `${parentPath}.${n}` : n);
    const children = parent.namedChildren();
    const names = children.map(([n]) => n);
    const between: string[] = [];
    for (let i = names.indexOf(producer.path.slice(dot + 1)) + 1; i < names.length; i++) {
      const path = full(names[i]!);
      const consumer = byPath.get(path);
      if (consumer) {
        links.push({ producer, consumer, between });
        break;
      }
      if (path !== producer.reluPath && !passesInt8(children[i]![1])) break;
      between.push(path);
    }
  }
  return links;
}
