import { dispose, memory, tensor, type DType, type Tensor } from '@mapnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { OnnxImportError, importOnnxSync, setBackend, encodeModelProto, onnx, type OnnxModule } from './imports.js';
import { T, attr, makeModel, mlpModel, node, rng, tensorProto, valueInfo } from './helpers.js';

beforeAll(() => setBackend('cpu'));

function importError(bytes: Uint8Array): OnnxImportError {
  try {
    importOnnxSync(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(OnnxImportError);
    return e as OnnxImportError;
  }
  throw new Error('expected the import to fail');
}

const enc = new TextEncoder();

describe('hostile input gives a clear OnnxImportError', () => {
  it('empty, garbage, other formats, text', () => {
    expect(importError(new Uint8Array()).message).toMatch(/input is empty/);
    expect(importError(enc.encode('PK\x03\x04 pytorch archive')).message).toMatch(/ZIP archive/);
    expect(importError(Uint8Array.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a])).message).toMatch(/HDF5/);
    expect(importError(enc.encode('{"modelTopology": {}}')).message).toMatch(/JSON/);
    expect(importError(enc.encode('ir_version: 8 graph { }')).message).toMatch(/text, not binary/);
    const r = rng(7);
    for (let k = 0; k < 50; k++) {
      const junk = Uint8Array.from({ length: 1 + Math.floor(r() * 300) }, () => Math.floor(r() * 256));
      importError(junk);
    }
    expect(() => importOnnxSync('model.onnx' as unknown as Uint8Array)).toThrow(/importOnnxFile/);
  });

  it('truncated models', () => {
    const bytes = mlpModel();
    for (const n of [1, 2, 5, 10, 50, bytes.length >> 1, bytes.length - 10, bytes.length - 1]) {
      const e = importError(bytes.subarray(0, n));
      expect(e.message.length).toBeGreaterThan(10);
    }
  });

  it('missing graph / unsupported IR or opset', () => {
    expect(importError(encodeModelProto({ irVersion: 8 })).message).toMatch(/no graph/);
    expect(importError(encodeModelProto({ irVersion: 2, graph: { name: 'g' } })).message).toMatch(/IR version 2/);
    const future = makeModel({ nodes: [node('Relu', ['x'], ['y'])], inputs: [valueInfo('x', T.FLOAT)], outputs: [valueInfo('y', T.FLOAT)], opset: 40 });
    expect(importError(future).message).toMatch(/opset 40/);
  });

  it('a tensor claiming 2^40 elements fails before allocating', () => {
    const before = memory().numBytes;
    const t0 = Date.now();
    const bytes = makeModel({
      nodes: [node('Add', ['x', 'w'], ['y'])],
      inputs: [valueInfo('x', T.FLOAT)],
      outputs: [valueInfo('y', T.FLOAT)],
      initializers: [{ name: 'w', dims: [1 << 20, 1 << 20], dataType: T.FLOAT, rawData: new Uint8Array(16) }],
    });
    const e = importError(bytes);
    expect(e.message).toMatch(/tensor 'w': shape \[1048576,1048576\] claims 1099511627776 elements/);
    expect(Date.now() - t0).toBeLessThan(500);
    expect(memory().numBytes).toBe(before);
  });

  it('run-time sizes from data are bounded too', () => {
    const bytes = makeModel({
      nodes: [node('ConstantOfShape', ['s'], ['y'])],
      inputs: [valueInfo('s', T.INT64, [3])],
      outputs: [valueInfo('y', T.FLOAT)],
    });
    const m = importOnnxSync(bytes);
    expect(() => m.call(tensor([1 << 20, 1 << 20, 1 << 10], undefined, 'int64'))).toThrow(/more than the limit/);
    expect(() => m.call(tensor([-1, 2, 2], undefined, 'int64'))).toThrow(/invalid output dim -1/);
  });

  it('Loops are bounded (maxLoopIterations)', () => {
    const body = {
      name: 'body',
      node: [node('Identity', ['c_in'], ['c_out']), node('Add', ['x_in', 'one'], ['x_out'])],
      input: [valueInfo('i', T.INT64, []), valueInfo('c_in', T.BOOL, []), valueInfo('x_in', T.FLOAT, [])],
      output: [valueInfo('c_out', T.BOOL, []), valueInfo('x_out', T.FLOAT, [])],
      initializer: [tensorProto('one', [], [1])],
    };
    const bytes = makeModel({
      nodes: [node('Loop', ['', '', 'x'], ['y'], [{ name: 'body', type: 5, g: body }], 'forever')],
      inputs: [valueInfo('x', T.FLOAT, [])],
      outputs: [valueInfo('y', T.FLOAT, [])],
      opset: 16,
    });
    const t0 = Date.now();
    const m = importOnnxSync(bytes, { maxLoopIterations: 500 });
    expect(() => m.call(tensor(0))).toThrow(/Loop node 'forever'.*more than 500 iterations/);
    expect(Date.now() - t0).toBeLessThan(5000);
    // with a trip count the same body runs exactly M times
    const counted = makeModel({
      nodes: [node('Loop', ['M', '', 'x'], ['y'], [{ name: 'body', type: 5, g: body }])],
      inputs: [valueInfo('M', T.INT64, []), valueInfo('x', T.FLOAT, [])],
      outputs: [valueInfo('y', T.FLOAT, [])],
      opset: 16,
    });
    expect(importOnnxSync(counted).call(tensor(7, [], 'int64'), tensor(0.5)).item()).toBe(7.5);
  });

  it('cyclic graphs', () => {
    const bytes = makeModel({
      nodes: [node('Add', ['x', 'b'], ['a'], [], 'n1'), node('Relu', ['a'], ['b'], [], 'n2'), node('Identity', ['a'], ['y'], [], 'n3')],
      inputs: [valueInfo('x', T.FLOAT)],
      outputs: [valueInfo('y', T.FLOAT)],
    });
    expect(importError(bytes).message).toMatch(/the graph has a cycle: 2 nodes depend on each other: 'n1' \(Add\), 'n2' \(Relu\)/);
    const self = makeModel({ nodes: [node('Relu', ['y'], ['y'], [], 'loop')], inputs: [], outputs: [valueInfo('y', T.FLOAT)] });
    expect(importError(self).message).toMatch(/cycle/);
  });

  it('missing initializers, inputs and outputs; duplicate definitions', () => {
    const missing = makeModel({
      nodes: [node('Gemm', ['x', 'fc.weight', 'fc.bias'], ['y'], [], 'fc')],
      inputs: [valueInfo('x', T.FLOAT)],
      outputs: [valueInfo('y', T.FLOAT)],
      initializers: [tensorProto('fc.weight', [1, 1], [1])],
    });
    expect(importError(missing).message).toMatch(/never defined.*'fc.bias' \(input of Gemm node 'fc'\)/);
    const noOut = makeModel({ nodes: [node('Relu', ['x'], ['a'])], inputs: [valueInfo('x', T.FLOAT)], outputs: [valueInfo('y', T.FLOAT)] });
    expect(importError(noOut).message).toMatch(/graph output 'y' is not produced/);
    const dup = makeModel({ nodes: [node('Relu', ['x'], ['y'], [], 'a'), node('Relu', ['x'], ['y'], [], 'b')], inputs: [valueInfo('x', T.FLOAT)], outputs: [valueInfo('y', T.FLOAT)] });
    expect(importError(dup).message).toMatch(/defined more than once: 'y'/);
  });

  it('unknown data types and broken tensors', () => {
    const mk = (t: object) =>
      makeModel({ nodes: [node('Add', ['x', 'w'], ['y'])], inputs: [valueInfo('x', T.FLOAT)], outputs: [valueInfo('y', T.FLOAT)], initializers: [t] });
    expect(importError(mk({ name: 'w', dims: [1], dataType: 77, rawData: new Uint8Array(4) })).message).toMatch(/tensor 'w'.*unknown \(77\)/);
    expect(importError(mk({ name: 'w', dims: [1], dataType: T.STRING, stringData: [enc.encode('a')] })).message).toMatch(/STRING \(8\) is not supported/);
    expect(importError(mk({ name: 'w', dims: [3], dataType: T.FLOAT, rawData: new Uint8Array(5) })).message).toMatch(/raw_data holds 5 bytes/);
    const cast = makeModel({ nodes: [node('Cast', ['x'], ['y'], [attr.int('to', 15)], 'c')], inputs: [valueInfo('x', T.FLOAT)], outputs: [valueInfo('y', T.FLOAT)] });
    expect(importError(cast).message).toMatch(/Cast node 'c'.*COMPLEX128 \(15\)/);
  });

  it('bad attributes are named', () => {
    const bytes = makeModel({
      nodes: [node('Transpose', ['x'], ['y'], [attr.float('perm', 1)], 't')],
      inputs: [valueInfo('x', T.FLOAT)],
      outputs: [valueInfo('y', T.FLOAT)],
    });
    expect(importError(bytes).message).toMatch(/Transpose node 't': attribute 'perm' should be a list of ints/);
  });
});

// ---------------------------------------------------------------- fuzzing

function fuzzModels(): Uint8Array[] {
  const r = rng(11);
  const vals = (n: number) => Array.from({ length: n }, () => r() * 2 - 1);
  const conv = makeModel({
    nodes: [
      node('Conv', ['x', 'conv.weight', 'conv.bias'], ['c'], [attr.ints('pads', [1, 1, 1, 1]), attr.ints('strides', [1, 1])], 'conv'),
      node('BatchNormalization', ['c', 'bn.weight', 'bn.bias', 'bn.mean', 'bn.var'], ['b'], [], 'bn'),
      node('Relu', ['b'], ['r']),
      node('MaxPool', ['r'], ['p'], [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2])]),
      node('Flatten', ['p'], ['f']),
      node('Gemm', ['f', 'fc.weight', 'fc.bias'], ['g'], [attr.int('transB', 1)]),
      node('Softmax', ['g'], ['y'], [attr.int('axis', 1)]),
    ],
    inputs: [valueInfo('x', T.FLOAT, [1, 2, 4, 4])],
    outputs: [valueInfo('y', T.FLOAT, [1, 3])],
    initializers: [
      tensorProto('conv.weight', [3, 2, 3, 3], vals(54)),
      tensorProto('conv.bias', [3], vals(3)),
      tensorProto('bn.weight', [3], vals(3)),
      tensorProto('bn.bias', [3], vals(3)),
      tensorProto('bn.mean', [3], vals(3)),
      tensorProto('bn.var', [3], [1, 2, 3]),
      tensorProto('fc.weight', [3, 12], vals(36)),
      tensorProto('fc.bias', [3], vals(3)),
    ],
  });
  const lstm = makeModel({
    nodes: [node('LSTM', ['x', 'W', 'R', 'B'], ['y', 'h', 'c'], [attr.int('hidden_size', 2), attr.string('direction', 'bidirectional')], 'lstm')],
    inputs: [valueInfo('x', T.FLOAT, [3, 1, 2])],
    outputs: [valueInfo('y', T.FLOAT), valueInfo('h', T.FLOAT), valueInfo('c', T.FLOAT)],
    initializers: [tensorProto('W', [2, 8, 2], vals(32)), tensorProto('R', [2, 8, 2], vals(32)), tensorProto('B', [2, 16], vals(32))],
  });
  const shapes = makeModel({
    nodes: [
      node('Shape', ['x'], ['s']),
      node('Gather', ['s', 'zero'], ['n'], [attr.int('axis', 0)]),
      node('Unsqueeze', ['n', 'zeros'], ['n1']),
      node('Concat', ['n1', 'minus1'], ['shape'], [attr.int('axis', 0)]),
      node('Reshape', ['x', 'shape'], ['r']),
      node('Transpose', ['r'], ['t'], [attr.ints('perm', [1, 0])]),
      node('Pad', ['t', 'pads'], ['p'], [attr.string('mode', 'reflect')]),
      node('Slice', ['p', 'starts', 'ends', 'axes', 'steps'], ['sl']),
      node('ReduceMean', ['sl'], ['y'], [attr.ints('axes', [1]), attr.int('keepdims', 1)]),
    ],
    inputs: [valueInfo('x', T.FLOAT, [2, 3, 2])],
    outputs: [valueInfo('y', T.FLOAT)],
    initializers: [
      tensorProto('zero', [], [0], T.INT64),
      tensorProto('zeros', [1], [0], T.INT64),
      tensorProto('minus1', [1], [-1], T.INT64),
      tensorProto('pads', [4], [1, 1, 1, 1], T.INT64),
      tensorProto('starts', [1], [0], T.INT64),
      tensorProto('ends', [1], [5], T.INT64),
      tensorProto('axes', [1], [0], T.INT64),
      tensorProto('steps', [1], [2], T.INT64),
    ],
  });
  return [mlpModel(), conv, lstm, shapes];
}

function sampleInputs(model: OnnxModule<Tensor | Tensor[]>): Record<string, Tensor> | null {
  const feeds: Record<string, Tensor> = {};
  for (const i of model.inputs) {
    if (!i.shape || i.shape.length > 6) return null;
    const shape = i.shape.map((d) => (typeof d === 'number' ? d : 2));
    const n = shape.reduce((a, b) => a * b, 1);
    if (n > 4096) return null;
    const dtype: DType = i.dtype ?? 'float32';
    feeds[i.name] = tensor(Array.from({ length: n }, (_, k) => (k % 5) - 1), shape, dtype);
  }
  return feeds;
}

const INTERESTING = [-1, 0, 1, 2, 3, 7, -2, 1000, 1 << 20, 2 ** 31 - 1, -(2 ** 31), 2 ** 40];
const OPS = ['Relu', 'Conv', 'Reshape', 'Gather', 'Slice', 'Pad', 'Concat', 'Split', 'LSTM', 'Resize', 'Einsum', 'TopK', 'Expand', 'Tile', 'Transpose', 'MaxPool', 'ConstantOfShape', 'Range', 'OneHot', 'Unsqueeze', 'If', 'Loop', 'Scan', 'SequenceConstruct', 'SplitToSequence', 'ConcatFromSequence', 'SequenceAt', 'Optional', 'OptionalGetElement', 'GridSample', 'DFT', 'NonMaxSuppression', 'Unique'];

/** Structure-aware mutation: decode, change an attribute, dim, input wiring, op type or data type, encode. */
function mutateStructure(src: Uint8Array, r: () => number): [Uint8Array, string] {
  const pick = (n: number) => Math.floor(r() * n);
  const m = onnx.ModelProto.decode(src);
  const g = m.graph!;
  const nodes = g.node ?? [];
  const n = nodes[pick(nodes.length)]!;
  let how = '';
  switch (pick(6)) {
    case 0: {
      const a = n.attribute?.[pick(n.attribute.length)];
      if (!a) break;
      const v = INTERESTING[pick(INTERESTING.length)]!;
      if (a.ints && a.ints.length) a.ints[pick(a.ints.length)] = v;
      else a.i = v;
      a.f = v;
      how = `attribute ${a.name} of ${n.opType} → ${v}`;
      break;
    }
    case 1: {
      const t = g.initializer?.[pick(g.initializer.length)];
      if (!t || !t.dims?.length) break;
      const v = INTERESTING[pick(INTERESTING.length)]!;
      t.dims[pick(t.dims.length)] = v;
      how = `dim of ${t.name} → ${v}`;
      break;
    }
    case 2: {
      const other = nodes[pick(nodes.length)]!;
      if (!n.input?.length || !other.output?.length) break;
      n.input[pick(n.input.length)] = other.output[pick(other.output.length)]!;
      how = `rewired an input of ${n.opType}`;
      break;
    }
    case 3: {
      const op = OPS[pick(OPS.length)]!;
      how = `${n.opType} → ${op}`;
      n.opType = op;
      break;
    }
    case 4: {
      const t = g.initializer?.[pick(g.initializer.length)];
      if (!t) break;
      t.dataType = pick(20);
      how = `data type of ${t.name} → ${t.dataType}`;
      break;
    }
    default: {
      const i = g.input?.[pick(g.input.length)];
      if (!i?.type?.tensorType) break;
      i.type.tensorType.elemType = pick(17);
      how = `input type of ${i.name} → ${i.type.tensorType.elemType}`;
    }
  }
  return [onnx.ModelProto.encode(m).finish(), how || 'no-op'];
}

function mutate(src: Uint8Array, donors: Uint8Array[], r: () => number): [Uint8Array, string] {
  const b = Uint8Array.from(src);
  const pick = (n: number) => Math.floor(r() * n);
  if (r() < 0.4) return mutateStructure(src, r);
  switch (pick(5)) {
    case 0: {
      const flips = 1 + pick(8);
      for (let k = 0; k < flips; k++) b[pick(b.length)] ^= 1 << pick(8);
      return [b, `${flips} bit flips`];
    }
    case 1: {
      const n = pick(b.length);
      return [b.subarray(0, n), `truncated to ${n}`];
    }
    case 2: {
      const d = donors[pick(donors.length)]!;
      const len = 1 + pick(32);
      const from = pick(Math.max(1, d.length - len));
      const to = pick(b.length);
      const out = new Uint8Array(b.length + len);
      out.set(b.subarray(0, to));
      out.set(d.subarray(from, from + len), to);
      out.set(b.subarray(to), to + len);
      return [out, `spliced ${len} bytes at ${to}`];
    }
    case 3: {
      const at = pick(b.length);
      const len = Math.min(1 + pick(16), b.length - at);
      const out = new Uint8Array(b.length - len);
      out.set(b.subarray(0, at));
      out.set(b.subarray(at + len), at);
      return [out, `deleted ${len} bytes at ${at}`];
    }
    default: {
      const k = 1 + pick(4);
      for (let j = 0; j < k; j++) b[pick(b.length)] = [0, 0xff, 0x7f, 0x80, 1, 2][pick(6)]!;
      return [b, `${k} interesting bytes`];
    }
  }
}

describe('fuzzing', () => {
  it('2,000+ seeded mutations of valid models: no crash, hang or non-OnnxImportError', () => {
    const models = fuzzModels();
    const r = rng(Number(process.env.MAPNN_FUZZ_SEED ?? 20240611));
    const iterations = Number(process.env.MAPNN_FUZZ_ITERATIONS ?? 2400);
    const before = memory().numTensors;
    const stats = { imported: 0, ran: 0, rejected: 0 };
    const problems: string[] = [];
    let slowest = 0;
    for (let i = 0; i < iterations; i++) {
      const base = models[i % models.length]!;
      const [bytes, how] = mutate(base, models, r);
      const t0 = performance.now();
      let model: OnnxModule<Tensor | Tensor[]> | null = null;
      let feeds: Record<string, Tensor> | null = null;
      try {
        model = importOnnxSync<Tensor | Tensor[]>(bytes, { maxElements: 1 << 20, maxRuntimeElements: 1 << 20 });
        stats.imported++;
        feeds = sampleInputs(model);
        if (feeds) {
          const outs = model.run<Tensor | Tensor[] | null>(feeds);
          stats.ran++;
          dispose(outs);
        }
      } catch (e) {
        stats.rejected++;
        if (!(e instanceof OnnxImportError)) problems.push(`#${i} (${how}): ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
        else if (process.env.MAPNN_FUZZ_VERBOSE) console.log(`#${i} (${how}): ${(e as Error).message.slice(0, 160)}`);
      } finally {
        model?.dispose();
        for (const t of Object.values(feeds ?? {})) t.dispose();
      }
      slowest = Math.max(slowest, performance.now() - t0);
    }
    expect(problems).toEqual([]);
    expect(stats.imported + stats.rejected).toBeGreaterThanOrEqual(2000);
    expect(slowest).toBeLessThan(3000);
    expect(memory().numTensors - before).toBeLessThanOrEqual(0);
    console.log(`fuzz: ${iterations} mutations, ${stats.imported} imported, ${stats.ran} ran, ${stats.rejected} rejected; slowest ${slowest.toFixed(0)} ms`);
  }, 120_000);
});
