import { describe, expect, it } from 'vitest';
import {
  checkGatherShapes,
  checkIndexDType,
  checkIndexRange,
  checkScatterArgs,
  concatShape,
  convColumnRanges,
  convGeometry,
  fold2dChannels,
  indexSelectShape,
  matmulDims,
  padAttrs,
  padSourceMap,
  sliceAttrs,
  sliceOffset,
} from '../index.js';

describe('kernel utilities', () => {
  it('convGeometry: defaults, pairs, output size and a kernel that does not fit', () => {
    expect(convGeometry({ kernel: 3 }, 5, 7, 'unfold2d')).toEqual({ kh: 3, kw: 3, sh: 1, sw: 1, pt: 0, pl: 0, dh: 1, dw: 1, oh: 3, ow: 5 });
    const g = convGeometry({ kernel: [3, 2], stride: [2, 1], dilation: 2, pads: [1, 1, 0, 2] }, 8, 6, 'fold2d');
    expect(g).toEqual({ kh: 3, kw: 2, sh: 2, sw: 1, pt: 1, pl: 0, dh: 2, dw: 2, oh: 3, ow: 6 });
    expect(() => convGeometry({ kernel: 'x' }, 4, 4, 'conv2d')).toThrow(`conv kernel: attr 'kernel' must be a number or a pair, got "x"`);
    expect(() => convGeometry({ kernel: 5 }, 4, 4, 'conv2d')).toThrow('conv2d: kernel 5×5 (dilation 1×1) does not fit the padded 4×4 input');
  });

  it('fold2dChannels: C from the rows, checking rows and columns against the geometry', () => {
    const g = convGeometry({ kernel: 2 }, 3, 3, 'fold2d'); // oh = ow = 2
    expect(fold2dChannels(g, 12, 4, 3, 3)).toBe(3);
    expect(() => fold2dChannels(g, 10, 4, 3, 3)).toThrow('fold2d: 10 rows are not a multiple of the kernel size 2×2');
    expect(() => fold2dChannels(g, 12, 5, 3, 3)).toThrow('fold2d: 5 columns, expected 2×2 = 4 for output 3×3');
  });

  it('convColumnRanges: the output columns whose input column is inside the image', () => {
    const W = 5;
    const g = convGeometry({ kernel: 3, stride: 2, pads: [1, 1, 1, 1] }, W, W, 'unfold2d');
    const ranges = convColumnRanges(g, W);
    expect(ranges).toHaveLength(3);
    ranges.forEach(([ox0, ox1], kj) => {
      for (let ox = 0; ox < g.ow; ox++) {
        const ix = ox * g.sw + kj * g.dw - g.pl;
        expect(ox >= ox0 && ox < ox1).toBe(ix >= 0 && ix < W);
      }
    });
  });

  it('matmulDims: dims and strides with and without transposes', () => {
    expect(matmulDims([2, 3, 4], [1, 4, 5], {})).toEqual({
      transA: false, transB: false, ba: 2, bb: 1, batch: 2, m: 3, k: 4, n: 5, ars: 4, acs: 1, brs: 5, bcs: 1,
    });
    expect(matmulDims([1, 4, 3], [2, 5, 4], { transA: true, transB: true })).toEqual({
      transA: true, transB: true, ba: 1, bb: 2, batch: 2, m: 3, k: 4, n: 5, ars: 1, acs: 3, brs: 1, bcs: 4,
    });
  });

  it('slice / pad / concat attrs', () => {
    const s = sliceAttrs({ begin: [1, 0], size: [2, 2] }, [4, 3]);
    expect(s.step).toEqual([1, 1]);
    expect(sliceOffset([4, 3], s, [3, 1])).toBe(3);
    expect(() => sliceAttrs({ begin: [0], size: [1, 1] }, [2, 2])).toThrow('slice: begin [0], size [1,1] and step [1,1] must each have one entry per dim of [2,2]');
    expect(() => sliceOffset([4], { begin: [3], size: [2], step: [1] }, [1])).toThrow(RangeError);
    expect(padAttrs({ pads: [1, 2] }, [3])).toEqual({ pads: [1, 2], mode: 'constant', outShape: [6] });
    expect(() => padAttrs({ pads: [1], mode: 'edge' }, [3])).toThrow('pad: pads [1] must be 2 non-negative integers for [3]');
    expect(Array.from(padSourceMap(3, 2, 1, 'reflect', 0))).toEqual([2, 1, 0, 1, 2, 1]);
    expect(Array.from(padSourceMap(3, 2, 1, 'edge', 0))).toEqual([0, 0, 0, 1, 2, 2]);
    expect(() => padSourceMap(2, 2, 0, 'reflect', 1)).toThrow('pad: reflect padding (2, 0) of dim 1 must be smaller than its size 2');
    const f = { shape: [2, 3], dtype: 'float32' } as const;
    expect(concatShape([f, { shape: [2, 1], dtype: 'float32' }], 1)).toEqual({ outShape: [2, 4], total: 4 });
    expect(() => concatShape([], 0)).toThrow('concat: needs at least one input');
    expect(() => concatShape([f], 2)).toThrow('concat: axis 2 is out of range for a tensor of rank 2');
  });

  it('index checks', () => {
    expect(() => checkIndexDType('gather', { shape: [2], dtype: 'float32' })).toThrow('gather: index must be int32 or int64, got float32 [2]');
    expect(() => checkIndexRange('gather', [0, 3], 1, 3)).toThrow('gather: index 3 is out of range for dim 1 of size 3 (valid range [0, 2])');
    expect(() => checkIndexRange('gather', [0], 0, 0)).toThrow('valid range none (the dimension is empty)');
    expect(() => checkGatherShapes([2, 3], [3, 3], 1)).toThrow('gather: index [3,3] must have the rank of x [2,3] and no larger dims except axis 1');
    expect(indexSelectShape([4, 5], [2], 1)).toEqual([4, 2]);
    expect(indexSelectShape([], [], 0)).toEqual([]);
    expect(() => indexSelectShape([4], [1, 1], 0)).toThrow('indexSelect: indices must be 1-D, got [1,1]');
    const x = { shape: [3, 3], dtype: 'float32' } as const;
    expect(() => checkScatterArgs('scatter', x, [2, 2], { shape: [2, 2], dtype: 'float64' }, 0)).toThrow(
      'scatter: src dtype float64 must match x dtype float32',
    );
    expect(() => checkScatterArgs('scatterAdd', x, [4, 2], { shape: [4, 2], dtype: 'float32' }, 1)).toThrow(/scatterAdd: index \[4,2\] must have the rank of x/);
  });
});
