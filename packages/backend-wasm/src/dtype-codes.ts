import type { DType } from '@mapnn/core/backend';

/** dtype codes shared with the kernels (assembly/common.ts). */
export const DTYPE_CODE: Record<DType, number> = {
  float32: 0,
  float64: 1,
  int32: 2,
  int64: 3,
  int8: 4,
  uint8: 5,
  bool: 6,
  float16: 7,
};

/** Bytes per element of each dtype's storage (int64 is an integral float64). */
export const ELEMENT_BYTES: Record<DType, number> = {
  float32: 4,
  float64: 8,
  int32: 4,
  int64: 8,
  int8: 1,
  uint8: 1,
  bool: 1,
  float16: 2,
};
