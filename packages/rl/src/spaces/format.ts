/**
 * Number formatting of Gymnasium's space reprs: numpy's `str` of a scalar and of a 1-D array
 * (shortest round-trip digits, a common precision and padding per array). Internal to the spaces.
 */

interface Digits {
  negative: boolean;
  /** Significant digits, no leading or trailing zeros (`'0'` for zero). */
  digits: string;
  /** Decimal exponent of the first digit. */
  exp: number;
}

/**
 * A scalar as numpy's `str` prints it: `2.0`, `-inf`, `0.41887903` (float32 values with their
 * shortest float32 round trip), `1e-05`; integers for integer dtypes.
 *
 * @example formatScalar(Math.fround(0.1), 'float32') // '0.1'
 */
export function formatScalar(v: number, dtype: string): string {
  if (!Number.isFinite(v)) return nonFinite(v);
  if (!dtype.startsWith('float')) return String(v);
  const d = shortestDigits(v, dtype);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [m, e] = scientific(d, 0);
    return `${m.replace(/\.$/, '')}e${e}`;
  }
  const [int, frac] = positional(d);
  return `${int}.${frac || '0'}`;
}

/**
 * `[a b c]` with numpy's padding for several distinct values, the scalar when all are equal
 * (Gymnasium's `_short_repr` of a Box bound).
 *
 * @example shortRepr(Float32Array.of(-1, -1, -8), 'float32') // '[-1. -1. -8.]'
 */
export function shortRepr(values: ArrayLike<number>, dtype: string): string {
  const all = Array.from(values);
  if (all.length > 0 && all.every((v) => v === all[0])) return formatScalar(all[0]!, dtype);
  return formatArray(all, dtype);
}

/**
 * A Python shape tuple: `(4,)`, `(2, 3)`, `()`.
 *
 * @example formatShape([4]) // '(4,)'
 */
export function formatShape(shape: readonly number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/**
 * A 1-D array as numpy's `str` prints it (default print options).
 *
 * @example formatArray([-1.2, -0.07], 'float32') // '[-1.2  -0.07]'
 */
export function formatArray(values: readonly number[], dtype: string): string {
  if (!dtype.startsWith('float')) {
    const width = Math.max(...values.map((v) => String(v).length));
    return `[${values.map((v) => String(v).padStart(width)).join(' ')}]`;
  }
  const finite = values.filter((v) => Number.isFinite(v));
  const abs = finite.map(Math.abs).filter((v) => v !== 0);
  const maxAbs = abs.length ? Math.max(...abs) : 0;
  const minAbs = abs.length ? Math.min(...abs) : 0;
  const useExp = abs.length > 0 && (maxAbs >= 1e8 || minAbs < 1e-4 || maxAbs / minAbs > 1000);
  const parts = finite.map((v) => shortestDigits(v, dtype));
  const texts = useExp ? exponentialTexts(parts) : positionalTexts(parts);
  const width = texts.length ? Math.max(...texts.map((t) => t.length)) : 0;
  let k = 0;
  const cells = values.map((v) => (Number.isFinite(v) ? texts[k++]! : nonFinite(v).padStart(width)));
  return `[${cells.join(' ')}]`;
}

function positionalTexts(parts: Digits[]): string[] {
  const split = parts.map(positional);
  const padLeft = Math.max(...split.map(([i]) => i.length));
  const padRight = Math.max(...split.map(([, f]) => f.length));
  return split.map(([i, f]) => `${i.padStart(padLeft)}.${f.padEnd(padRight)}`);
}

function exponentialTexts(parts: Digits[]): string[] {
  const precision = Math.max(...parts.map((d) => d.digits.length - 1));
  const expDigits = Math.max(2, ...parts.map((d) => String(Math.abs(d.exp)).length));
  const sci = parts.map((d) => scientific(d, expDigits));
  const padLeft = Math.max(...sci.map(([m]) => m.indexOf('.')));
  return sci.map(([m, e]) => {
    const [int, frac] = m.split('.') as [string, string];
    return `${int.padStart(padLeft)}.${frac.padEnd(precision)}e${e}`;
  });
}

/** `[integer part with sign, fraction digits]` of the shortest digits. */
function positional(d: Digits): [string, string] {
  const sign = d.negative ? '-' : '';
  if (d.exp >= 0) {
    const int = d.digits.slice(0, d.exp + 1).padEnd(d.exp + 1, '0');
    return [sign + int, d.digits.slice(d.exp + 1)];
  }
  return [`${sign}0`, `${'0'.repeat(-d.exp - 1)}${d.digits}`.replace(/0+$/, '')];
}

/** `[mantissa 'd.ddd' (trailing point kept), exponent '+05']`. */
function scientific(d: Digits, expDigits: number): [string, string] {
  const m = `${d.negative ? '-' : ''}${d.digits[0]}.${d.digits.slice(1)}`;
  const e = `${d.exp < 0 ? '-' : '+'}${String(Math.abs(d.exp)).padStart(expDigits, '0')}`;
  return [m, e];
}

function shortestDigits(v: number, dtype: string): Digits {
  let text = v.toExponential();
  if (dtype === 'float32') {
    for (let p = 0; p <= 8; p++) {
      const t = v.toExponential(p);
      if (Math.fround(Number(t)) === v) {
        text = t;
        break;
      }
    }
  }
  const [mant, exp] = text.split('e') as [string, string];
  const negative = mant.startsWith('-');
  const digits = mant.replace(/[-.]/g, '').replace(/0+$/, '') || '0';
  return { negative, digits, exp: v === 0 ? 0 : Number(exp) };
}

function nonFinite(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  return v > 0 ? 'inf' : '-inf';
}
