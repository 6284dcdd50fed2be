/**
 * WGSL code generation shared by the kernels: the binding header, uniform access, the thread
 * index of a 1-D grid (spread over x and y when it exceeds 65535 workgroups), shape collapsing
 * and unrolled index arithmetic.
 *
 * Conventions of every generated shader: binding 0 is a uniform block of 32-bit words read with
 * `m(k)` (u32), `mi(k)` (i32) or `mf(k)` (f32); binding 1 is the output `out`; bindings 2… are
 * the inputs `in0`, `in1`, …; `m(0)` is the number of threads that do work.
 */
import type { Kind } from './dtype.js';

/** Threads per workgroup of the elementwise and movement kernels. */
export const WG = 64;
const MAX_GROUPS = 65535;

export type Elem = Kind | 'u32';

/** Helpers available to every shader. */
const PRELUDE = /* wgsl */ `
fn isNan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
// NaN and infinities must be runtime values (WGSL constant evaluation rejects them)
var<private> NAN_BITS: u32 = 0x7fc00000u;
var<private> INF_BITS: u32 = 0x7f800000u;
fn nan() -> f32 { return bitcast<f32>(NAN_BITS); }
fn inf(neg: bool) -> f32 { return bitcast<f32>(INF_BITS | select(0u, 0x80000000u, neg)); }
// float32 -> nearest float16 value (ties to even), as f32
fn roundHalf(x: f32) -> f32 {
  let b = bitcast<u32>(x);
  let s = b & 0x80000000u;
  let a = b & 0x7fffffffu;
  if (a >= 0x7f800000u) { return x; }
  if (a >= 0x477ff000u) { return bitcast<f32>(s | 0x7f800000u); }
  if (a < 0x38800000u) {
    let q = round(bitcast<f32>(a) * 16777216.0) / 16777216.0;
    return bitcast<f32>(s | bitcast<u32>(q));
  }
  let r = a + 0xfffu + ((a >> 13u) & 1u);
  return bitcast<f32>(s | (r & 0xffffe000u));
}
`;

/** The header of a shader: uniforms (`words` of them), the output and the inputs. */
export function header(words: number, out: Elem, ins: readonly Elem[], outAtomic = false): string {
  const k = Math.max(1, Math.ceil(words / 4));
  const lines = [
    `struct U { m: array<vec4<u32>, ${k}> };`,
    `@group(0) @binding(0) var<uniform> u: U;`,
    `fn m(i: u32) -> u32 { return u.m[i / 4u][i % 4u]; }`,
    `fn mi(i: u32) -> i32 { return bitcast<i32>(m(i)); }`,
    `fn mf(i: u32) -> f32 { return bitcast<f32>(m(i)); }`,
    `@group(0) @binding(1) var<storage, read_write> out: array<${outAtomic ? `atomic<${out}>` : out}>;`,
    ...ins.map((t, j) => `@group(0) @binding(${j + 2}) var<storage, read> in${j}: array<${t}>;`),
  ];
  return lines.join('\n') + PRELUDE;
}

/** Declares the GPU error word (see GPU_ERRORS in runtime.ts) at binding `binding`. */
export function errorDecl(binding: number): string {
  return `\n@group(0) @binding(${binding}) var<storage, read_write> err: array<atomic<u32>>;\n`;
}

/** A compute entry point over a 1-D grid: `body` runs with `i` (u32) for i < m(0). */
export function main1d(body: string, wg = WG): string {
  return `
@compute @workgroup_size(${wg})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * ${wg}u;
  if (i >= m(0u)) { return; }
${body}
}`;
}

/** Workgroup counts for `threads` threads of `wg` per group (x ≤ 65535, rest in y). */
export function grid(threads: number, wg = WG): [number, number, number] {
  const groups = Math.ceil(threads / wg);
  if (groups <= MAX_GROUPS) return [groups, 1, 1];
  const y = Math.ceil(groups / MAX_GROUPS);
  return [Math.ceil(groups / y), y, 1];
}

/** Builds a uniform block of 32-bit words. */
export class Uniforms {
  private readonly w: number[] = [];
  private readonly f: Map<number, number> = new Map();
  /** Current word index (where the next value goes). */
  get length(): number {
    return this.w.length;
  }
  u32(...vs: number[]): this {
    for (const v of vs) this.w.push(v >>> 0);
    return this;
  }
  i32(...vs: number[]): this {
    for (const v of vs) this.w.push(v | 0);
    return this;
  }
  f32(v: number): this {
    this.f.set(this.w.length, v);
    this.w.push(0);
    return this;
  }
  build(): Uint32Array {
    const out = new Uint32Array(Math.max(4, Math.ceil(this.w.length / 4) * 4));
    const fv = new Float32Array(out.buffer);
    this.w.forEach((v, i) => (out[i] = v >>> 0));
    for (const [i, v] of this.f) fv[i] = v;
    return out;
  }
}

/**
 * Drops size-1 dims and merges neighbouring dims that every stride set walks contiguously
 * (stride[d] = stride[d+1]·shape[d+1]), so index arithmetic runs over as few dims as possible.
 */
export function collapse(shape: readonly number[], strides: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const s: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = s.length - 1;
    if (last >= 0 && strides.every((x, k) => st[k]![last] === x[d]! * shape[d]!)) {
      s[last] = s[last]! * shape[d]!;
      strides.forEach((x, k) => (st[k]![last] = x[d]!));
    } else {
      s.push(shape[d]!);
      strides.forEach((x, k) => st[k]!.push(x[d]!));
    }
  }
  return { shape: s, strides: st };
}

// Contiguous and broadcast strides are core's shape helpers (one owner), under the names the
// kernels use. (Core's broadcast strides keep the stride of a size-1 dim that stays size 1;
// `collapse` drops size-1 dims, so the generated index arithmetic is the same.)
export { broadcastStrides as broadcastStridesOf, stridesOf as contiguous } from '@mapnn/core/backend';

/**
 * WGSL statements decoding the flat index `idx` over a shape whose dims are uniforms
 * `m(shapeAt)…m(shapeAt + rank - 1)` into offsets: for each `[name, stridesAt]`, declares
 * `var name: u32` = Σ coord[d]·m(stridesAt + d). Strides may be negative when read as i32
 * (`signed`), then offsets are i32.
 */
export function offsets(idx: string, rank: number, shapeAt: number, sets: readonly [string, number][], signed = false): string {
  const T = signed ? 'i32' : 'u32';
  const rd = signed ? 'mi' : 'm';
  const r = `${sets[0]?.[0] ?? 'x'}_r`;
  const lines = [...sets.map(([n]) => `var ${n}: ${T} = 0;`)];
  if (rank > 1) lines.push(`var ${r} = ${idx};`);
  for (let d = rank - 1; d >= 0; d--) {
    const c = rank === 1 ? idx : d === 0 ? r : `(${r} % m(${shapeAt + d}u))`;
    lines.push(`{ let c = ${signed ? `i32(${c})` : c};`);
    for (const [n, at] of sets) lines.push(`  ${n} = ${n} + c * ${rd}(${at + d}u);`);
    lines.push(d === 0 ? '}' : `  ${r} = ${r} / m(${shapeAt + d}u); }`);
  }
  return lines.join('\n');
}
