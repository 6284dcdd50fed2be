// The importer's no-op shortcuts (all-zero Pad, one-input Concat/Sum/Max/Min/Mean, Clip without
// bounds, ReduceSum with noop_with_empty_axes, …) must keep the autograd graph: an imported model
// built from them (a DenseNet block's single-input Concat) has to fine-tune.
import { mul, sum, tensor, type Tensor } from '@mapnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { importOnnxSync, setBackend, type INodeProto, type ITensorProto } from './imports.js';
import { T, attr, makeModel, node, tensorProto, valueInfo } from './helpers.js';

beforeAll(() => setBackend('cpu'));

const X = [[1, -2, 3], [0.5, 4, -1]];
const W = [[0.1, 0.2, 0.3], [-0.4, 0.5, -0.6]];
/** Loss weights: d(sum(y * C))/dy = C, so an identity shortcut passes C on to x and w. */
const C = [[1, 2, 3], [4, 5, 6]];

const ints = (name: string, values: number[]) => tensorProto(name, [values.length], values, T.INT64);
const identityBody = {
  name: 'body',
  node: [node('Identity', ['c_in'], ['c_out']), node('Identity', ['v_in'], ['v_out'])],
  input: [valueInfo('i', T.INT64, []), valueInfo('c_in', T.BOOL, []), valueInfo('v_in', T.FLOAT, [2, 3])],
  output: [valueInfo('c_out', T.BOOL, []), valueInfo('v_out', T.FLOAT, [2, 3])],
};
const scanBody = {
  name: 'scan_body',
  node: [node('Identity', ['v_in'], ['v_out'])],
  input: [valueInfo('v_in', T.FLOAT, [2, 3]), valueInfo('row', T.FLOAT, [3])],
  output: [valueInfo('v_out', T.FLOAT, [2, 3])],
};

/** Each case: nodes from `s` (= x + w) to `y`, with the initializers they need. */
const CASES: { name: string; opset?: number; nodes: INodeProto[]; inits?: ITensorProto[] }[] = [
  { name: 'Pad with all-zero pads', nodes: [node('Pad', ['s', 'pads'], ['y'])], inits: [ints('pads', [0, 0, 0, 0])] },
  { name: 'Concat of one input', nodes: [node('Concat', ['s'], ['y'], [attr.int('axis', 0)])] },
  { name: 'Concat with an empty input', nodes: [node('Concat', ['s', 'empty'], ['y'], [attr.int('axis', 0)])], inits: [tensorProto('empty', [0, 3], [])] },
  { name: 'Sum of one input', nodes: [node('Sum', ['s'], ['y'])] },
  { name: 'Max of one input', nodes: [node('Max', ['s'], ['y'])] },
  { name: 'Min of one input', nodes: [node('Min', ['s'], ['y'])] },
  { name: 'Mean of one input', nodes: [node('Mean', ['s'], ['y'])] },
  { name: 'Clip without bounds', nodes: [node('Clip', ['s'], ['y'])] },
  { name: 'ReduceSum with noop_with_empty_axes', nodes: [node('ReduceSum', ['s'], ['y'], [attr.int('noop_with_empty_axes', 1)])] },
  { name: 'Slice with no axes', nodes: [node('Slice', ['s', 'none', 'none'], ['y'])], inits: [ints('none', [])] },
  {
    name: 'Resize to the same size',
    nodes: [node('Resize', ['s', '', 'scales'], ['y'], [attr.string('mode', 'nearest')])],
    inits: [tensorProto('scales', [2], [1, 1])],
  },
  { name: 'ConcatFromSequence of one item', nodes: [node('SequenceConstruct', ['s'], ['q']), node('ConcatFromSequence', ['q'], ['y'], [attr.int('axis', 0)])] },
  {
    name: 'Loop of zero trips',
    opset: 16,
    nodes: [node('Loop', ['zero', '', 's'], ['y'], [attr.graph('body', identityBody)])],
    inits: [tensorProto('zero', [], [0], T.INT64)],
  },
  {
    name: 'Scan over an empty sequence',
    opset: 16,
    nodes: [node('Scan', ['s', 'none3'], ['y'], [attr.int('num_scan_inputs', 1), attr.graph('body', scanBody)])],
    inits: [tensorProto('none3', [0, 3], [])],
  },
  { name: 'Identity', nodes: [node('Identity', ['s'], ['y'])] },
  { name: 'Dropout with training_mode off', nodes: [node('Dropout', ['s', '', 'off'], ['y'])], inits: [tensorProto('off', [], [0], T.BOOL)] },
];

function shortcutModel(c: (typeof CASES)[number]): Uint8Array {
  return makeModel({
    nodes: [node('Add', ['x', 'w'], ['s']), ...c.nodes],
    inputs: [valueInfo('x', T.FLOAT, [2, 3])],
    outputs: [valueInfo('y', T.FLOAT, [2, 3])],
    initializers: [tensorProto('w', [2, 3], W.flat()), ...(c.inits ?? [])],
    opset: c.opset ?? 13,
  });
}

const values = (t: Tensor | null | undefined) => (t ? Array.from(t.dataSync()) : null);

describe('no-op shortcuts keep the autograd graph', () => {
  it.each(CASES)('$name: gradients reach the input and the initializer', (c) => {
    const model = importOnnxSync(shortcutModel(c));
    model.train();
    const x = tensor(X).requiresGrad_();
    const y = model.call(x);
    expect(values(y)).toEqual(values(tensor(X).add(tensor(W))));
    sum(mul(y, tensor(C))).backward();
    expect(values(x.grad)).toEqual(C.flat());
    expect(values(model.initializer('w')!.grad)).toEqual(C.flat());
    model.dispose();
  });

  it('a no-op in eval mode still frees its intermediates and leaves the input usable', () => {
    const model = importOnnxSync(shortcutModel(CASES[1]!));
    const x = tensor(X);
    const y = model.call(x);
    expect(values(y)).toEqual(values(tensor(X).add(tensor(W))));
    y.dispose();
    expect(values(x)).toEqual(X.flat());
    model.dispose();
  });
});
