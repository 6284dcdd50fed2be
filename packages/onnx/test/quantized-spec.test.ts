// The ONNX spec cases of QuantizeLinear, DequantizeLinear, QLinearMatMul and QLinearConv run on
// core's int8 ops directly (quantizeLinear, dequantizeLinear, qlinearMatmul, qlinearConv2d) — with
// the cpu backend's int8 kernels and with core's composition — and must equal the expected
// outputs exactly; imported, each model's node runs on the backend's int8 kernel.
import '@mapnn/backend-cpu';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dequantizeLinear, dispose, hasKernel, observeKernels, qlinearConv2d, qlinearMatmul, quantizeLinear, setBackend, tidy, withoutFastPaths, type Tensor } from '@mapnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeTensor, decodeTensorProto, hostToTensor, importOnnxSync, registerBuiltinOnnxOps } from '../src/index.js';
import { dataRoot } from './conformance.js';

const INT8_KERNELS = ['quantizeLinear', 'dequantizeLinear', 'qlinearMatmul', 'qlinearConv2d'];

/** Each case: how the node's inputs map onto the core op (attributes are the defaults in these cases). */
const CASES: Record<string, { kernel: string; run: (xs: Tensor[]) => Tensor }> = {
  test_quantizelinear: { kernel: 'quantizeLinear', run: ([x, s, z]) => quantizeLinear(x!, s!, z!) },
  test_quantizelinear_axis: { kernel: 'quantizeLinear', run: ([x, s, z]) => quantizeLinear(x!, s!, z!, { axis: 1 }) },
  test_dequantizelinear: { kernel: 'dequantizeLinear', run: ([x, s, z]) => dequantizeLinear(x!, s!, z!) },
  test_dequantizelinear_axis: { kernel: 'dequantizeLinear', run: ([x, s, z]) => dequantizeLinear(x!, s!, z!, { axis: 1 }) },
  test_qlinearmatmul_2D: { kernel: 'qlinearMatmul', run: (x) => qlinearMatmul(x[0]!, x[1]!, x[2]!, x[3]!, x[4]!, x[5]!, x[6]!, x[7]!) },
  test_qlinearmatmul_3D: { kernel: 'qlinearMatmul', run: (x) => qlinearMatmul(x[0]!, x[1]!, x[2]!, x[3]!, x[4]!, x[5]!, x[6]!, x[7]!) },
  test_qlinearconv: { kernel: 'qlinearConv2d', run: (x) => qlinearConv2d(x[0]!, x[1]!, x[2]!, x[3]!, x[4]!, x[5]!, x[6]!, x[7]!, null) },
};

const root = dataRoot();

function readPb(path: string): Tensor {
  return hostToTensor(decodeTensor(decodeTensorProto(readFileSync(path))));
}

/** input_0.pb … and output_0.pb of the case's first data set. */
function loadCase(name: string): { inputs: Tensor[]; expected: Tensor } {
  const dir = join(root, 'node', name, 'test_data_set_0');
  const inputs: Tensor[] = [];
  for (let i = 0; existsSync(join(dir, `input_${i}.pb`)); i++) inputs.push(readPb(join(dir, `input_${i}.pb`)));
  return { inputs, expected: readPb(join(dir, 'output_0.pb')) };
}

describe('ONNX spec cases on the core int8 ops (../shared/onnx-testdata/node)', () => {
  beforeAll(() => {
    setBackend('cpu');
    registerBuiltinOnnxOps();
  });
  if (!existsSync(join(root, 'node', 'test_qlinearconv'))) {
    it('test data is present', () => {
      const msg = `ONNX test data not found at ${root} (see ../shared/onnx-testdata or apt-get install libonnx-testdata)`;
      if (process.env.CI === 'true') throw new Error(msg);
      console.warn(`${msg}; skipping the int8 spec cases`);
    });
    return;
  }
  for (const [name, { kernel, run }] of Object.entries(CASES)) {
    it(`${name}: the expected output exactly, with the cpu kernel and composed`, () => {
      const { inputs, expected } = loadCase(name);
      try {
        expect(hasKernel(kernel, inputs[0]!.dtype), `the cpu backend has ${kernel}`).toBe(true);
        for (const mode of ['kernel', 'composed'] as const) {
          const y = mode === 'kernel' ? run(inputs) : withoutFastPaths(() => run(inputs), INT8_KERNELS);
          expect([y.shape, y.dtype], `${name} (${mode})`).toEqual([expected.shape, expected.dtype]);
          expect(Array.from(y.dataSync(), Number), `${name} (${mode})`).toEqual(Array.from(expected.dataSync(), Number));
          y.dispose();
        }
      } finally {
        dispose([...inputs, expected]);
      }
    });
  }

  for (const [name, { kernel }] of Object.entries(CASES)) {
    it(`${name}: the imported model runs the ${kernel} kernel and gives the expected output`, () => {
      const model = importOnnxSync(readFileSync(join(root, 'node', name, 'model.onnx')));
      const { inputs, expected } = loadCase(name);
      try {
        const seen: string[] = [];
        const got = tidy(() => {
          const feeds = Object.fromEntries(model.inputNames.map((n, i) => [n, inputs[i]!]));
          const outs = observeKernels((e) => seen.push(e.op), () => model.run(feeds));
          return Array.from(outs[model.outputNames[0]!]!.dataSync(), Number);
        });
        expect(seen, name).toContain(kernel);
        expect(got, name).toEqual(Array.from(expected.dataSync(), Number));
      } finally {
        dispose([...inputs, expected]);
        model.dispose();
      }
    });
  }
});
