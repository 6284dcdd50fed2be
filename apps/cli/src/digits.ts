import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** The UCI optical digits (1,797 8×8 images, values 0–16), shipped with the CLI. */
export interface Digits {
  features: Float32Array; // [n, 64], scaled to [0, 1]
  labels: Int32Array; // [n]
  n: number;
}

export function loadDigits(): Digits {
  const file = fileURLToPath(new URL('../data/digits.csv.gz', import.meta.url));
  const rows = gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n');
  const n = rows.length;
  const features = new Float32Array(n * 64);
  const labels = new Int32Array(n);
  rows.forEach((row, i) => {
    const cells = row.split(',').map(Number);
    if (cells.length !== 65 || cells.some((v) => !Number.isFinite(v))) {
      throw new Error(`digits.csv.gz: row ${i + 1} is malformed (expected 65 numbers)`);
    }
    for (let j = 0; j < 64; j++) features[i * 64 + j] = cells[j]! / 16;
    labels[i] = cells[64]!;
  });
  return { features, labels, n };
}
