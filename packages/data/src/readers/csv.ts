import { fromStorage, type Tensor } from '@mapnn/core';

/** Options of `parseCsv`. */
export interface ParseCsvOptions {
  /** Field separator (one character; default `,`). */
  delimiter?: string;
  /** Whether the first (non-skipped) row is a header: `true`, `false` or `'auto'` (default) to detect it. */
  header?: boolean | 'auto';
  /** Lines to skip before the data (or header) starts (default 0). */
  skipRows?: number;
  /** Lines starting with this string are ignored (default: none). */
  comment?: string;
  /** Name used in error messages (e.g. the file name; default `CSV`). */
  name?: string;
}

/** Rows of a CSV text as strings. */
export interface CsvTable {
  /** Column names, or `null` without a header. */
  header: string[] | null;
  /** Data rows (every row has the same number of fields). */
  rows: string[][];
  /** 1-based line number where each data row starts (for error messages). */
  lines: number[];
}

/**
 * Parses CSV text (RFC 4180): fields separated by `delimiter`, optionally quoted with `"`;
 * inside quotes the delimiter and line breaks are literal and `""` is one quote. Blank lines
 * are skipped. A row with a different number of fields than the first row, an unterminated
 * quote or stray text after a closing quote throws an error with the line number.
 *
 * Header detection (`header: 'auto'`): the first row is a header when some column is numeric in
 * the following rows but not in the first row, or when every field of the first row is
 * non-numeric and the rows below contain numbers.
 *
 * @example
 * parseCsv('a,b\n1,"x, y"\n').rows // [['1', 'x, y']]
 */
export function parseCsv(text: string, options: ParseCsvOptions = {}): CsvTable {
  const name = options.name ?? 'CSV';
  const delim = options.delimiter ?? ',';
  if (delim.length !== 1 || delim === '"' || delim === '\n' || delim === '\r') {
    throw new Error(`${name}: delimiter must be one character other than a quote or newline, got ${JSON.stringify(delim)}`);
  }
  const records = splitRecords(text, delim, name, options.skipRows ?? 0, options.comment);
  if (records.length === 0) return { header: null, rows: [], lines: [] };
  const width = records[0]!.fields.length;
  for (const r of records) {
    if (r.fields.length !== width) {
      throw new Error(`${name}: line ${r.line} has ${r.fields.length} fields, expected ${width} (as on line ${records[0]!.line})`);
    }
  }
  const hasHeader = options.header === 'auto' || options.header === undefined ? detectHeader(records.map((r) => r.fields)) : options.header;
  const header = hasHeader ? records[0]!.fields.map((f) => f.trim()) : null;
  const body = hasHeader ? records.slice(1) : records;
  return { header, rows: body.map((r) => r.fields), lines: body.map((r) => r.line) };
}

interface CsvRecord {
  fields: string[];
  line: number;
}

function splitRecords(text: string, delim: string, name: string, skipRows: number, comment?: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // byte order mark
  // skip the first `skipRows` physical lines
  for (let s = 0; s < skipRows && i < n; s++) {
    while (i < n && text[i] !== '\n') i++;
    i++;
    line++;
  }
  while (i < n) {
    const startLine = line;
    // blank line or comment
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) {
      i += text[i] === '\r' ? 2 : 1;
      line++;
      continue;
    }
    if (comment && text.startsWith(comment, i)) {
      while (i < n && text[i] !== '\n') i++;
      i++;
      line++;
      continue;
    }
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new Error(`${name}: unterminated quoted field starting on line ${startLine}`);
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n') line++;
          field += ch;
          i++;
        }
        // after a closing quote: delimiter, end of line or end of text (spaces allowed)
        while (text[i] === ' ' || text[i] === '\t') i++;
        if (i < n && text[i] !== delim && text[i] !== '\n' && text[i] !== '\r') {
          throw new Error(`${name}: line ${line}: unexpected character ${JSON.stringify(text[i])} after a closing quote`);
        }
      } else {
        const start = i;
        while (i < n && text[i] !== delim && text[i] !== '\n' && text[i] !== '\r') {
          if (text[i] === '"') throw new Error(`${name}: line ${line}: a quote inside an unquoted field (quote the whole field and double inner quotes)`);
          i++;
        }
        field = text.slice(start, i);
      }
      fields.push(field);
      if (i < n && text[i] === delim) {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    out.push({ fields, line: startLine });
  }
  return out;
}

/** Whether a field reads as a number (`Number` syntax, not empty). */
export function isNumeric(field: string): boolean {
  const t = field.trim();
  if (t === '') return false;
  if (/^[+-]?(nan|inf|infinity)$/i.test(t)) return true;
  return !Number.isNaN(Number(t));
}

function detectHeader(rows: string[][]): boolean {
  if (rows.length < 2) return rows.length === 1 && rows[0]!.every((f) => !isNumeric(f));
  const first = rows[0]!;
  const sample = rows.slice(1, 21);
  let numericBody = false;
  for (let c = 0; c < first.length; c++) {
    const colNumeric = sample.every((r) => isNumeric(r[c]!));
    if (colNumeric) {
      numericBody = true;
      if (!isNumeric(first[c]!)) return true;
    }
  }
  // all-text tables: a header if no first-row value recurs in its column
  if (!numericBody) return first.every((f, c) => sample.every((r) => r[c] !== f));
  return false;
}

/** Options of `csvToTensors`. */
export interface CsvToTensorsOptions extends ParseCsvOptions {
  /** Feature columns by name (needs a header) or index (negative counts from the end); default: every column but the label. */
  columns?: readonly (string | number)[];
  /** The label column by name or index (negative counts from the end); default: no labels. */
  label?: string | number;
  /**
   * How labels are read: `'auto'` (default) gives int32 when every label is an integer, float32
   * when all are numbers, and otherwise class indices of the sorted distinct strings;
   * `'class'` always maps distinct strings to indices; `'number'` reads float32 values.
   */
  labelType?: 'auto' | 'class' | 'number';
  /** Empty fields / NA / NaN: `'error'` (default) or `'nan'` to keep them as NaN. */
  missing?: 'error' | 'nan';
}

/** Tensors read from a CSV table. */
export interface CsvTensors {
  /** Features, float32 `[rows, columns]`. */
  x: Tensor;
  /** Labels `[rows]` (int32 for classes, float32 for numeric targets), if `label` was given. */
  y?: Tensor;
  featureNames: string[];
  labelName?: string;
  /** Class names in index order, when labels were strings. */
  classNames?: string[];
}

/**
 * Reads numeric features (and optionally a label column) from CSV text or a parsed table into
 * tensors. Non-numeric feature values throw an error naming the line and column.
 *
 * @example
 * const { x, y, classNames } = csvToTensors('a,b,kind\n1,2,cat\n3,4,dog\n', { label: 'kind' });
 * // x: [[1, 2], [3, 4]] float32; y: [0, 1] int32; classNames: ['cat', 'dog']
 */
export function csvToTensors(input: string | CsvTable, options: CsvToTensorsOptions = {}): CsvTensors {
  const name = options.name ?? 'CSV';
  const table = typeof input === 'string' ? parseCsv(input, options) : input;
  const width = table.header?.length ?? table.rows[0]?.length ?? 0;
  const names = table.header ?? Array.from({ length: width }, (_, i) => `column_${i}`);
  const resolve = (col: string | number, what: string): number => {
    if (typeof col === 'number') {
      const c = col < 0 ? width + col : col;
      if (!Number.isInteger(c) || c < 0 || c >= width) throw new Error(`${name}: ${what} column ${col} is out of range (${width} columns)`);
      return c;
    }
    if (!table.header) throw new Error(`${name}: ${what} column '${col}' given by name, but the CSV has no header`);
    const c = table.header.indexOf(col);
    if (c < 0) throw new Error(`${name}: no ${what} column '${col}' (columns: ${table.header.join(', ')})`);
    return c;
  };
  const labelCol = options.label === undefined ? -1 : resolve(options.label, 'label');
  const featureCols = options.columns
    ? options.columns.map((c) => resolve(c, 'feature'))
    : Array.from({ length: width }, (_, i) => i).filter((i) => i !== labelCol);
  const n = table.rows.length;
  const f = featureCols.length;
  const data = new Float32Array(n * f);
  for (let r = 0; r < n; r++) {
    const row = table.rows[r]!;
    for (let j = 0; j < f; j++) {
      data[r * f + j] = parseNumber(row[featureCols[j]!]!, name, table.lines[r]!, names[featureCols[j]!]!, options.missing);
    }
  }
  const out: CsvTensors = { x: fromStorage(data, [n, f], 'float32', 'csvToTensors'), featureNames: featureCols.map((c) => names[c]!) };
  if (labelCol >= 0) {
    out.labelName = names[labelCol];
    const raw = table.rows.map((row) => row[labelCol]!.trim());
    const kind = options.labelType ?? 'auto';
    const allNumeric = raw.every((v) => v !== '' && !Number.isNaN(Number(v)));
    if (kind === 'number' || (kind === 'auto' && allNumeric && !raw.every((v) => Number.isInteger(Number(v))))) {
      const y = new Float32Array(n);
      raw.forEach((v, r) => (y[r] = parseNumber(v, name, table.lines[r]!, out.labelName!, options.missing)));
      out.y = fromStorage(y, [n], 'float32', 'csvToTensors');
    } else if (kind === 'auto' && allNumeric) {
      out.y = fromStorage(Int32Array.from(raw, Number), [n], 'int32', 'csvToTensors');
    } else {
      const classes = [...new Set(raw)].sort();
      const index = new Map(classes.map((c, i) => [c, i]));
      out.y = fromStorage(Int32Array.from(raw, (v) => index.get(v)!), [n], 'int32', 'csvToTensors');
      out.classNames = classes;
    }
  }
  return out;
}

function parseNumber(field: string, name: string, line: number, column: string, missing: 'error' | 'nan' = 'error'): number {
  const t = field.trim();
  const v = Number(t);
  if (t !== '' && !Number.isNaN(v)) return v;
  if (/^[+-]?inf(inity)?$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  const isMissing = t === '' || /^(nan|na|n\/a|null)$/i.test(t);
  if (isMissing && missing === 'nan') return NaN;
  if (isMissing) throw new Error(`${name}: line ${line}, column '${column}': missing value ${JSON.stringify(field)} (pass missing: 'nan' to keep it as NaN)`);
  throw new Error(`${name}: line ${line}, column '${column}': ${JSON.stringify(field)} is not a number`);
}
