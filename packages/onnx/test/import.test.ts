import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { add, isTensor, matmul, mean, memory, noGrad, relu, square, sub, tensor, tidy, transpose, type Tensor } from '@mapnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  OnnxImportError, OnnxParameters, OnnxRunError, importOnnx, importOnnxSync, registerOnnxOp, setBackend, onnx, encodeModelProto,
} from './imports.js';
import { importOnnxFile, importOnnx as importOnnxNode } from '../src/node.js';
import { T, attr, makeModel, mlpModel, node, tensorProto, valueInfo } from './helpers.js';

beforeAll(() => setBackend('cpu'));

const arr = (t: Tensor) => Array.from(t.dataSync());
const close = (a: number[], b: number[], tol = 1e-5) => a.every((v, i) => Math.abs(v - b[i]!) <= tol);

describe('importOnnx → OnnxModule', () => {
  it('runs an MLP and matches the same computation written with core ops', async () => {
    const model = await importOnnx(mlpModel());
    expect(model.inputNames).toEqual(['x']);
    expect(model.outputNames).toEqual(['y']);
    expect(model.inputs[0]).toEqual({ name: 'x', kind: 'tensor', dtype: 'float32', shape: ['N', 4] });
    const x = tensor([[1, 2, 3, 4], [-1, 0.5, 0, 2]]);
    const y = model.call(x);
    const sd = model.stateDict();
    const ref = add(matmul(relu(add(matmul(x, transpose(sd['features.0.weight']!)), sd['features.0.bias']!)), transpose(sd['head.weight']!)), sd['head.bias']!);
    expect(y.shape).toEqual([2, 3]);
    expect(close(arr(y), arr(ref))).toBe(true);
    const named = model.run({ x });
    expect(Object.keys(named)).toEqual(['y']);
    expect(close(arr(named.y!), arr(ref))).toBe(true);
    model.dispose();
  });

  it('names parameters by their ONNX initializer names (nested by dots)', () => {
    const model = importOnnxSync(mlpModel());
    expect(Object.keys(model.stateDict())).toEqual(['features.0.weight', 'features.0.bias', 'head.weight', 'head.bias']);
    expect(model.numParameters()).toBe(32 + 8 + 24 + 3);
    expect((model as unknown as { head: unknown }).head).toBeInstanceOf(OnnxParameters);
    expect(model.initializer('head.bias')!.shape).toEqual([3]);
    expect(model.parameters().every((p) => p.requiresGrad)).toBe(true);
    expect(model.training).toBe(false);
    model.dispose();
  });

  it('makes integer initializers and BatchNorm statistics buffers, float weights parameters', () => {
    const bytes = makeModel({
      nodes: [
        node('BatchNormalization', ['x', 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var'], ['b']),
        node('Reshape', ['b', 'shape'], ['y']),
      ],
      inputs: [valueInfo('x', T.FLOAT, [1, 2, 2])],
      outputs: [valueInfo('y', T.FLOAT, [1, 4])],
      initializers: [
        tensorProto('bn.weight', [2], [1, 2]),
        tensorProto('bn.bias', [2], [0, 1]),
        tensorProto('bn.running_mean', [2], [0.5, -0.5]),
        tensorProto('bn.running_var', [2], [1, 4]),
        tensorProto('shape', [2], [1, 4], T.INT64),
      ],
      opset: 15,
    });
    const model = importOnnxSync(bytes);
    expect(model.namedParameters().map(([n]) => n)).toEqual(['bn.weight', 'bn.bias']);
    expect(model.namedBuffers().map(([n]) => n).sort()).toEqual(['bn.running_mean', 'bn.running_var', 'shape']);
    const y = model.call(tensor([[[1, 2], [3, 4]]]));
    const eps = 1e-5;
    const expected = [(1 - 0.5) / Math.sqrt(1 + eps), (2 - 0.5) / Math.sqrt(1 + eps), ((3 + 0.5) / Math.sqrt(4 + eps)) * 2 + 1, ((4 + 0.5) / Math.sqrt(4 + eps)) * 2 + 1];
    expect(close(arr(y), expected)).toBe(true);
    model.dispose();
  });

  it('fine-tunes the head only: freeze(), unfreeze the head, train() and step', () => {
    const model = importOnnxSync(mlpModel(3));
    model.freeze();
    (model as unknown as { head: OnnxParameters }).head.unfreeze();
    model.train();
    expect(model.trainableParameters().length).toBe(2);
    const x = tensor([[1, 2, 3, 4], [0, 1, 0, 1], [-1, -2, 0.5, 2]]);
    const target = tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    const lossOf = () => tidy(() => mean(square(sub(model.call(x), target))).item());
    const before = lossOf();
    const trunk = arr(model.initializer('features.0.weight')!);
    for (let step = 0; step < 20; step++) {
      tidy(() => {
        const loss = mean(square(sub(model.call(x), target)));
        loss.backward();
        noGrad(() => {
          for (const p of model.trainableParameters()) {
            p.assign(sub(p, p.grad!.mul(0.05)));
          }
        });
        model.zeroGrad();
      });
    }
    expect(model.initializer('features.0.weight')!.grad).toBeNull();
    expect(arr(model.initializer('features.0.weight')!)).toEqual(trunk);
    expect(lossOf()).toBeLessThan(before * 0.8);
    model.dispose();
  });

  it('frees every intermediate in eval mode (only the outputs stay)', () => {
    const model = importOnnxSync(mlpModel());
    const x = tensor([[1, 2, 3, 4]]);
    const before = memory().numTensors;
    const y = model.call(x);
    expect(memory().numTensors).toBe(before + 1);
    y.dispose();
    expect(memory().numTensors).toBe(before);
    model.dispose();
    x.dispose();
  });

  it('hands out fresh handles for outputs that are inputs or initializers', () => {
    const bytes = makeModel({
      nodes: [node('Identity', ['x'], ['y']), node('Identity', ['w'], ['z'])],
      inputs: [valueInfo('x', T.FLOAT, [2])],
      outputs: [valueInfo('y', T.FLOAT, [2]), valueInfo('z', T.FLOAT, [1])],
      initializers: [tensorProto('w', [1], [5])],
    });
    const model = importOnnxSync<Tensor[]>(bytes);
    const x = tensor([1, 2]);
    const [y, z] = model.call(x);
    expect(y).not.toBe(x);
    y!.dispose();
    z!.dispose();
    expect(arr(x)).toEqual([1, 2]);
    expect(arr(model.initializer('w')!)).toEqual([5]);
    model.dispose();
  });

  it('folds constant subgraphs at import and evaluates Shape eagerly', () => {
    // y = Reshape(x, Concat(Shape(x)[0:1], [-1])) with a constant Mul on integer initializers
    const bytes = makeModel({
      nodes: [
        node('Shape', ['x'], ['s']),
        node('Slice', ['s', 'zero', 'one'], ['n']),
        node('Mul', ['minus1', 'one'], ['m1']),
        node('Concat', ['n', 'm1'], ['shape'], [attr.int('axis', 0)]),
        node('Reshape', ['x', 'shape'], ['y']),
      ],
      inputs: [valueInfo('x', T.FLOAT, ['N', 2, 3])],
      outputs: [valueInfo('y', T.FLOAT, ['N', 6])],
      initializers: [tensorProto('zero', [1], [0], T.INT64), tensorProto('one', [1], [1], T.INT64), tensorProto('minus1', [1], [-1], T.INT64)],
    });
    const model = importOnnxSync(bytes);
    expect(model.nodes.map((n) => n.opType)).toEqual(['Shape', 'Slice', 'Concat', 'Reshape']);
    const y = model.call(tensor(Array.from({ length: 12 }, (_, i) => i), [2, 2, 3]));
    expect(y.shape).toEqual([2, 6]);
    model.dispose();
  });

  it('follows opset rules: Softmax coerces to 2-D before opset 13', () => {
    const mk = (opset: number) =>
      makeModel({ nodes: [node('Softmax', ['x'], ['y'], [attr.int('axis', 1)])], inputs: [valueInfo('x', T.FLOAT, [2, 2, 2])], outputs: [valueInfo('y', T.FLOAT, [2, 2, 2])], opset });
    const x = tensor([[[1, 2], [3, 4]], [[0, 0], [1, 1]]]);
    const v11 = arr(importOnnxSync(mk(11)).call(x));
    const v13 = arr(importOnnxSync(mk(13)).call(x));
    // opset 11: softmax over the flattened [2, 4] rows; opset 13: over axis 1 only
    expect(v11.slice(0, 4).reduce((a, b) => a + b)).toBeCloseTo(1);
    expect(v13[0]! + v13[2]!).toBeCloseTo(1);
    expect(v11[0]! + v11[2]!).not.toBeCloseTo(1);
  });

  it('reads Squeeze/Unsqueeze/ReduceSum/Clip/Slice axes from attributes or inputs by opset', () => {
    const x = tensor([[[1, 2, 3]], [[4, 5, 6]]]); // [2,1,3]
    const squeeze11 = importOnnxSync(makeModel({ nodes: [node('Squeeze', ['x'], ['y'], [attr.ints('axes', [1])])], inputs: [valueInfo('x', T.FLOAT)], outputs: [valueInfo('y', T.FLOAT)], opset: 11 }));
    const squeeze13 = importOnnxSync(
      makeModel({ nodes: [node('Squeeze', ['x', 'axes'], ['y'])], inputs: [valueInfo('x', T.FLOAT)], outputs: [valueInfo('y', T.FLOAT)], initializers: [tensorProto('axes', [1], [1], T.INT64)], opset: 13 }),
    );
    expect(squeeze11.call(x).shape).toEqual([2, 3]);
    expect(squeeze13.call(x).shape).toEqual([2, 3]);
    const sum11 = importOnnxSync(makeModel({ nodes: [node('ReduceSum', ['x'], ['y'], [attr.ints('axes', [2]), attr.int('keepdims', 0)])], inputs: [valueInfo('x', T.FLOAT)], outputs: [valueInfo('y', T.FLOAT)], opset: 11 }));
    const sum13 = importOnnxSync(
      makeModel({ nodes: [node('ReduceSum', ['x', 'axes'], ['y'], [attr.int('keepdims', 0)])], inputs: [valueInfo('x', T.FLOAT)], outputs: [valueInfo('y', T.FLOAT)], initializers: [tensorProto('axes', [1], [2], T.INT64)], opset: 13 }),
    );
    expect(arr(sum11.call(x))).toEqual([6, 15]);
    expect(arr(sum13.call(x))).toEqual([6, 15]);
    const clip6 = importOnnxSync(makeModel({ nodes: [node('Clip', ['x'], ['y'], [attr.float('min', 2), attr.float('max', 4)])], inputs: [valueInfo('x', T.FLOAT)], outputs: [valueInfo('y', T.FLOAT)], opset: 6 }));
    expect(arr(clip6.call(x))).toEqual([2, 2, 3, 4, 4, 4]);
    const slice9 = importOnnxSync(
      makeModel({ nodes: [node('Slice', ['x'], ['y'], [attr.ints('starts', [1]), attr.ints('ends', [3]), attr.ints('axes', [2])])], inputs: [valueInfo('x', T.FLOAT)], outputs: [valueInfo('y', T.FLOAT)], opset: 9 }),
    );
    expect(arr(slice9.call(x))).toEqual([2, 3, 5, 6]);
  });

  it('reports every unsupported op in one error', () => {
    const bytes = makeModel({
      nodes: [node('Frobnicate', ['x'], ['a'], [], 'f1'), node('Relu', ['a'], ['b']), node('Frobnicate', ['b'], ['c'], [], 'f2'), node('Zap', ['c'], ['y'], [], 'z1')],
      inputs: [valueInfo('x', T.FLOAT)],
      outputs: [valueInfo('y', T.FLOAT)],
    });
    let err: unknown;
    try {
      importOnnxSync(bytes);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OnnxImportError);
    expect((err as Error).message).toBe("unsupported ONNX ops: Frobnicate ('f1', 'f2'); Zap ('z1')");
  });

  it('lets another package add an op through the plugin registry', () => {
    registerOnnxOp('TimesThree', () => ([x]) => x!.mul(3), { domain: 'com.example' });
    const bytes = encodeModelProto({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 13 }, { domain: 'com.example', version: 1 }],
      graph: {
        node: [{ opType: 'TimesThree', domain: 'com.example', input: ['x'], output: ['y'] }],
        input: [valueInfo('x', T.FLOAT)],
        output: [valueInfo('y', T.FLOAT)],
      },
    });
    expect(arr(importOnnxSync(bytes).call(tensor([1, 2])))).toEqual([3, 6]);
  });

  it('checks inputs: missing, unknown, wrong dtype kind, wrong static dims', () => {
    const model = importOnnxSync(mlpModel());
    expect(() => model.run({})).toThrow(/missing input 'x'/);
    expect(() => model.run({ x: tensor([[1, 2, 3, 4]]), q: tensor([1]) })).toThrow(/unknown input 'q'/);
    expect(() => model.call(tensor([[1, 2, 3, 4]], undefined, 'int32'))).toThrow(OnnxRunError);
    expect(() => model.call(tensor([[1, 2, 3]]))).toThrow(/expects shape \[N,4\], got \[1,3\]/);
    expect(model.call([[1, 2, 3, 4]]).shape).toEqual([1, 3]);
    expect(model.call(tensor([[1, 2, 3, 4]], undefined, 'float64')).dtype).toBe('float32');
    try {
      model.call(tensor([[1, 2, 3]]));
    } catch (e) {
      expect(e).toBeInstanceOf(OnnxImportError);
    }
  });

  it('wraps run-time failures in an OnnxRunError naming the node', () => {
    const bytes = makeModel({
      nodes: [node('Reshape', ['x', 'shape'], ['y'], [], 'bad_reshape')],
      inputs: [valueInfo('x', T.FLOAT), valueInfo('shape', T.INT64)],
      outputs: [valueInfo('y', T.FLOAT)],
    });
    const model = importOnnxSync(bytes);
    const x = tensor([1, 2, 3]);
    const shape = tensor([2, 2], undefined, 'int64');
    const before = memory().numTensors;
    expect(() => model.run({ x, shape })).toThrow(/Reshape node 'bad_reshape' failed/);
    expect(() => model.run({ x, shape })).toThrow(OnnxRunError);
    expect(memory().numTensors).toBe(before);
  });

  it('takes and returns sequences (arrays of tensors)', () => {
    const bytes = makeModel({
      nodes: [
        node('SplitToSequence', ['x'], ['parts'], [attr.int('axis', 0), attr.int('keepdims', 0)]),
        node('SequenceInsert', ['seq', 'extra'], ['seq2']),
        node('ConcatFromSequence', ['seq2'], ['y'], [attr.int('axis', 0)]),
      ],
      inputs: [valueInfo('x', T.FLOAT, [3, 2]), { name: 'seq', type: { sequenceType: { elemType: { tensorType: { elemType: T.FLOAT } } } } }, valueInfo('extra', T.FLOAT, [2])],
      outputs: [valueInfo('y', T.FLOAT), { name: 'parts', type: { sequenceType: { elemType: { tensorType: { elemType: T.FLOAT } } } } }],
      opset: 13,
    });
    const model = importOnnxSync<Tensor[]>(bytes);
    expect(model.inputs[1]!.kind).toBe('sequence');
    const out = model.run<Tensor | Tensor[]>({ x: tensor([[1, 2], [3, 4], [5, 6]]), seq: [tensor([0, 0])], extra: tensor([9, 9]) });
    expect(arr(out.y as Tensor)).toEqual([0, 0, 9, 9]);
    expect((out.parts as Tensor[]).map((t) => arr(t))).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(() => model.run({ x: tensor([[1, 2], [3, 4], [5, 6]]), seq: tensor([1]), extra: tensor([9, 9]) })).toThrow(/is a sequence: pass an array of tensors/);
  });

  it('Dropout is the identity in eval mode and drops in train mode', () => {
    const bytes = makeModel({
      nodes: [node('Dropout', ['x'], ['y'], [attr.int('seed', 3)])],
      inputs: [valueInfo('x', T.FLOAT)],
      outputs: [valueInfo('y', T.FLOAT)],
      opset: 13,
    });
    const model = importOnnxSync(bytes);
    const x = tensor(new Array(200).fill(1), [200]);
    expect(arr(model.call(x))).toEqual(new Array(200).fill(1));
    model.train();
    const dropped = arr(model.call(x));
    expect(dropped.some((v) => v === 0)).toBe(true);
    expect(dropped.every((v) => v === 0 || v === 2)).toBe(true);
  });
});

describe('@mapnn/onnx/node', () => {
  it('imports a file path and reads external data beside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapnn-onnx-'));
    const w = new Float32Array([1, 2, 3, 4, 5, 6]);
    const blob = new Uint8Array(8 + w.byteLength);
    blob.set(new Uint8Array(w.buffer), 8);
    writeFileSync(join(dir, 'weights.bin'), blob);
    const ext = (key: string, value: string) => ({ key, value });
    const bytes = makeModel({
      nodes: [node('MatMul', ['x', 'w'], ['y'])],
      inputs: [valueInfo('x', T.FLOAT, [1, 2])],
      outputs: [valueInfo('y', T.FLOAT, [1, 3])],
      initializers: [
        { name: 'w', dims: [2, 3], dataType: T.FLOAT, dataLocation: onnx.TensorProto.DataLocation.EXTERNAL, externalData: [ext('location', 'weights.bin'), ext('offset', '8'), ext('length', '24')] },
      ],
    });
    writeFileSync(join(dir, 'model.onnx'), bytes);
    const model = await importOnnxFile(join(dir, 'model.onnx'));
    expect(arr(model.call(tensor([[1, 1]])))).toEqual([5, 7, 9]);
    const viaPath = await importOnnxNode(join(dir, 'model.onnx'));
    expect(arr(viaPath.call(tensor([[1, 0]])))).toEqual([1, 2, 3]);
    // without the Node entry the external data cannot be read
    expect(() => importOnnxSync(bytes)).toThrow(/external file 'weights.bin'/);
    // paths may not leave the model's folder, ranges must lie inside the file
    const escape = makeModel({
      nodes: [node('Identity', ['w'], ['y'])],
      inputs: [],
      outputs: [valueInfo('y', T.FLOAT)],
      initializers: [{ name: 'w', dims: [1], dataType: T.FLOAT, dataLocation: 1, externalData: [ext('location', '../../etc/passwd')] }],
    });
    writeFileSync(join(dir, 'escape.onnx'), escape);
    await expect(importOnnxFile(join(dir, 'escape.onnx'))).rejects.toThrow(/must be a relative path inside/);
    const past = makeModel({
      nodes: [node('Identity', ['w'], ['y'])],
      inputs: [],
      outputs: [valueInfo('y', T.FLOAT)],
      initializers: [{ name: 'w', dims: [1000], dataType: T.FLOAT, dataLocation: 1, externalData: [ext('location', 'weights.bin'), ext('offset', '16')] }],
    });
    writeFileSync(join(dir, 'past.onnx'), past);
    await expect(importOnnxFile(join(dir, 'past.onnx'))).rejects.toThrow(OnnxImportError);
    await expect(importOnnxFile(join(dir, 'missing.onnx'))).rejects.toThrow(/cannot read ONNX model/);
    void isTensor;
  });
});
