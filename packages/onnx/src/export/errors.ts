/** Thrown by `exportOnnx` when a model cannot be exported; the message lists every problem. */
export class OnnxExportError extends Error {
  /** One entry per distinct problem (e.g. `kernel 'scatterAdd' in block 'enc.0' (×2): …`). */
  readonly problems: string[];

  constructor(message: string, problems: string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OnnxExportError';
    this.problems = problems;
  }
}
