// Helpers for the export tests: run a model in mapnn and in ONNX Runtime and compare.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { noGrad, tidy, type Tensor } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import { flattenTensors } from '../src/export/trace.js';
import { exportOnnx, type ExportOnnxOptions } from '../src/export/export.js';

export function toOrt(t: Tensor): ort.Tensor {
  const data = t.dataSync();
  const dims = [...t.shape];
  switch (t.dtype) {
    case 'float32':
    case 'float16':
      return new ort.Tensor('float32', Float32Array.from(data), dims);
    case 'float64':
      return new ort.Tensor('float64', Float64Array.from(data), dims);
    case 'int32':
      return new ort.Tensor('int32', Int32Array.from(data), dims);
    case 'int64':
      return new ort.Tensor('int64', BigInt64Array.from(Array.from(data, (v) => BigInt(v))), dims);
    case 'bool':
      return new ort.Tensor('bool', Uint8Array.from(data), dims);
    default:
      throw new Error(`toOrt: dtype ${t.dtype}`);
  }
}

export interface HostOut {
  shape: number[];
  data: number[];
}

/** Runs `model` on `inputs` in eval mode (no grad) and returns its flattened outputs on the host. */
export function runMapnn(model: Module<any, any>, inputs: Tensor[]): HostOut[] {
  const was = model.training;
  model.eval();
  try {
    return noGrad(() =>
      tidy(() => {
        const out = (model as unknown as { call: (...a: unknown[]) => unknown }).call(...inputs);
        return flattenTensors(out).map((t) => ({ shape: [...t.shape], data: Array.from(t.dataSync()) }));
      }),
    );
  } finally {
    model.train(was);
  }
}

export async function runOrt(bytes: Uint8Array, names: string[], inputs: Tensor[]): Promise<HostOut[]> {
  const session = await ort.InferenceSession.create(bytes);
  const feeds: Record<string, ort.Tensor> = {};
  names.forEach((n, i) => (feeds[n] = toOrt(inputs[i]!)));
  const res = await session.run(feeds);
  const outs = session.outputNames.map((n) => {
    const t = res[n]!;
    return { shape: [...t.dims].map(Number), data: Array.from(t.data as ArrayLike<number | bigint>, (v) => Number(v)) };
  });
  await session.release();
  return outs;
}

/** Largest |a − b| / max(1, |b|) over all outputs; throws on shape mismatches. */
export function maxDiff(a: HostOut[], b: HostOut[]): number {
  if (a.length !== b.length) throw new Error(`output count ${a.length} vs ${b.length}`);
  let worst = 0;
  a.forEach((x, i) => {
    const y = b[i]!;
    if (x.shape.join(',') !== y.shape.join(',')) throw new Error(`output ${i}: shape [${x.shape}] vs [${y.shape}]`);
    for (let k = 0; k < x.data.length; k++) {
      const [p, q] = [x.data[k]!, y.data[k]!];
      if (Number.isNaN(p) && Number.isNaN(q)) continue;
      if (p === q) continue;
      worst = Math.max(worst, Math.abs(p - q) / Math.max(1, Math.abs(q)));
    }
  });
  return worst;
}

/**
 * Exports `model` with `sample`, runs the file in ONNX Runtime on every input set given and
 * returns the worst difference to mapnn and the bytes.
 */
export async function compareWithOrt(
  model: Module<any, any>,
  sample: Tensor[],
  others: Tensor[][] = [],
  options: ExportOnnxOptions = {},
): Promise<{ diff: number; bytes: Uint8Array }> {
  const bytes = exportOnnx(model, sample, options);
  const names = options.inputNames ? [...options.inputNames] : sample.length === 1 ? ['input'] : sample.map((_, i) => `input_${i}`);
  let diff = 0;
  for (const ins of [sample, ...others]) {
    const ours = runMapnn(model, ins);
    const theirs = await runOrt(bytes, names, ins);
    diff = Math.max(diff, maxDiff(ours, theirs));
  }
  return { diff, bytes };
}

/** A PyTorch-exported fixture (scripts/gen_torch_models.py): input and PyTorch's output. */
export interface TorchFixture {
  name: string;
  ops: string[];
  input: { name: string; shape: number[]; data: number[] };
  output: { name: string; shape: number[]; data: number[] };
}

const torchDir = fileURLToPath(new URL('../fixtures/torch/', import.meta.url));
export const torchModel = (name: string): Uint8Array => readFileSync(`${torchDir}${name}.onnx`);
export const torchFixture = (name: string): TorchFixture => JSON.parse(readFileSync(`${torchDir}${name}.json`, 'utf8')) as TorchFixture;
