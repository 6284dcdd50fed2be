// Probe (not a test): a tiny model whose Loop runs 1,000,000 trips (a carried sum and a scalar
// scan output per trip), run in eval mode. Before the Loop freed per-iteration values it ran
// ~46 s and aborted with a V8 out-of-memory under a 1 GB heap; now it must end with a result or
// a clean OnnxRunError.
//
//   pnpm --filter @mapnn/onnx... build
//   cd packages/onnx && node --max-old-space-size=1024 scripts/loop-probe.mjs [trips]
import '@mapnn/backend-cpu';
import { getHeapStatistics } from 'node:v8';
import { memory, setBackend, tensor } from '@mapnn/core';
import { encodeModelProto, importOnnxSync, onnx } from '@mapnn/onnx';

const trips = Number(process.argv[2] ?? 1_000_000);
const T = onnx.TensorProto.DataType;
const info = (name, elemType, dims) => ({ name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
const body = {
  name: 'body',
  node: [
    { opType: 'Identity', input: ['c_in'], output: ['c_out'] },
    { opType: 'Add', input: ['x_in', 'one'], output: ['x_out'] },
    { opType: 'Mul', input: ['x_out', 'two'], output: ['y'] },
  ],
  input: [info('i', T.INT64, []), info('c_in', T.BOOL, []), info('x_in', T.FLOAT, [])],
  output: [info('c_out', T.BOOL, []), info('x_out', T.FLOAT, []), info('y', T.FLOAT, [])],
  initializer: [
    { name: 'one', dims: [], dataType: T.FLOAT, floatData: [1] },
    { name: 'two', dims: [], dataType: T.FLOAT, floatData: [2] },
  ],
};
const bytes = encodeModelProto({
  irVersion: 8,
  producerName: 'mapnn-loop-probe',
  opsetImport: [{ domain: '', version: 16 }],
  graph: {
    name: 'loop_probe',
    node: [{ opType: 'Loop', input: ['M', '', 'x'], output: ['sum', 'ys'], attribute: [{ name: 'body', type: 5, g: body }], name: 'trips' }],
    input: [info('M', T.INT64, []), info('x', T.FLOAT, [])],
    output: [info('sum', T.FLOAT, []), info('ys', T.FLOAT, [trips])],
  },
});

setBackend('cpu');
const model = importOnnxSync(bytes);
const t0 = performance.now();
const report = { modelBytes: bytes.length, trips, heapLimitMB: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20) };
try {
  const out = model.run({ M: tensor(trips, [], 'int64'), x: tensor(0) });
  const ys = out.ys.dataSync();
  Object.assign(report, { ok: true, sum: out.sum.item(), ysLength: ys.length, ysLast: ys[ys.length - 1], liveTensors: memory().numTensors });
} catch (e) {
  Object.assign(report, { ok: false, error: `${e.name}: ${e.message}` });
}
report.seconds = Math.round((performance.now() - t0) / 100) / 10;
report.peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(report));
