import { decodeSparseSafetensors } from '@mapnn/compression';
import { decodeRawSafetensors, type SafeTensor } from '@mapnn/train';

/**
 * The dense tensors of a CSR sparse model.safetensors (`encodeSparseSafetensors`, written by
 * `mapnn compress --prune`); null for an ordinary checkpoint (F16 ones, from
 * `--quantize fp16`, decode as they are: `decodeSafetensors` widens float16 exactly).
 */
export function decodeSparseWeights(bytes: Uint8Array): Record<string, SafeTensor> | null {
  if (!decodeRawSafetensors(bytes).metadata['mapnn.sparse']) return null;
  const out: Record<string, SafeTensor> = {};
  for (const [name, e] of Object.entries(decodeSparseSafetensors(bytes))) out[name] = { dtype: e.dtype, shape: e.shape, data: e.data } as SafeTensor;
  return out;
}
