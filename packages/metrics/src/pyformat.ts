/**
 * Python's number formatting, so that text reports match scikit-learn character for character:
 * `'{:.Nf}'` rounds the exact binary value half-to-even (JS `toFixed` rounds exact ties up), and
 * `repr(float)` writes `3.0`, `1e-05`, `1e+16`.
 */

function decompose(x: number): { mant: bigint; exp: number } {
  // x = mant · 2^exp exactly, x finite and > 0
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const e = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (e === 0) return { mant, exp: -1074 };
  mant |= 1n << 52n;
  return { mant, exp: e - 1075 };
}

/** Python's `format(x, '.{digits}f')`. */
export function pyFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let n: bigint;
  if (a === 0) n = 0n;
  else {
    const { mant, exp } = decompose(a);
    const scale = 10n ** BigInt(digits);
    if (exp >= 0) n = (mant << BigInt(exp)) * scale;
    else {
      const num = mant * scale;
      const den = 1n << BigInt(-exp);
      n = num / den;
      const r2 = (num % den) * 2n;
      if (r2 > den || (r2 === den && n % 2n === 1n)) n += 1n;
    }
  }
  let s = n.toString();
  if (digits > 0) {
    s = s.padStart(digits + 1, '0');
    s = `${s.slice(0, -digits)}.${s.slice(-digits)}`;
  }
  return (neg ? '-' : '') + s;
}

/** Python's `repr(float(x))`. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [m, e] = x.toExponential().split('e') as [string, string];
  const exp = Number(e);
  const neg = m.startsWith('-');
  const digits = m.replace('-', '').replace('.', '');
  let out: string;
  if (exp >= -4 && exp < 16) {
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      const frac = digits.slice(exp + 1);
      out = `${intPart}.${frac || '0'}`;
    } else {
      out = `0.${'0'.repeat(-exp - 1)}${digits}`;
    }
  } else {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    out = `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return (neg ? '-' : '') + out;
}

/** Python's `str.rjust(width)`. */
export function rjust(s: string, width: number): string {
  return s.length >= width ? s : ' '.repeat(width - s.length) + s;
}
