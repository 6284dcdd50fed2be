import { existsSync, readFileSync } from 'node:fs';
import type { Tensor } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import { decodeModelProto, encodeModelProto, exportOnnxFile, importOnnx, longToNumber, tensorToProto, type OnnxModule } from '@mapnn/onnx/node';
import { writeFileAtomic } from '@mapnn/train/node';
import { CliError, messageOf } from '../errors.js';

/** Imports an .onnx file (errors become one clear line naming the file). */
export async function importOnnxFile(path: string): Promise<OnnxModule> {
  if (!existsSync(path)) throw new CliError(`ONNX file not found: ${path}`);
  try {
    return await importOnnx(path);
  } catch (e) {
    throw new CliError(`cannot import ${path}: ${messageOf(e)}`);
  }
}

/** Per-sample input dims of an imported model (null where the graph leaves them open). */
export function onnxSampleShape(model: OnnxModule): (number | null)[] | null {
  const shape = model.inputs[0]?.shape;
  if (!shape) return null;
  return shape.slice(1).map((d) => (typeof d === 'number' && d > 0 ? d : null));
}

/** Output size (last dim) of an imported model, when static. */
export function onnxOutputSize(model: OnnxModule): number | null {
  const shape = model.outputs[0]?.shape;
  const last = shape?.[shape.length - 1];
  return typeof last === 'number' && last > 0 ? last : null;
}

/**
 * The bytes of `source` (an ONNX model) with its initializers replaced by the module's current
 * weights: how a fine-tuned imported model is saved back to ONNX.
 */
export function onnxWithWeights(source: Uint8Array, model: Module<any, any>): Uint8Array {
  const proto = decodeModelProto(source);
  const state = model.stateDict();
  const graph = proto.graph!;
  graph.initializer = (graph.initializer ?? []).map((init) => {
    const t = state[init.name ?? ''];
    return t ? tensorToProto(t, init.name!) : init;
  });
  return encodeModelProto(proto);
}

export interface OnnxExportResult {
  bytes: Uint8Array;
  input: string;
  output: string;
  opset?: number;
}

/**
 * Exports a model to an .onnx file: a built-in architecture with @mapnn/onnx's `exportOnnxFile`
 * (traced on `sample`, batch dim dynamic, written atomically); a fine-tuned imported model by
 * writing its current weights into its source graph, which keeps that graph exactly as it was.
 */
export async function exportModelOnnx(model: Module<any, any>, sample: Tensor, file: string, source?: Uint8Array): Promise<OnnxExportResult> {
  try {
    if (source) {
      const m = model as OnnxModule;
      const bytes = onnxWithWeights(source, model);
      writeFileAtomic(file, bytes);
      return { bytes, input: m.inputs[0]?.name ?? 'input', output: m.outputs[0]?.name ?? 'output', opset: opsetOf(bytes) };
    }
    const bytes = exportOnnxFile(file, model, sample, { inputNames: ['input'], outputNames: ['output'], dynamicBatch: true, producerName: 'mapnn' });
    return { bytes, input: 'input', output: 'output', opset: opsetOf(bytes) };
  } catch (e) {
    throw new CliError(`ONNX export failed: ${messageOf(e)}`);
  }
}

function opsetOf(bytes: Uint8Array): number | undefined {
  const o = decodeModelProto(bytes).opsetImport?.find((x) => !x.domain || x.domain === 'ai.onnx');
  return o ? longToNumber(o.version) : undefined;
}

export function readOnnxBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}
