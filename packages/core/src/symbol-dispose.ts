/**
 * `Tensor` and the optimizers implement `[Symbol.dispose]` (for `using`). TypeScript declares
 * `Symbol.dispose` in its `esnext.disposable` lib and @types/node declares it too, but a browser
 * project's `lib: ["ES2022", "DOM"]` has neither, and type-checking mapnn's .d.ts files would
 * fail there. This declaration (identical to theirs, so they merge) ships in core's .d.ts.
 */
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

export {};
