// exportOnnx's options, errors and extension points.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@mapnn/backend-cpu';
import {
  add,
  arange,
  gather,
  manualSeed,
  mul,
  randn,
  registerKernel,
  relu,
  runKernel,
  scatterAdd,
  setBackend,
  squeeze,
  tanh,
  tensor,
  zeros,
  zerosLike,
  type Tensor,
  type TypedArray,
} from '@mapnn/core';
import { Dropout, Linear, Module, ReLU, Sequential } from '@mapnn/layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeModelProto } from '../proto/decode.js';
import { exportOnnxFile } from './node.js';
import { exportOnnx, exportOnnxModel } from './export.js';
import { OnnxExportError } from './errors.js';
import { registerOnnxModuleExporter } from './modules.js';
import { compareWithOrt, runOrt } from '../../test/export-ort.js';

beforeAll(() => {
  setBackend('cpu');
  manualSeed(3);
  // a kernel the exporter knows nothing about
  registerKernel({
    op: 'testCube',
    backend: 'cpu',
    dtypes: ['float32'],
    fn: ([x], _attrs, { backend }) => {
      const v = backend.readSync(x!.dataId) as Float32Array;
      return { dataId: backend.write(v.map((e) => e * e * e) as TypedArray, 'float32'), shape: x!.shape, dtype: 'float32' };
    },
  });
});

const cube = (x: Tensor) => runKernel('testCube', [x]);

class Cube extends Module<[Tensor], Tensor> {
  forward(x: Tensor): Tensor {
    return cube(x);
  }
}

class Unsupported extends Module<[Tensor], Tensor> {
  fc = new Linear(4, 4);
  act = new Cube();
  forward(x: Tensor): Tensor {
    const y = this.act.call(this.fc.call(x));
    const idx = tensor([[0, 1, 2, 3]], [1, 4], 'int64');
    // ScatterElements with reduction 'add' needs opset 16
    return add(scatterAdd(zerosLike(y), 1, idx.broadcastTo(y.shape), y), cube(x));
  }
}

describe('options', () => {
  it('names inputs and outputs, sets the doc string, IR version 8, the opset and the producer', () => {
    const model = new Sequential(new Linear(3, 2));
    const m = exportOnnxModel(model, randn([2, 3]), { inputNames: ['features'], outputNames: ['scores'], docString: 'hello', opset: 17, graphName: 'tiny' });
    expect(Number(m.irVersion)).toBe(8);
    expect(m.opsetImport).toEqual([{ domain: '', version: 17 }]);
    expect(m.producerName).toBe('mapnn');
    expect(m.docString).toBe('hello');
    expect(m.graph!.name).toBe('tiny');
    expect(m.graph!.input!.map((i) => i.name)).toEqual(['features']);
    expect(m.graph!.output!.map((o) => o.name)).toEqual(['scores']);
    expect(m.graph!.input![0]!.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['batch', 3]);
    expect(m.graph!.initializer!.map((t) => t.name).sort()).toEqual(['0.bias', '0.weight']);
  });

  it('dynamicBatch: false writes static shapes', async () => {
    const model = new Sequential(new Linear(3, 2), new ReLU());
    const m = exportOnnxModel(model, randn([4, 3]), { dynamicBatch: false });
    expect(m.graph!.input![0]!.type!.tensorType!.shape!.dim!.map((d) => Number(d.dimValue))).toEqual([4, 3]);
    expect(m.graph!.output![0]!.type!.tensorType!.shape!.dim!.map((d) => Number(d.dimValue))).toEqual([4, 2]);
    const { diff } = await compareWithOrt(model, [randn([4, 3])], [], { dynamicBatch: false });
    expect(diff).toBeLessThan(1e-4);
  });

  it('several inputs and outputs, an output that is an input, and a constant output', async () => {
    class Multi extends Module<[Tensor, Tensor], Tensor[]> {
      fc = new Linear(3, 3);
      forward(a: Tensor, b: Tensor): Tensor[] {
        const s = add(this.fc.call(a), b);
        return [s, a, relu(s), tensor([1, 2, 3])];
      }
    }
    const model = new Multi();
    const { diff, bytes } = await compareWithOrt(model, [randn([2, 3]), randn([2, 3])], [[randn([5, 3]), randn([5, 3])]]);
    expect(diff).toBeLessThan(1e-4);
    expect(decodeModelProto(bytes).graph!.output!.map((o) => o.name)).toEqual(['output_0', 'output_1', 'output_2', 'output_3']);
  });

  it('restores Module.prototype.call and the training flags, also after an error', () => {
    const call = Module.prototype.call;
    const model = new Sequential(new Linear(4, 4), new Dropout(0.5), new Cube());
    model.train();
    expect(() => exportOnnx(model, randn([2, 4]))).toThrow(OnnxExportError);
    expect(Module.prototype.call).toBe(call);
    expect(model.modules().every((m) => m.training)).toBe(true);
    const ok = new Sequential(new Linear(4, 4), new Dropout(0.5));
    ok.eval();
    exportOnnx(ok, randn([2, 4]));
    expect(ok.modules().every((m) => !m.training)).toBe(true);
  });

  it('rejects bad options with clear messages', () => {
    const model = new Linear(3, 2);
    expect(() => exportOnnx(model, randn([2, 3]), { opset: 12 })).toThrow(/opset must be an integer from 13 to 17/);
    expect(() => exportOnnx(model, randn([2, 3]), { inputNames: ['a', 'b'] })).toThrow(/2 input names for 1 inputs/);
    expect(() => exportOnnx(model, randn([2, 3]), { outputNames: ['input'] })).toThrow(/output name 'input'/);
    expect(() => exportOnnx(model, randn([2, 3]), { batchAxes: [2] })).toThrow(/batch axis 2/);
  });
});

describe('errors', () => {
  it('lists every unsupported kernel in one error, with where it happens', () => {
    let err: OnnxExportError | undefined;
    try {
      exportOnnx(new Unsupported(), randn([2, 4]));
    } catch (e) {
      err = e as OnnxExportError;
    }
    expect(err).toBeInstanceOf(OnnxExportError);
    expect(err!.problems).toHaveLength(3);
    expect(err!.message).toMatch(/kernel 'testCube' in 'act' has no ONNX mapping/);
    expect(err!.message).toMatch(/kernel 'testCube' has no ONNX mapping/);
    expect(err!.message).toMatch(/scatterAdd.*opset 16/);
  });

  it('a forward that branches on the batch size needs dynamicBatch: false', async () => {
    class Branchy extends Module<[Tensor], Tensor> {
      forward(x: Tensor): Tensor {
        return x.shape[0]! > 2 ? relu(x) : tanh(x);
      }
    }
    expect(() => exportOnnx(new Branchy(), randn([2, 3]))).toThrow(/runs differently at batch sizes 2 and 3.*dynamicBatch: false/);
    const { diff } = await compareWithOrt(new Branchy(), [randn([2, 3])], [], { dynamicBatch: false });
    expect(diff).toBeLessThan(1e-4);
  });

  it('a constant that follows the batch size without repeating along it is reported', () => {
    class Positions extends Module<[Tensor], Tensor> {
      forward(x: Tensor): Tensor {
        return add(x, arange(x.shape[0]!).reshape([-1, 1]));
      }
    }
    expect(() => exportOnnx(new Positions(), randn([3, 2]))).toThrow(/depends on the batch size and does not repeat along it/);
    expect(() => exportOnnx(new Positions(), randn([3, 2]), { dynamicBatch: false })).not.toThrow();
  });

  it('a rank that changes with the batch size (squeezing a batch of 1) is reported', () => {
    class Squeezy extends Module<[Tensor], Tensor> {
      forward(x: Tensor): Tensor {
        return relu(squeeze(x));
      }
    }
    expect(() => exportOnnx(new Squeezy(), randn([1, 3]))).toThrow(/rank changes with the batch size/);
    expect(() => exportOnnx(new Squeezy(), randn([2, 3]))).not.toThrow();
  });

  it('a value computed inside a layer exported whole must not leak out of it', () => {
    class Leaky extends Module<[Tensor], Tensor> {
      last: Tensor | null = null;
      forward(x: Tensor): Tensor {
        this.last = tanh(x);
        return relu(x);
      }
    }
    registerOnnxModuleExporter(Leaky, { export: (ctx, _m, [x], y) => ctx.bind(y as Tensor, ctx.op('Relu', [ctx.input(x as Tensor)])) });
    class Outer extends Module<[Tensor], Tensor> {
      inner = new Leaky();
      forward(x: Tensor): Tensor {
        return add(this.inner.call(x), this.inner.last!);
      }
    }
    expect(() => exportOnnx(new Outer(), randn([2, 3]))).toThrow(/computed inside 'inner' \(exported as one unit\) is used outside it/);
  });

  it('constants that repeat along the batch (zeros([N, H]) states) stay dynamic', async () => {
    class WithState extends Module<[Tensor], Tensor> {
      fc = new Linear(3, 3);
      forward(x: Tensor): Tensor {
        const h = zeros([x.shape[0]!, 3]);
        return add(this.fc.call(x), mul(add(h, 1), gather(x, 1, tensor([[0, 0, 1]], [1, 3], 'int64').broadcastTo([x.shape[0]!, 3]))));
      }
    }
    const { diff } = await compareWithOrt(new WithState(), [randn([2, 3])], [[randn([6, 3])]]);
    expect(diff).toBeLessThan(1e-4);
  });
});

describe('extension and files', () => {
  it('registerOnnxModuleExporter exports a custom module whole', async () => {
    class Swish extends Module<[Tensor], Tensor> {
      forward(x: Tensor): Tensor {
        return mul(x, cube(x)); // a stand-in computation the exporter cannot trace
      }
    }
    registerOnnxModuleExporter(Swish, {
      export: (ctx, _m, [x], y) => {
        const v = ctx.input(x as Tensor);
        ctx.bind(y as Tensor, ctx.op('Mul', [v, ctx.op('Mul', [v, ctx.op('Mul', [v, v])])]));
      },
    });
    const model = new Sequential(new Linear(3, 3), new Swish());
    const { diff } = await compareWithOrt(model, [randn([2, 3])], [[randn([4, 3])]]);
    expect(diff).toBeLessThan(1e-4);
  });

  it('exportOnnxFile writes the model to a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapnn-export-'));
    try {
      const path = join(dir, 'mlp.onnx');
      const model = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
      const bytes = exportOnnxFile(path, model, randn([1, 3]));
      const onDisk = new Uint8Array(readFileSync(path));
      expect(onDisk).toEqual(bytes);
      const out = await runOrt(onDisk, ['input'], [randn([3, 3])]);
      expect(out[0]!.shape).toEqual([3, 2]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
