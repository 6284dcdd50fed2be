import { dequantizeLinear, quantizeLinear, tensor, transpose, type Tensor } from '@mapnn/core';
import { buffer } from '@mapnn/layers';
import type { QParams } from './qparams.js';
import type { QuantizedWeights } from './quantized-weights.js';

/** How a quantized layer computes: true int8 (the core QLinear ops) or the float fake-quant simulation. */
export type QuantCompute = 'int8' | 'simulate';

/** The operands of a core QLinear op for one layer, made once (kept alive as buffers). */
export interface Int8Operands {
  /** Scales as float32 scalar tensors (made once: a number would become a new tensor per call). */
  xScale: Tensor;
  xZeroPoint: Tensor;
  /** int8 weight: Conv [O, C/g, kh, kw]; Linear transposed to [in, out] (qlinearMatmul's b). */
  w: Tensor;
  wScale: Tensor;
  wZeroPoint: Tensor;
  yScale: Tensor;
  yZeroPoint: Tensor;
  bias: Tensor | null;
}

/** A scalar zero point tensor of the quantized dtype. */
export const zeroPointTensor = (q: QParams): Tensor => buffer(tensor([q.zeroPoint], [], q.dtype));

const scaleTensor = (q: QParams): Tensor => buffer(tensor([q.scale], [], 'float32'));

/** The int8 operands of a layer: its per-channel weight (transposed for a Linear), int32 bias and activation parameters. */
export function int8Operands(q: QuantizedWeights, input: QParams, output: QParams, kind: 'conv' | 'linear'): Int8Operands {
  const c = q.weight.scales.length;
  const w = tensor(q.weight.values, q.weight.shape, 'int8');
  return {
    xScale: scaleTensor(input),
    xZeroPoint: zeroPointTensor(input),
    w: buffer(kind === 'linear' ? transpose(w, [1, 0]) : w),
    wScale: buffer(tensor(q.weight.scales, [c], 'float32')),
    wZeroPoint: buffer(tensor(new Int8Array(c), [c], 'int8')),
    yScale: scaleTensor(output),
    yZeroPoint: zeroPointTensor(output),
    bias: q.bias ? buffer(tensor(q.bias.values, [c], 'int32')) : null,
  };
}

/**
 * The quantized input of a layer: an int8 / uint8 tensor passes as it is (it carries the
 * layer's input scale and zero point: the previous quantized layer's output parameters), a
 * float32 one is quantized (ONNX QuantizeLinear).
 */
export function quantizedInput(x: Tensor, input: QParams, ops: Int8Operands, layer: string): Tensor {
  if (x.dtype === input.dtype) return x;
  if (x.dtype === 'float32') return quantizeLinear(x, ops.xScale, ops.xZeroPoint);
  throw new Error(`quantized layer '${layer}': the input must be float32 or ${input.dtype} (its quantized input type), got ${x.dtype} [${x.shape.join(', ')}]`);
}

/** The layer's output: the int8 tensor itself when the next quantized layer takes it, else dequantized to float32. */
export function layerOutput(y: Tensor, ops: Int8Operands, int8Output: boolean): Tensor {
  return int8Output ? y : dequantizeLinear(y, ops.yScale, ops.yZeroPoint);
}
