import { KERNELS_RELAXED_WASM_BASE64, KERNELS_WASM_BASE64 } from './generated/kernels-wasm.js';

/**
 * A module of one function `() → v128` computing `i32x4.relaxed_dot_i8x16_i7x16_add_s` (opcode
 * 0xfd 0x113) of three splats: it validates exactly where the engine has relaxed SIMD.
 */
const RELAXED_SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // types: () → v128
  0x03, 0x02, 0x01, 0x00, // functions: one of type 0
  0x0a, 0x13, 0x01, 0x11, 0x00, // code: one body of 17 bytes, no locals
  0x41, 0x00, 0xfd, 0x0f, 0x41, 0x00, 0xfd, 0x0f, 0x41, 0x00, 0xfd, 0x0f, // 3 × i8x16.splat(0)
  0xfd, 0x93, 0x02, 0x0b, // i32x4.relaxed_dot_i8x16_i7x16_add_s, end
]);

let relaxed: boolean | undefined;

/** Whether this engine has relaxed SIMD (validates the probe; checked once). */
export function relaxedSimdSupported(): boolean {
  relaxed ??= WebAssembly.validate(RELAXED_SIMD_PROBE);
  return relaxed;
}

/** The kernel module's bytes, decoded from the base64 embedded at build time: the SIMD128 build or its relaxed-SIMD one. */
export function kernelBytes(relaxedSimd = false): Uint8Array<ArrayBuffer> {
  const s = atob(relaxedSimd ? KERNELS_RELAXED_WASM_BASE64 : KERNELS_WASM_BASE64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function readLeb(bytes: Uint8Array, pos: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++]!;
    value += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return [value, pos];
    shift += 7;
  }
}

/**
 * Returns a copy of `bytes` whose imported memory is not shared (limits flag 0x03 → 0x01), for
 * engines or pages without SharedArrayBuffer. The kernels contain no atomic instructions, so
 * the module is otherwise unchanged.
 */
export function withUnsharedMemory(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const out = bytes.slice();
  let pos = 8; // magic + version
  while (pos < out.length) {
    const id = out[pos++]!;
    const [size, body] = readLeb(out, pos);
    if (id === 2) {
      let p = body;
      let count;
      [count, p] = readLeb(out, p);
      for (let i = 0; i < count; i++) {
        let len;
        [len, p] = readLeb(out, p); // module name
        p += len;
        [len, p] = readLeb(out, p); // field name
        p += len;
        const kind = out[p++]!;
        if (kind === 0x02) {
          if (out[p] === 0x03) out[p] = 0x01;
          return out;
        }
        if (kind === 0x00) [, p] = readLeb(out, p); // function: type index
        else if (kind === 0x01) {
          p++; // table: elem type, then limits
          const flags = out[p++]!;
          [, p] = readLeb(out, p);
          if (flags & 1) [, p] = readLeb(out, p);
        } else if (kind === 0x03) p += 2; // global: type + mutability
        else throw new Error(`wasm-binary: unexpected import kind ${kind}`);
      }
      throw new Error('wasm-binary: the kernel module imports no memory');
    }
    pos = body + size;
  }
  throw new Error('wasm-binary: no import section');
}
