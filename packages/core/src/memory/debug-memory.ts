import { engine } from '../engine.js';

/**
 * Memory debug mode: catches the loop that leaks a few tensors every step.
 *
 * A "step" is one `Tensor.backward()` call (or an explicit `memoryStep()`). At each step the
 * live-tensor count is compared with the previous step's; when it has grown for `steps` steps
 * in a row, one warning names the ops that made the tensors which outlived a whole step. A
 * streak that goes on is reported again after 10×, 100×, … as many steps, never every step.
 * Turned on by `setDebugMemory(true)` or the environment variable `MAPNN_DEBUG_MEMORY=1`
 * (read once when core loads, where `process.env` exists; browsers use the function).
 */
export interface DebugMemoryOptions {
  /** Consecutive growing steps before the first report (default 5; at least 2). */
  steps?: number;
  /** Receives each report (default `console.warn`). */
  warn?: (message: string, report: MemoryGrowthReport) => void;
}

export interface MemoryGrowthReport {
  /** Steps in a row over which the live-tensor count grew. */
  steps: number;
  /** Live tensors at the start of the streak and now. */
  from: number;
  to: number;
  /** Tensors created during the previous step and still alive, by creating op (most first). */
  ops: { op: string; count: number; shapes: string[] }[];
}

interface DebugMemoryState {
  on: boolean;
  steps: number;
  warn: (message: string, report: MemoryGrowthReport) => void;
  /** Live count and next tensor id at the last two steps (newest last). */
  marks: { live: number; nextId: number }[];
  streak: number;
  streakFrom: number;
  nextReport: number;
}

const DEFAULT_STEPS = 5;
const defaultWarn = (message: string) => console.warn(message);
const KEY = Symbol.for('mapnn.debugMemory');
const g = globalThis as unknown as Record<symbol, DebugMemoryState>;
const state: DebugMemoryState = (g[KEY] ??= {
  on: false,
  steps: DEFAULT_STEPS,
  warn: defaultWarn,
  marks: [],
  streak: 0,
  streakFrom: 0,
  nextReport: DEFAULT_STEPS,
});

/** Turns the memory debug mode on (optionally with options) or off; resets its history. */
export function setDebugMemory(on: boolean | DebugMemoryOptions): void {
  const opts = typeof on === 'object' ? on : {};
  const steps = opts.steps ?? DEFAULT_STEPS;
  if (!Number.isInteger(steps) || steps < 2) {
    throw new RangeError(`setDebugMemory: steps must be an integer >= 2, got ${String(steps)}`);
  }
  Object.assign(state, { on: on !== false, steps, warn: opts.warn ?? defaultWarn, marks: [], streak: 0, nextReport: steps });
}

/** Whether the memory debug mode is on. */
export function isDebugMemory(): boolean {
  return state.on;
}

/**
 * Marks the end of one training step for the memory debug mode (`Tensor.backward()` calls it;
 * call it yourself in a loop without `backward()`). Does nothing while the mode is off.
 */
export function memoryStep(): void {
  if (!state.on) return;
  const now = { live: engine.live.size, nextId: engine.nextId };
  const prev = state.marks[state.marks.length - 1];
  if (prev && now.live > prev.live) {
    if (state.streak === 0) state.streakFrom = prev.live;
    state.streak++;
  } else {
    state.streak = 0;
    state.nextReport = state.steps;
  }
  if (state.streak >= state.nextReport) {
    report(now.live);
    state.nextReport *= 10;
  }
  state.marks = [...state.marks.slice(-1), now];
}

function report(live: number): void {
  // a streak of at least 2 means two earlier marks: the previous step ran between them
  const [older, last] = state.marks;
  const ops = older && last ? survivorsByOp(older.nextId, last.nextId) : [];
  const rep: MemoryGrowthReport = { steps: state.streak, from: state.streakFrom, to: live, ops };
  state.warn(formatReport(rep), rep);
}

/** Live tensors with ids in [from, to), grouped by the op that created them. */
function survivorsByOp(from: number, to: number): MemoryGrowthReport['ops'] {
  const byOp = new Map<string, { count: number; shapes: Set<string> }>();
  for (const t of engine.live) {
    if (t.id < from || t.id >= to) continue;
    const e = byOp.get(t.opName) ?? { count: 0, shapes: new Set<string>() };
    e.count++;
    e.shapes.add(`[${t.shape.join(',')}] ${t.dtype}`);
    byOp.set(t.opName, e);
  }
  return [...byOp]
    .map(([op, e]) => ({ op, count: e.count, shapes: [...e.shapes].slice(0, 3) }))
    .sort((a, b) => b.count - a.count);
}

function formatReport(r: MemoryGrowthReport): string {
  const perStep = Math.round((r.to - r.from) / r.steps);
  const survivors = r.ops.reduce((n, o) => n + o.count, 0);
  const ops = r.ops.slice(0, 8).map((o) => `${o.op} ×${o.count} (${o.shapes.join(', ')})`).join(', ');
  return (
    `mapnn memory: live tensors grew for ${r.steps} steps in a row (${r.from} → ${r.to}, about +${perStep} a step). ` +
    `${survivors} tensor(s) made during the previous step are still alive, made by: ${ops || '(none)'}. ` +
    'Wrap each step in tidy(() => { … }) or dispose() what you no longer need (setDebugLeaks(true) and ' +
    'leakCheck() show where each was created).'
  );
}

/** Reads `MAPNN_DEBUG_MEMORY` from `env` ('1', 'true', 'on' or 'yes' turn the mode on). */
export function debugMemoryFromEnv(env: Record<string, string | undefined> | undefined): boolean {
  const v = env?.MAPNN_DEBUG_MEMORY?.trim().toLowerCase();
  return v === '1' || v === 'true' || v === 'on' || v === 'yes';
}

const processEnv = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
if (!state.on && debugMemoryFromEnv(processEnv)) setDebugMemory(true);
