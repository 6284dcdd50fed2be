import { linearSchedule } from './schedule.js';

/**
 * JSON forms of what agent options and checkpoint metadata hold beyond plain JSON: schedules
 * made by `linearSchedule` become `{ $schedule: 'linear', start, end, fraction }` and
 * non-finite numbers `{ $number: 'Infinity' | '-Infinity' | 'NaN' }`. Any other function is
 * refused (a checkpoint could not rebuild it).
 *
 * @example
 * encodeJsonValue({ maxGradNorm: Infinity, learningRate: linearSchedule(1e-3, 0, 1) }, 'options')
 * // { maxGradNorm: { $number: 'Infinity' }, learningRate: { $schedule: 'linear', start: 0.001, end: 0, fraction: 1 } }
 */
export function encodeJsonValue(v: unknown, path: string): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : { $number: String(v) };
  if (typeof v === 'function') {
    const spec = (v as { spec?: { kind?: string; start?: number; end?: number; fraction?: number } }).spec;
    if (spec?.kind === 'linear') return { $schedule: 'linear', start: spec.start, end: spec.end, fraction: spec.fraction };
    throw new Error(`checkpoint: ${path} is a function that a checkpoint cannot save; expected a number or a linearSchedule(...)`);
  }
  if (Array.isArray(v)) return v.map((x, i) => encodeJsonValue(x, `${path}[${i}]`));
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>, (x, i) => encodeJsonValue(x, `${path}[${i}]`));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = encodeJsonValue(x, `${path}.${k}`);
    return out;
  }
  return v;
}

/**
 * The inverse of `encodeJsonValue`.
 *
 * @example decodeJsonValue({ $number: 'Infinity' }) // Infinity
 */
export function decodeJsonValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeJsonValue);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o['$number'] === 'string') return Number(o['$number']);
    if (o['$schedule'] === 'linear') return linearSchedule(o['start'] as number, o['end'] as number, o['fraction'] as number);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = decodeJsonValue(x);
    return out;
  }
  return v;
}
