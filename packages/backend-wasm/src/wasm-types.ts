/**
 * The WebAssembly objects that appear in this package's public types, declared structurally:
 * TypeScript has the global `WebAssembly` namespace only with the DOM lib (not with
 * `lib: ["ES2022"]` and `types: ["node"]`), so a .d.ts naming `WebAssembly.Memory` fails to
 * type-check in a Node project. The real `WebAssembly.Memory` and `WebAssembly.Module` are
 * assignable to these; inside the package they are always the real objects.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(delta: number): number;
}

/** A compiled module (a `WebAssembly.Module`), only passed on to the workers. */
export type WasmModule = object;
