// Cross-check against ONNX Runtime (onnxruntime-node, a dev dependency) on models built here and,
// when the ONNX test data is present, on a few conformance models with fresh random inputs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { tensor, type Tensor } from '@mapnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { importOnnxSync, setBackend } from './imports.js';
import { dataRoot } from './conformance.js';
import { mlpModel, rng } from './helpers.js';

beforeAll(() => setBackend('cpu'));

async function crossCheck(bytes: Uint8Array, seed: number, dims?: Record<string, number>): Promise<number> {
  const model = importOnnxSync<Tensor | Tensor[]>(bytes);
  const session = await ort.InferenceSession.create(bytes);
  const r = rng(seed);
  const feeds: Record<string, Tensor> = {};
  const ortFeeds: Record<string, ort.Tensor> = {};
  for (const i of model.inputs) {
    const shape = (i.shape ?? []).map((d) => (typeof d === 'number' ? d : (dims?.[String(d)] ?? 2)));
    const n = shape.reduce((a, b) => a * b, 1);
    const values = Float32Array.from({ length: n }, () => r() * 2 - 1);
    feeds[i.name] = tensor(values, shape);
    ortFeeds[i.name] = new ort.Tensor('float32', values, shape);
  }
  const ours = model.run(feeds);
  const theirs = await session.run(ortFeeds);
  let worst = 0;
  for (const name of model.outputNames) {
    const a = ours[name]!.dataSync();
    const b = theirs[name]!.data as Float32Array;
    expect(ours[name]!.shape).toEqual([...theirs[name]!.dims]);
    for (let k = 0; k < b.length; k++) {
      if (Number.isNaN(a[k]!) && Number.isNaN(b[k]!)) continue;
      worst = Math.max(worst, Math.abs(a[k]! - b[k]!) / (1e-3 + Math.abs(b[k]!)));
    }
  }
  model.dispose();
  return worst;
}

describe('agrees with ONNX Runtime', () => {
  it('on a built MLP', async () => {
    expect(await crossCheck(mlpModel(5), 1, { N: 3 })).toBeLessThan(1e-3);
  });

  const root = dataRoot();
  // float-input models of opsets ONNX Runtime still implements
  const cases = [
    'node/test_conv_with_strides_and_asymmetric_padding',
    'node/test_convtranspose_pads',
    'node/test_convtranspose_3d',
    'node/test_maxpool_2d_same_lower',
    'node/test_averagepool_2d_pads_count_include_pad',
    'node/test_batchnorm_example',
    'node/test_instancenorm_example',
    'node/test_layer_normalization_4d_axis1',
    'node/test_lstm_defaults',
    'node/test_gru_with_initial_bias',
    'node/test_softmax_axis_1',
    'node/test_gemm_all_attributes',
    'node/test_prelu_broadcast',
  ];
  for (const c of cases) {
    it.skipIf(!existsSync(join(root, c)))(c, async () => {
      const bytes = readFileSync(join(root, c, 'model.onnx'));
      expect(await crossCheck(bytes, c.length)).toBeLessThan(2e-3);
    });
  }
});
