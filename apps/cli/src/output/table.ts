/** Plain-text tables and number formatting for the terminal. */

export interface Column {
  header: string;
  align?: 'left' | 'right';
}

/** A table with a header row, a rule and aligned columns. */
export function table(columns: (string | Column)[], rows: (string | number)[][], indent = ''): string {
  const cols = columns.map((c) => (typeof c === 'string' ? { header: c } : c));
  const cells = rows.map((r) => r.map((v) => String(v)));
  const widths = cols.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r[i] ?? '').length)));
  const align = (s: string, i: number) => {
    const a = cols[i]!.align ?? (i === 0 ? 'left' : 'right');
    return a === 'left' ? s.padEnd(widths[i]!) : s.padStart(widths[i]!);
  };
  const line = (r: string[]) => indent + r.map(align).join('  ').trimEnd();
  return [line(cols.map((c) => c.header)), indent + widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** Key–value lines with aligned values. */
export function keyValues(pairs: [string, string | number][], indent = '  '): string {
  const w = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${indent}${k.padEnd(w)}  ${v}`).join('\n');
}

export const pct = (x: number, digits = 2) => `${(x * 100).toFixed(digits)} %`;
export const num = (x: number, digits = 4) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

/** 1234567 → "1,234,567". */
export const int = (x: number) => Math.round(x).toLocaleString('en-US');

export function seconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 ** 2).toFixed(1)} MiB`;
}
