import { describe, expect, it } from 'vitest';
import { decodeModelProto, decodeTensorProto } from './decode.js';
import { encodeModelProto, encodeTensorProto } from './encode.js';
import { onnx, type ITensorProto } from './onnx.js';

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

describe('ONNX protobuf codec (@bufbuild/protobuf, plain objects)', () => {
  it('keeps int64/uint64 values beyond 2^53 exact (as bigints) and safe ones as numbers', () => {
    const t: ITensorProto = { name: 'big', dims: [4], dataType: onnx.TensorProto.DataType.INT64, int64Data: [2n ** 53n + 1n, INT64_MIN, INT64_MAX, 5] };
    const back = decodeTensorProto(encodeTensorProto(t));
    expect(back.int64Data).toEqual([2n ** 53n + 1n, INT64_MIN, INT64_MAX, 5]);
    expect(back.dims).toEqual([4]);
    const u = decodeTensorProto(encodeTensorProto({ dims: [1], dataType: onnx.TensorProto.DataType.UINT64, uint64Data: [2n ** 64n - 1n] }));
    expect(u.uint64Data).toEqual([2n ** 64n - 1n]);
  });

  it('accepts decimal strings and Long-like objects for int64 fields, and refuses fractions naming the field', () => {
    const back = decodeTensorProto(encodeTensorProto({ dims: ['3', { low: -1, high: 0x7fffffff }] as never }));
    expect(back.dims).toEqual([3, INT64_MAX]);
    expect(() => encodeTensorProto({ name: 'w', dims: [1.5] })).toThrow(/TensorProto\.dims\[0\].*int64.*1\.5/);
  });

  it('gives unset fields their defaults through the prototype; repeated fields are own arrays', () => {
    const t = decodeTensorProto(encodeTensorProto({ name: 'w' }));
    expect(Object.keys(t).filter((k) => !Array.isArray(t[k as keyof ITensorProto]))).toEqual(['name']);
    expect(t.dims).toEqual([]);
    t.dims!.push(2); // mutable, not shared
    expect(decodeTensorProto(encodeTensorProto({ name: 'w' })).dims).toEqual([]);
    expect(t.rawData).toBeInstanceOf(Uint8Array);
    expect(t.rawData!.length).toBe(0);
    expect(t.dataType).toBe(0);
    expect(t.docString).toBe('');
    expect(t.segment).toBeNull();
  });

  it('flattens oneofs: TypeProto.tensorType / sequenceType and Dimension.dimValue / dimParam', () => {
    const vi = {
      name: 'x',
      type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'batch' }, { dimValue: 3 }, { dimValue: 0 }] } } },
    };
    const back = onnx.ValueInfoProto.decode(onnx.ValueInfoProto.encode(vi).finish());
    expect(back.type!.tensorType!.shape!.dim!.map((d) => [d.dimParam, d.dimValue])).toEqual([['batch', 0], ['', 3], ['', 0]]);
    expect(Object.keys(back.type!.tensorType!.shape!.dim![2]!)).toEqual(['dimValue']); // an explicit 0 stays set
    const seq = onnx.TypeProto.decode(onnx.TypeProto.encode({ sequenceType: { elemType: { tensorType: { elemType: 7 } } } }).finish());
    expect(seq.tensorType).toBeNull(); // unset members read null, as unset messages do
    expect(seq.sequenceType!.elemType!.tensorType!.elemType).toBe(7);
  });

  it('keeps fields it does not know (a newer ONNX) through decode and encode', () => {
    // ir_version = 8 (field 1), then field 99 (varint 5) that onnx.proto does not define
    const bytes = new Uint8Array([0x08, 0x08, 0x98, 0x06, 0x05]);
    const m = onnx.ModelProto.decode(bytes);
    expect(m.irVersion).toBe(8);
    const again = onnx.ModelProto.encode(m).finish();
    expect(Array.from(again)).toEqual(Array.from(bytes));
  });

  it('round-trips a model with subgraph, sparse-tensor and type-proto attributes, functions and training info', () => {
    const A = onnx.AttributeProto.AttributeType;
    const sub = { name: 'body', node: [{ opType: 'Identity', input: ['a'], output: ['b'] }] };
    const model = {
      irVersion: 10,
      opsetImport: [{ domain: '', version: 18 }],
      metadataProps: [{ key: 'k', value: 'v' }],
      graph: {
        name: 'g',
        node: [
          {
            opType: 'If',
            attribute: [
              { name: 'then_branch', type: A.GRAPH, g: sub },
              { name: 'gs', type: A.GRAPHS, graphs: [sub, sub] },
              { name: 'sp', type: A.SPARSE_TENSOR, sparseTensor: { dims: [4], values: { dims: [1], dataType: 1, floatData: [2] }, indices: { dims: [1], dataType: 7, int64Data: [3] } } },
              { name: 'tp', type: A.TYPE_PROTO, tp: { optionalType: { elemType: { tensorType: { elemType: 1 } } } } },
              { name: 'f', type: A.FLOAT, f: 0.5 },
              { name: 'ints', type: A.INTS, ints: [-1, INT64_MAX] },
            ],
          },
        ],
        initializer: [{ name: 'w', dims: [2], dataType: 1, dataLocation: onnx.TensorProto.DataLocation.EXTERNAL, externalData: [{ key: 'location', value: 'w.bin' }], segment: { begin: 0, end: 2 } }],
      },
      functions: [{ name: 'F', domain: 'custom', input: ['x'], output: ['y'], node: [{ opType: 'Relu', input: ['x'], output: ['y'] }] }],
      trainingInfo: [{ algorithm: { name: 'step' }, updateBinding: [{ key: 'w', value: 'w_new' }] }],
    };
    const bytes = encodeModelProto(model);
    const back = decodeModelProto(bytes);
    const attrs = back.graph!.node![0]!.attribute!;
    expect(attrs[0]!.g!.node![0]!.opType).toBe('Identity');
    expect(attrs[1]!.graphs!.map((g) => g.name)).toEqual(['body', 'body']);
    expect(attrs[2]!.sparseTensor!.indices!.int64Data).toEqual([3]);
    expect(attrs[3]!.tp!.optionalType!.elemType!.tensorType!.elemType).toBe(1);
    expect(attrs[4]!.f).toBe(0.5);
    expect(attrs[5]!.ints).toEqual([-1, INT64_MAX]);
    const segment = back.graph!.initializer![0]!.segment!;
    expect([segment.begin, segment.end]).toEqual([0, 2]);
    expect(back.functions![0]!.node![0]!.opType).toBe('Relu');
    expect(back.trainingInfo![0]!.updateBinding).toEqual([{ key: 'w', value: 'w_new' }]);
    expect(Array.from(encodeModelProto(back))).toEqual(Array.from(bytes));
  });
});
