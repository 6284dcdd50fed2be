import { describe, expect, it } from 'vitest';
import { Generator } from '@mapnn/core';
import { canonicalCodes, huffmanCodeLengths, huffmanDecode, huffmanEncode } from './huffman.js';

describe('canonical Huffman coder', () => {
  it('gives the textbook lengths (CLRS: a45 b13 c12 d16 e9 f5) and meets Kraft with equality', () => {
    const lengths = huffmanCodeLengths([45, 13, 12, 16, 9, 5]);
    expect(Array.from(lengths)).toEqual([1, 3, 3, 3, 4, 4]);
    expect(Array.from(lengths).reduce((s, l) => s + 2 ** -l, 0)).toBe(1);
  });

  it('assigns canonical codes as DEFLATE (RFC 1951 §3.2.2 example)', () => {
    const codes = Array.from(canonicalCodes([3, 3, 3, 3, 3, 2, 4, 4]));
    expect(codes).toEqual([0b010, 0b011, 0b100, 0b101, 0b110, 0b00, 0b1110, 0b1111]);
  });

  it('round-trips skewed seeded data and beats fixed-width codes on it', () => {
    const g = new Generator(5);
    const symbols = Int32Array.from({ length: 5000 }, () => Math.min(31, Math.floor(-Math.log(1 - g.nextFloat()) * 3)));
    const coded = huffmanEncode(symbols, 32);
    expect(Array.from(huffmanDecode(coded.lengths, coded.bits, symbols.length))).toEqual(Array.from(symbols));
    expect(coded.bits.length).toBeLessThan((symbols.length * 5) / 8);
  });

  it('codes a lone symbol in one bit each, and an empty stream in no bytes', () => {
    const coded = huffmanEncode([3, 3, 3], 4);
    expect(Array.from(coded.lengths)).toEqual([0, 0, 0, 1]);
    expect(coded.bits.length).toBe(1);
    expect(Array.from(huffmanDecode(coded.lengths, coded.bits, 3))).toEqual([3, 3, 3]);
    expect(huffmanEncode([], 4).bits.length).toBe(0);
  });

  it('limits code lengths (Fibonacci frequencies would need 19 bits)', () => {
    const fib = [1, 1];
    while (fib.length < 20) fib.push(fib[fib.length - 1]! + fib[fib.length - 2]!);
    expect(Math.max(...huffmanCodeLengths(fib))).toBe(19);
    const limited = huffmanCodeLengths(fib, 8);
    expect(Math.max(...limited)).toBeLessThanOrEqual(8);
    expect(Array.from(limited).reduce((s, l) => s + 2 ** -l, 0)).toBeLessThanOrEqual(1);
    const symbols = fib.map((_, s) => s);
    const coded = huffmanEncode(symbols, fib.length);
    expect(Array.from(huffmanDecode(coded.lengths, coded.bits, symbols.length))).toEqual(symbols);
  });

  it('refuses symbols outside the alphabet and truncated streams', () => {
    expect(() => huffmanEncode([0, 4], 4)).toThrow(/symbol 4 at 1 is outside the alphabet \[0, 4\)/);
    const coded = huffmanEncode([0, 1, 2, 2], 3);
    expect(() => huffmanDecode(coded.lengths, coded.bits, 40)).toThrow(/read past the end/);
  });
});
