import { describe, expect, it } from 'vitest';
import { pyFixed, pyFloatRepr } from './pyformat.js';

describe('Python number formatting', () => {
  it("'{:.Nf}' rounds exact ties half-to-even and non-ties by the exact binary value", () => {
    expect(pyFixed(0.125, 2)).toBe('0.12'); // exact tie → even (JS toFixed gives 0.13)
    expect(pyFixed(0.375, 2)).toBe('0.38');
    expect(pyFixed(0.5, 0)).toBe('0');
    expect(pyFixed(1.5, 0)).toBe('2');
    expect(pyFixed(2.675, 2)).toBe('2.67'); // 2.67499999…
    expect(pyFixed(0.35, 1)).toBe('0.3'); // 0.34999…
    expect(pyFixed(1, 2)).toBe('1.00');
    expect(pyFixed(0, 3)).toBe('0.000');
    expect(pyFixed(2 / 3, 4)).toBe('0.6667');
    expect(pyFixed(-0.125, 2)).toBe('-0.12');
    expect(pyFixed(NaN, 2)).toBe('nan');
    expect(pyFixed(123456.789, 1)).toBe('123456.8');
    expect(pyFixed(5e-324, 2)).toBe('0.00');
  });

  it('repr(float)', () => {
    expect(pyFloatRepr(3)).toBe('3.0');
    expect(pyFloatRepr(20.323)).toBe('20.323');
    expect(pyFloatRepr(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(pyFloatRepr(1e-5)).toBe('1e-05');
    expect(pyFloatRepr(0.0001)).toBe('0.0001');
    expect(pyFloatRepr(1e16)).toBe('1e+16');
    expect(pyFloatRepr(1234567890123456.7)).toBe('1234567890123456.8');
    expect(pyFloatRepr(1.5e300)).toBe('1.5e+300');
    expect(pyFloatRepr(-2.5)).toBe('-2.5');
    expect(pyFloatRepr(0)).toBe('0.0');
  });
});
