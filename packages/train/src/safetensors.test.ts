import '@mapnn/backend-cpu';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Generator, setBackend, tensor, type Tensor } from '@mapnn/core';
import { SafetensorsError, decodeSafetensors, encodeSafetensors, type SafeTensor } from './index.js';
import { firstDuplicateKey } from './safetensors-header.js';

beforeAll(() => setBackend('cpu'));

const utf8 = (s: string) => new TextEncoder().encode(s);

/** A safetensors file from a header (JSON text or value) and data bytes; `length` overrides the header length. */
function file(header: string | object, data: ArrayLike<number> = [], length?: bigint): Uint8Array {
  const head = utf8(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + head.length + data.length);
  new DataView(out.buffer).setBigUint64(0, length ?? BigInt(head.length), true);
  out.set(head, 8);
  out.set(Array.from(data), 8 + head.length);
  return out;
}
const f32 = (...v: number[]) => Array.from(new Uint8Array(new Float32Array(v).buffer));
const F32 = (shape: number[], begin: number, end: number) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });
const bytesOf = (bigs: bigint[]) => Array.from(new Uint8Array(new BigInt64Array(bigs).buffer));

type Decoded = Record<string, { dtype: string; shape: number[]; data: number[] }>;
const plain = (tensors: Record<string, SafeTensor>): Decoded => {
  const out: Decoded = Object.create(null);
  for (const [k, t] of Object.entries(tensors)) out[k] = { dtype: t.dtype, shape: t.shape, data: Array.from(t.data) };
  return out;
};
const one = (name: string, dtype: string, shape: number[], data: number[]): Decoded =>
  Object.assign(Object.create(null), { [name]: { dtype, shape, data } });

/** Hostile files: each must be refused with a SafetensorsError whose message matches. */
const refused: [string, Uint8Array, RegExp][] = [
  ['empty file', new Uint8Array(0), /too short/],
  ['7 bytes', new Uint8Array(7), /too short/],
  ['header length beyond the file', file('{}', [], 100n), /header length 100 exceeds the file/],
  ['header length 2^40', file('{}', [], 1n << 40n), /exceeds the limit/],
  ['header length 2^64-1', file('{}', [], (1n << 64n) - 1n), /exceeds the limit/],
  ['header length 0', file('', [], 0n), /empty header/],
  ['header with leading space', file(' {}'), /must start with '\{'/],
  ['header with a UTF-8 BOM', file('\uFEFF{}'), /must start with '\{'/],
  ['header that is invalid UTF-8', (() => { const b = file('{"ab":1}'); b[10] = 0xff; return b; })(), /not valid UTF-8/],
  ['truncated JSON', file('{"a":'), /not valid JSON/],
  ['JSON with a trailing comma', file('{"a":{},}'), /not valid JSON/],
  ['header is an array', file('[]'), /must start with '\{'/],
  ['header is a number', file('42'), /must start with '\{'/],
  ['header is null', file('null'), /must start with '\{'/],
  ['header is a string', file('"x"'), /must start with '\{'/],
  ['header is true', file('true'), /must start with '\{'/],
  ['entry null', file({ a: null }), /tensor "a" must be an object/],
  ['entry array', file({ a: [] }), /tensor "a" must be an object/],
  ['entry number', file({ a: 1 }), /tensor "a" must be an object/],
  ['entry string', file({ a: 'F32' }), /tensor "a" must be an object/],
  ['dtype missing', file({ a: { shape: [1], data_offsets: [0, 4] } }, f32(1)), /tensor "a" has dtype undefined; expected one of/],
  ['dtype a number', file({ a: { dtype: 4, shape: [1], data_offsets: [0, 4] } }, f32(1)), /tensor "a" has dtype 4/],
  ['dtype unknown', file({ a: { dtype: 'F128', shape: [1], data_offsets: [0, 16] } }, new Array(16).fill(0)), /dtype "F128"/],
  ['dtype lower case', file({ a: { dtype: 'f32', shape: [1], data_offsets: [0, 4] } }, f32(1)), /dtype "f32"/],
  ['dtype __proto__', file({ a: { dtype: '__proto__', shape: [1], data_offsets: [0, 4] } }, f32(1)), /dtype "__proto__"/],
  ['dtype BF16 (valid, not read by mapnn)', file({ a: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } }, [0, 0, 0, 0]), /dtype BF16, which mapnn does not read/],
  ['shape missing', file({ a: { dtype: 'F32', data_offsets: [0, 4] } }, f32(1)), /tensor "a" has shape undefined/],
  ['shape a number', file({ a: { dtype: 'F32', shape: 1, data_offsets: [0, 4] } }, f32(1)), /has shape 1; expected an array/],
  ['shape negative', file({ a: F32([-1], 0, 4) }, f32(1)), /has shape \[-1\]/],
  ['shape fractional', file({ a: F32([1.5], 0, 6) }, new Array(6).fill(0)), /has shape \[1.5\]/],
  ['shape string dims', file({ a: { dtype: 'F32', shape: ['1'], data_offsets: [0, 4] } }, f32(1)), /has shape \["1"\]/],
  ['shape Infinity (1e400)', file('{"a":{"dtype":"F32","shape":[1e400],"data_offsets":[0,4]}}', f32(1)), /has shape \[null\]/],
  ['shape null dim', file({ a: { dtype: 'F32', shape: [null], data_offsets: [0, 4] } }, f32(1)), /has shape \[null\]/],
  ['shape overflowing 2^53 bytes', file({ a: F32([1 << 30, 1 << 30, 1 << 30], 0, 4) }, f32(1)), /too large/],
  ['data_offsets missing', file({ a: { dtype: 'F32', shape: [1] } }, f32(1)), /data_offsets undefined; expected \[begin, end\]/],
  ['data_offsets with 3 elements', file({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4, 8] } }, f32(1, 2)), /data_offsets \[0,4,8\]/],
  ['data_offsets with 1 element', file({ a: { dtype: 'F32', shape: [1], data_offsets: [4] } }, f32(1)), /data_offsets \[4\]/],
  ['data_offsets reversed', file({ a: F32([1], 4, 0) }, f32(1)), /data_offsets \[4,0\]/],
  ['data_offsets negative', file({ a: F32([1], -4, 0) }, f32(1)), /data_offsets \[-4,0\]/],
  ['data_offsets fractional', file({ a: F32([1], 0.5, 4.5) }, f32(1)), /data_offsets \[0.5,4.5\]/],
  ['data_offsets strings', file({ a: { dtype: 'F32', shape: [1], data_offsets: ['0', '4'] } }, f32(1)), /data_offsets \["0","4"\]/],
  ['data_offsets null', file({ a: { dtype: 'F32', shape: [1], data_offsets: null } }, f32(1)), /data_offsets null/],
  ['byte length not matching the shape', file({ a: F32([2], 0, 4) }, f32(1)), /needs 8 bytes but data_offsets \[0,4\] hold 4/],
  ['two tensors on the same bytes', file({ a: F32([1], 0, 4), b: F32([1], 0, 4) }, f32(1)), /overlapping/],
  ['partially overlapping tensors', file({ a: F32([2], 0, 8), b: F32([2], 4, 12) }, f32(1, 2, 3)), /tensor "b" starts at data byte 4, overlapping/],
  ['a gap between tensors', file({ a: F32([1], 0, 4), b: F32([1], 8, 12) }, f32(1, 2, 3)), /tensor "b" starts at data byte 8, leaving a gap after byte 4/],
  ['a gap at the start', file({ a: F32([1], 4, 8) }, f32(1, 2)), /leaving a gap after byte 0/],
  ['trailing bytes', file({ a: F32([1], 0, 4) }, f32(1, 2)), /4 trailing bytes/],
  ['trailing bytes without tensors', file({}, [1]), /1 trailing bytes/],
  ['data truncated', file({ a: F32([2], 0, 8) }, f32(1)), /ends at data byte 8 but the file holds only 4/],
  ['__metadata__ null', file({ __metadata__: null }), /__metadata__ must be an object of strings/],
  ['__metadata__ array', file({ __metadata__: ['pt'] }), /__metadata__ must be an object/],
  ['__metadata__ string', file({ __metadata__: 'pt' }), /__metadata__ must be an object/],
  ['__metadata__ number value', file({ __metadata__: { epoch: 3 } }), /__metadata__ value of "epoch" must be a string, got 3/],
  ['__metadata__ nested value', file({ __metadata__: { a: { b: 'c' } } }), /value of "a" must be a string/],
  ['duplicate tensor key', file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', f32(1, 2)), /key "a" twice/],
  ['duplicate key spelled with an escape', file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"\\u0061":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', f32(1, 2)), /key "a" twice/],
  ['duplicate field inside an entry', file('{"a":{"dtype":"I32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}', f32(1)), /key "dtype" twice/],
  ['duplicate __metadata__', file('{"__metadata__":{"a":"1"},"__metadata__":{"a":"2"}}'), /key "__metadata__" twice/],
  ['duplicate metadata key', file('{"__metadata__":{"a":"1","a":"2"}}'), /key "a" twice/],
  ['BOOL byte that is not 0/1', file({ a: { dtype: 'BOOL', shape: [2], data_offsets: [0, 2] } }, [1, 2]), /BOOL element 1 is byte 2/],
  ['int64 beyond 2^53', file({ a: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, bytesOf([1n << 60n])), /tensor "a": int64 element 0/],
];

/** Odd but valid files: each must decode to exactly these tensors. */
const accepted: [string, Uint8Array, Decoded][] = [
  ['a tensor named __proto__', file({ ['__proto__']: F32([2], 0, 8) }, f32(1, 2)), one('__proto__', 'float32', [2], [1, 2])],
  ['a tensor named constructor', file({ constructor: F32([1], 0, 4) }, f32(7)), one('constructor', 'float32', [1], [7])],
  ['a tensor named hasOwnProperty', file({ hasOwnProperty: F32([1], 0, 4) }, f32(7)), one('hasOwnProperty', 'float32', [1], [7])],
  ['a scalar (shape [])', file({ s: F32([], 0, 4) }, f32(2.5)), one('s', 'float32', [], [2.5])],
  ['an empty tensor', file({ e: F32([0, 3], 0, 0) }), one('e', 'float32', [0, 3], [])],
  ['an empty header', file('{}'), Object.create(null)],
  ['header padded with spaces', file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}     ', f32(3)), one('a', 'float32', [1], [3])],
  [
    'entries listed out of offset order',
    file({ b: F32([1], 4, 8), a: F32([1], 0, 4) }, f32(1, 2)),
    Object.assign(Object.create(null), { b: { dtype: 'float32', shape: [1], data: [2] }, a: { dtype: 'float32', shape: [1], data: [1] } }),
  ],
  ['a non-ASCII name', file({ 'poids·λ': F32([1], 0, 4) }, f32(-1)), one('poids·λ', 'float32', [1], [-1])],
  ['int64 at ±(2^53-1)', file({ i: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, bytesOf([(1n << 53n) - 1n, 1n - (1n << 53n)])), one('i', 'int64', [2], [2 ** 53 - 1, 1 - 2 ** 53])],
];

describe('decodeSafetensors on hostile files', () => {
  it(`has at least 47 hostile cases (${refused.length} refused, ${accepted.length} odd but valid)`, () => {
    expect(refused.length + accepted.length).toBeGreaterThanOrEqual(47);
    expect(refused.length).toBeGreaterThanOrEqual(47);
  });

  it.each(refused)('refuses %s with a SafetensorsError', (_name, bytes, message) => {
    let error: unknown;
    try {
      decodeSafetensors(bytes);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SafetensorsError);
    expect((error as Error).message).toMatch(/^safetensors: /);
    expect((error as Error).message).toMatch(message);
  });

  it.each(accepted)('decodes %s to exactly its data', (_name, bytes, expected) => {
    const { tensors } = decodeSafetensors(bytes);
    expect(Object.getPrototypeOf(tensors)).toBe(null);
    expect(plain(tensors)).toEqual(expected);
  });

  it('never throws anything but SafetensorsError on 2,000 random mutations of a valid file', () => {
    const good = encodeSafetensors({ a: tensor([1, 2, 3]), b: tensor([[1, 2]], [1, 2], 'int64'), c: tensor([true], [1], 'bool') }, { format: 'pt' });
    const g = new Generator(7);
    for (let i = 0; i < 2000; i++) {
      const b = good.slice(0, g.nextBelow(8) === 0 ? g.nextBelow(good.length + 1) : good.length);
      for (let k = 0; k <= g.nextBelow(4); k++) if (b.length) b[g.nextBelow(b.length)] = g.nextBelow(256);
      try {
        decodeSafetensors(b);
      } catch (e) {
        if (!(e instanceof SafetensorsError)) throw new Error(`mutation ${i}: ${(e as Error).name}: ${(e as Error).message}`);
      }
    }
  });

  it('finds duplicate keys at any depth, unescaped, and not in arrays or values', () => {
    expect(firstDuplicateKey('{"a":1,"b":{"c":"a","d":["a","a"]}}')).toBeUndefined();
    expect(firstDuplicateKey('{"a":1,"b":{"c":1,"c":2}}')).toBe('c');
    expect(firstDuplicateKey('{"x\\"y":1, "x\\u0022y":2}')).toBe('x"y');
    expect(firstDuplicateKey('[{"a":1},{"a":1}]')).toBeUndefined();
  });
});

describe('decodeSafetensors on views (Buffer, subarray, ArrayBuffer)', () => {
  const good = () => encodeSafetensors({ w: tensor([1.5, -2, 3], [3]), i: tensor([[4, 5]], [1, 2], 'int32') }, { format: 'pt' });
  const expected = (t: Record<string, SafeTensor>) => {
    expect(Array.from(t.w!.data)).toEqual([1.5, -2, 3]);
    expect(Array.from(t.i!.data)).toEqual([4, 5]);
    expect(t.i!.shape).toEqual([1, 2]);
  };

  it('reads only the window of a Buffer at a nonzero offset inside a larger ArrayBuffer', () => {
    const bytes = good();
    const pool = new ArrayBuffer(bytes.length + 100);
    new Uint8Array(pool).fill(0xab);
    new Uint8Array(pool, 36, bytes.length).set(bytes);
    const view = Buffer.from(pool, 36, bytes.length);
    expect(view.byteOffset).toBe(36);
    expected(decodeSafetensors(view).tensors);
    expected(decodeSafetensors(new Uint8Array(pool, 36, bytes.length)).tensors);
    expected(decodeSafetensors(new DataView(pool, 36, bytes.length)).tensors);
    expected(decodeSafetensors(pool.slice(36, 36 + bytes.length)).tensors);
  });

  it('reads fs.readFileSync output and small pooled Buffers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapnn-st-'));
    try {
      writeFileSync(join(dir, 'm.safetensors'), good());
      expected(decodeSafetensors(readFileSync(join(dir, 'm.safetensors'))).tensors);
      const pooled = Buffer.from(good()); // small Buffers share Node's pool
      expected(decodeSafetensors(pooled).tensors);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('returns copies that do not change when the input bytes do', () => {
    const bytes = good();
    const { tensors } = decodeSafetensors(bytes);
    bytes.fill(0, bytes.length - 20);
    expected(tensors);
  });

  it('refuses input that is not bytes with a TypeError naming the function', () => {
    expect(() => decodeSafetensors('abc' as never)).toThrow(/decodeSafetensors: expected a Uint8Array/);
  });
});

describe('encodeSafetensors', () => {
  it('round-trips every dtype and matches the format layout byte for byte', () => {
    const t = {
      a: tensor([1.5, -2], [2], 'float32'),
      b: tensor([[1, 2]], [1, 2], 'int64'),
      c: tensor([true, false], [2], 'bool'),
      d: tensor([0.5], [1], 'float16'),
      e: tensor([1e-300], [1], 'float64'),
      f: tensor([-3, 4], [2], 'int8'),
      g: tensor([255], [1], 'uint8'),
      h: tensor([-7], [1], 'int32'),
    };
    const bytes = encodeSafetensors(t, { format: 'pt' });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header.a).toEqual({ dtype: 'F32', shape: [2], data_offsets: [0, 8] });
    expect(header.b.dtype).toBe('I64');
    expect(header.__metadata__).toEqual({ format: 'pt' });
    const { tensors: back, metadata } = decodeSafetensors(bytes);
    expect({ ...metadata }).toEqual({ format: 'pt' });
    expect(Array.from(back.a!.data)).toEqual([1.5, -2]);
    expect(Array.from(back.b!.data)).toEqual([1, 2]);
    expect(Array.from(back.c!.data)).toEqual([1, 0]);
    expect(Array.from(back.d!.data)).toEqual([0.5]);
    expect(back.e!.data[0]).toBe(1e-300);
    expect(Array.from(back.f!.data)).toEqual([-3, 4]);
    expect(Array.from(back.g!.data)).toEqual([255]);
    expect(Array.from(back.h!.data)).toEqual([-7]);
    expect(Object.fromEntries(Object.entries(back).map(([k, v]) => [k, v.dtype]))).toEqual(
      Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.dtype])),
    );
  });

  it('round-trips names such as __proto__ and constructor, non-ASCII names, scalars and empty tensors', () => {
    const t: Record<string, Tensor> = { ['__proto__']: tensor([1, 2]), constructor: tensor([3]), 'é·λ': tensor([4]), s: tensor(5), z: tensor([], [0, 2]) };
    const bytes = encodeSafetensors(t);
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0); // padded by bytes, not UTF-16 units
    const back = decodeSafetensors(bytes).tensors;
    expect(Object.keys(back).sort()).toEqual(['__proto__', 'constructor', 's', 'z', 'é·λ']);
    expect(Array.from(back['__proto__']!.data)).toEqual([1, 2]);
    expect(Array.from(back['constructor' as string]!.data)).toEqual([3]);
    expect(Array.from(back['é·λ']!.data)).toEqual([4]);
    expect(back.s!.shape).toEqual([]);
    expect(back.z!.shape).toEqual([0, 2]);
    expect(plain(decodeSafetensors(encodeSafetensors({})).tensors)).toEqual({});
  });

  it('refuses what the decoder would refuse', () => {
    expect(() => encodeSafetensors({ __metadata__: tensor([1]) })).toThrow(SafetensorsError);
    expect(() => encodeSafetensors({ __metadata__: tensor([1]) })).toThrow(/'__metadata__' is reserved/);
    expect(() => encodeSafetensors({ a: tensor([1]) }, { epoch: 3 as never })).toThrow(/metadata "epoch" must be a string/);
  });

  it('rejects truncated files with a clear error', () => {
    const good = encodeSafetensors({ w: tensor([1, 2, 3]) });
    expect(() => decodeSafetensors(good.subarray(0, 4))).toThrow(/too short/);
    expect(() => decodeSafetensors(good.subarray(0, good.length - 4))).toThrow(/tensor "w" ends at data byte 12 but the file holds only 8/);
  });
});
