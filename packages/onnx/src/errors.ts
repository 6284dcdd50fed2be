/**
 * The one error type of @mapnn/onnx. Every problem found while reading or importing a model —
 * bytes that are not an ONNX protobuf, unsupported ops or data types, absurd dims, cycles,
 * missing inputs — is reported as an `OnnxImportError` naming the problem (and the node or
 * tensor, where there is one). Failures while running an imported graph are `OnnxRunError`s,
 * a subclass, naming the node that failed.
 */
export class OnnxImportError extends Error {
  override name = 'OnnxImportError';
  /** Name of the node or tensor the problem is about, when there is one. */
  readonly where?: string;

  constructor(message: string, options: { where?: string; cause?: unknown } = {}) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    if (options.where !== undefined) this.where = options.where;
  }
}

/** A node of an imported graph failed while running (bad shapes at run time, a core error …). */
export class OnnxRunError extends OnnxImportError {
  override name = 'OnnxRunError';
}

/** Describes any thrown value in one line. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
