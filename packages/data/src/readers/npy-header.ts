/**
 * The header of a `.npy` file: a Python dict literal such as
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
 *
 * Read as NumPy reads it (`ast.literal_eval` of the dict, then a check of its keys): a key given
 * twice takes its last value, as in any Python dict literal; the keys must be exactly `descr`,
 * `fortran_order` and `shape`; `shape` must be a tuple of non-negative integers (`(3)` is the
 * integer 3, not a tuple) and `fortran_order` a bool. Anything else is an error naming the file.
 */
export interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

type PyValue = { kind: 'str'; value: string } | { kind: 'bool'; value: boolean } | { kind: 'int'; value: number } | { kind: 'tuple'; items: PyValue[] } | { kind: 'list' };

const KEYS = ['descr', 'fortran_order', 'shape'];

/** Parses the header text of a `.npy` file; `name` prefixes every error. */
export function parseNpyHeader(header: string, name: string): NpyHeader {
  const fail = (why: string): never => {
    throw new Error(`${name}: malformed .npy header (${why}): ${JSON.stringify(header.trim().slice(0, 120))}`);
  };
  const entries = new HeaderReader(header, fail).dict();
  const keys = Object.keys(entries).sort();
  if (keys.join() !== KEYS.join()) fail(`keys are ${keys.map((k) => `'${k}'`).join(', ') || 'none'}; expected exactly 'descr', 'fortran_order' and 'shape'`);
  const descr = entries['descr']!;
  if (descr.kind === 'list') throw new Error(`${name}: structured (record) arrays are not supported`);
  if (descr.kind !== 'str') fail("'descr' is not a string");
  const fortran = entries['fortran_order']!;
  if (fortran.kind !== 'bool') fail("'fortran_order' is not True or False");
  const shape = entries['shape']!;
  if (shape.kind !== 'tuple') fail("'shape' is not a tuple");
  const dims = (shape as { items: PyValue[] }).items.map((d) => (d.kind === 'int' && d.value >= 0 ? d.value : fail("'shape' holds something other than a non-negative integer")));
  return { descr: (descr as { value: string }).value, fortranOrder: (fortran as { value: boolean }).value, shape: dims };
}

/** A recursive-descent reader of the few Python literals a `.npy` header can hold. */
class HeaderReader {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly fail: (why: string) => never,
  ) {}

  /** The whole header: one dict, then only whitespace. Later duplicates replace earlier ones. */
  dict(): Record<string, PyValue> {
    const out: Record<string, PyValue> = Object.create(null) as Record<string, PyValue>;
    this.expect('{');
    while (!this.eat('}')) {
      const key = this.value();
      if (key.kind !== 'str') this.fail('a key is not a string');
      this.expect(':');
      out[(key as { value: string }).value] = this.value();
      if (!this.eat(',')) {
        this.expect('}');
        break;
      }
    }
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail(`unexpected text after the dict at offset ${this.pos}`);
    return out;
  }

  private value(): PyValue {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === "'" || c === '"') return { kind: 'str', value: this.string(c) };
    if (c === '(') return this.tuple();
    if (c === '[') {
      this.skipBracketed();
      return { kind: 'list' };
    }
    const word = /^(True|False|[0-9][0-9_]*L?)/.exec(this.text.slice(this.pos));
    if (!word) this.fail(`unexpected ${c === undefined ? 'end' : JSON.stringify(c)} at offset ${this.pos}`);
    const w = word![1]!;
    this.pos += w.length;
    if (w === 'True' || w === 'False') return { kind: 'bool', value: w === 'True' };
    const v = Number(w.replace(/_/g, '').replace(/L$/, ''));
    if (!Number.isSafeInteger(v) || /__|_$|_L$/.test(w)) this.fail(`bad integer ${w}`);
    return { kind: 'int', value: v };
  }

  /** `(a, b, …)` with an optional trailing comma; `(a)` is just `a`, as in Python. */
  private tuple(): PyValue {
    this.expect('(');
    const items: PyValue[] = [];
    let comma = false;
    while (!this.eat(')')) {
      items.push(this.value());
      comma = this.eat(',');
      if (!comma) {
        this.expect(')');
        break;
      }
    }
    return items.length === 1 && !comma ? items[0]! : { kind: 'tuple', items };
  }

  private string(quote: string): string {
    let out = '';
    for (let i = this.pos + 1; i < this.text.length; i++) {
      const c = this.text[i]!;
      if (c === quote) {
        this.pos = i + 1;
        return out;
      }
      if (c === '\n') break;
      if (c === '\\') {
        i++;
        out += this.text[i] ?? '';
      } else out += c;
    }
    return this.fail('unterminated string');
  }

  private skipBracketed(): void {
    let depth = 0;
    for (; this.pos < this.text.length; this.pos++) {
      const c = this.text[this.pos];
      if (c === '[') depth++;
      else if (c === ']' && --depth === 0) {
        this.pos++;
        return;
      }
    }
    this.fail('unterminated list');
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private eat(c: string): boolean {
    this.skipSpace();
    if (this.text[this.pos] !== c) return false;
    this.pos++;
    return true;
  }

  private expect(c: string): void {
    if (!this.eat(c)) this.fail(`expected '${c}' at offset ${this.pos}`);
  }
}
