import type { CaseTable } from '../types.js';
import { call } from '../util.js';

/** Shape and indexing ops (movement.json). */
export const movementCases: CaseTable = {
  reshape: { run: ([x], a) => call('reshape', x, a.shape) },
  transpose: { run: ([x], a) => call('transpose', x, a.perm) },
  permute: { run: ([x], a) => call('permute', x, a.perm) },
  swapAxes: { run: ([x], a) => call('swapAxes', x, a.a, a.b) },
  broadcastTo: { run: ([x], a) => call('broadcastTo', x, a.shape) },
  expand: { run: ([x], a) => call('expand', x, a.shape) },
  squeeze: { run: ([x], a) => call('squeeze', x, a.axes) },
  unsqueeze: { run: ([x], a) => call('unsqueeze', x, a.axis) },
  flatten: { run: ([x], a) => call('flatten', x, a.startDim, a.endDim) },
  slice: { run: ([x], a) => call('slice', x, a.starts, a.ends, a.axes, a.steps) },
  narrow: { run: ([x], a) => call('narrow', x, a.axis, a.start, a.length) },
  concat: { run: (xs, a) => call('concat', xs, a.axis) },
  cat: { run: (xs, a) => call('cat', xs, a.axis) },
  stack: { run: (xs, a) => call('stack', xs, a.axis) },
  split: { run: ([x], a) => call('split', x, a.sizeOrSections, a.axis) },
  chunk: { run: ([x], a) => call('chunk', x, a.chunks, a.axis) },
  unbind: { run: ([x], a) => call('unbind', x, a.axis) },
  gather: { run: ([x, index], a) => call('gather', x, a.axis, index) },
  scatter: { run: ([x, index, src], a) => call('scatter', x, a.axis, index, src) },
  scatterAdd: { run: ([x, index, src], a) => call('scatterAdd', x, a.axis, index, src) },
  indexSelect: { run: ([x, indices], a) => call('indexSelect', x, a.axis, indices) },
  // PyTorch's 'replicate' is mapnn's 'edge'
  pad: { run: ([x], a) => call('pad', x, a.pads, a.mode === 'replicate' ? 'edge' : a.mode, a.value) },
  tile: { run: ([x], a) => call('tile', x, a.reps) },
  repeatInterleave: { run: ([x], a) => call('repeatInterleave', x, a.repeats, a.axis) },
  oneHot: { run: ([i], a) => call('oneHot', i, a.numClasses) },
  tril: { run: ([x], a) => call('tril', x, a.k) },
  triu: { run: ([x], a) => call('triu', x, a.k) },
  flip: { run: ([x], a) => call('flip', x, a.axes) },
};
