/** Writes human output unless --json is set; JSON goes to stdout as one document. */
export class Printer {
  constructor(readonly json: boolean) {}

  /** A line for people (suppressed with --json). */
  line(text = ''): void {
    if (!this.json) process.stdout.write(`${text}\n`);
  }

  /** A note on stderr (never mixes with JSON on stdout). */
  note(text: string): void {
    process.stderr.write(`${text}\n`);
  }

  /** The machine-readable result (only with --json). */
  result(value: unknown): void {
    if (this.json) process.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
  }
}

function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  return v;
}
