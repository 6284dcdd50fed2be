// Loop frees each iteration's values when no gradient is recorded, keeps them for backward when
// one is, and every run is bounded: Loop iterations (nested loops added up), iterations while
// recording, and the size of what a Loop stacks from its iterations.
import { memory, mul, tensor, type Tensor } from '@mapnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { OnnxRunError, importOnnxSync, registerOnnxOp, setBackend, type IGraphProto, type INodeProto } from './imports.js';
import { T, attr, makeModel, node, tensorProto, valueInfo } from './helpers.js';

beforeAll(() => setBackend('cpu'));

/** Live tensor counts seen by a probe op in the loop body, one per iteration. */
const liveCounts: number[] = [];
registerOnnxOp('LiveTensors', () => ([x]) => {
  liveCounts.push(memory().numTensors);
  return x!;
}, { domain: 'mapnn.test' });

/**
 * Body: x_out = (x_in + one) [through the probe when asked], and scan outputs `extra` nodes make
 * from x_out (`[1, 1, …]`-shaped values named y0, y1 …).
 */
function loopBody(opts: { probe?: boolean; scans?: INodeProto[]; scanDims?: number[][]; inner?: IGraphProto } = {}): IGraphProto {
  const scans = opts.scans ?? [];
  const add = node('Add', ['x_in', 'one'], [opts.probe ? 'x_sum' : 'x_out']);
  const nodes: INodeProto[] = [node('Identity', ['c_in'], ['c_out']), add];
  if (opts.probe) nodes.push({ ...node('LiveTensors', ['x_sum'], ['x_out']), domain: 'mapnn.test' });
  nodes.push(...scans);
  return {
    name: 'body',
    node: nodes,
    input: [valueInfo('i', T.INT64, []), valueInfo('c_in', T.BOOL, []), valueInfo('x_in', T.FLOAT, [])],
    output: [
      valueInfo('c_out', T.BOOL, []),
      valueInfo('x_out', T.FLOAT, []),
      ...scans.map((n, k) => valueInfo(n.output![0]!, T.FLOAT, opts.scanDims?.[k] ?? [])),
    ],
    initializer: [tensorProto('one', [], [1])],
  };
}

function loopModel(body: IGraphProto, scanOutputs = 0): Uint8Array {
  const ys = Array.from({ length: scanOutputs }, (_, k) => `ys${k}`);
  return makeModel({
    nodes: [node('Loop', ['M', '', 'x'], ['sum', ...ys], [attr.graph('body', body)], 'trips')],
    inputs: [valueInfo('M', T.INT64, []), valueInfo('x', T.FLOAT, [])],
    outputs: [valueInfo('sum', T.FLOAT, []), ...ys.map((n) => valueInfo(n, T.FLOAT))],
    opset: 16,
  });
}

const trips = (n: number) => tensor(n, [], 'int64');
const values = (t: Tensor) => Array.from(t.dataSync());

describe('Loop memory', () => {
  it('gives the right carried value and scan output (2,500 trips, chunked stacking)', () => {
    const body = loopBody({ scans: [node('Mul', ['x_out', 'two'], ['y0'])] });
    body.initializer!.push(tensorProto('two', [], [2]));
    const model = importOnnxSync(loopModel(body, 1));
    const before = memory().numTensors;
    const out = model.run({ M: trips(2500), x: tensor(0.5) });
    expect(out.sum!.item()).toBe(2500.5);
    expect(out.ys0!.shape).toEqual([2500]);
    expect(values(out.ys0!)).toEqual(Array.from({ length: 2500 }, (_, i) => 2 * (i + 1.5)));
    // the run leaves its two outputs behind (and the two scalars fed in), nothing else
    expect(memory().numTensors).toBe(before + 4);
  });

  it('frees each iteration when no gradient is recorded: the live tensor count stays flat', () => {
    const model = importOnnxSync(loopModel(loopBody({ probe: true })));
    liveCounts.length = 0;
    expect(model.call(trips(3000), tensor(0)).item()).toBe(3000);
    expect(liveCounts).toHaveLength(3000);
    expect(liveCounts[2999]).toBe(liveCounts[9]);
  });

  it('holds at most a chunk of scan-output parts however many iterations run', () => {
    const body = loopBody({ probe: true, scans: [node('Identity', ['x_out'], ['y0'])] });
    const model = importOnnxSync(loopModel(body, 1));
    liveCounts.length = 0;
    const out = model.run({ M: trips(5000), x: tensor(0) });
    expect(values(out.ys0!).slice(-2)).toEqual([4999, 5000]);
    expect(Math.max(...liveCounts) - liveCounts[0]!).toBeLessThan(1100);
  });

  it('keeps what backward needs when gradients are recorded', () => {
    // x_out = x_in * w, 3 trips: sum = x w³, d/dw = 3 x w², d/dx = w³
    const body = loopBody();
    body.node![1] = node('Mul', ['x_in', 'w'], ['x_out']);
    const model = importOnnxSync(
      makeModel({
        nodes: [node('Loop', ['M', '', 'x'], ['sum'], [attr.graph('body', body)])],
        inputs: [valueInfo('M', T.INT64, []), valueInfo('x', T.FLOAT, [])],
        outputs: [valueInfo('sum', T.FLOAT, [])],
        initializers: [tensorProto('w', [], [1.5])],
        opset: 16,
      }),
    );
    model.train();
    const x = tensor(2).requiresGrad_();
    const y = model.call(trips(3), x);
    expect(y.item()).toBeCloseTo(2 * 1.5 ** 3, 5);
    mul(y, 1).backward();
    expect(model.initializer('w')!.grad!.item()).toBeCloseTo(3 * 2 * 1.5 ** 2, 5);
    expect(x.grad!.item()).toBeCloseTo(1.5 ** 3, 5);
  });
});

describe('Loop bounds', () => {
  it('a 1,000,000-trip loop stops at maxLoopIterations with a clear error and frees what it made', () => {
    const model = importOnnxSync(loopModel(loopBody()), { maxLoopIterations: 2000 });
    const M = trips(1_000_000);
    const x = tensor(0);
    const before = memory().numTensors;
    expect(() => model.call(M, x)).toThrow(OnnxRunError);
    expect(() => model.call(M, x)).toThrow(/Loop node 'trips': more than 2000 iterations of Loop bodies in one run .*raise maxLoopIterations/);
    expect(memory().numTensors).toBe(before);
    // the budget is per run: a loop within it still runs afterwards
    expect(model.call(trips(2000), x).item()).toBe(2000);
  });

  it('nested loops add up against the budget', () => {
    // outer loop of 100 trips, each running an inner loop of 100 trips: 10,100 body runs
    const inner = loopBody();
    const outer = loopBody();
    outer.node![1] = node('Loop', ['hundred', '', 'x_in'], ['x_out'], [attr.graph('body', inner)], 'inner');
    outer.initializer!.push(tensorProto('hundred', [], [100], T.INT64));
    const model = importOnnxSync(loopModel(outer), { maxLoopIterations: 5000 });
    expect(() => model.call(trips(100), tensor(0))).toThrow(/more than 5000 iterations of Loop bodies in one run \(nested loops included\)/);
    expect(importOnnxSync(loopModel(outer)).call(trips(100), tensor(0)).item()).toBe(10_000);
  });

  it('scan outputs are bounded by maxRuntimeElements, checked as they grow', () => {
    const body = loopBody({ scans: [node('Expand', ['x_out', 'shape'], ['y0'])], scanDims: [[1000]] });
    body.initializer!.push(tensorProto('shape', [1], [1000], T.INT64));
    const model = importOnnxSync(loopModel(body, 1), { maxRuntimeElements: 100_000 });
    expect(() => model.run({ M: trips(1_000_000), x: tensor(0) })).toThrow(
      /Loop node 'trips': scan output 0 would hold more than 100000 elements after 101 iterations \(shape \[1000\] each\); raise maxRuntimeElements/,
    );
    expect(model.run({ M: trips(100), x: tensor(0) }).ys0!.shape).toEqual([100, 1000]);
  });

  it('recording gradients has its own, lower budget (maxRecordedLoopIterations)', () => {
    const model = importOnnxSync(loopModel(loopBody()), { maxRecordedLoopIterations: 50 });
    model.train();
    expect(() => model.call(trips(51), tensor(0))).toThrow(/more than 50 iterations of Loop bodies in one run while recording gradients/);
    expect(model.call(trips(50), tensor(0)).item()).toBe(50);
    model.eval();
    expect(model.call(trips(5000), tensor(0)).item()).toBe(5000);
  });
});
