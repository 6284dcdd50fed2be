import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import type { Tensor } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import { exportOnnx, type ExportOnnxOptions } from './export.js';

/**
 * Exports `model` (see `exportOnnx`) to an `.onnx` file at `path` (written to a temporary file
 * beside it first, then renamed, so a failed export leaves no partial file). Returns the bytes.
 *
 * @example exportOnnxFile('model.onnx', model, randn([1, 1, 28, 28]), { opset: 17 });
 */
export function exportOnnxFile(path: string, model: Module<any, any>, sample: Tensor | readonly Tensor[], options: ExportOnnxOptions = {}): Uint8Array {
  const bytes = exportOnnx(model, sample, options);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean up
    }
    throw e;
  }
  return bytes;
}
