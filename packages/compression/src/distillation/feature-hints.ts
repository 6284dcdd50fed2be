import { mseLoss, Conv2d, Linear, type Module } from '@mapnn/layers';
import type { Generator, Tensor } from '@mapnn/core';

/** One intermediate-feature hint (FitNets, Romero et al. 2015): match a student layer's output to a teacher layer's. */
export interface FeatureHint {
  /** Dotted module name in the teacher (as `teacher.namedModules()`, e.g. 'conv2' or 'features.3'). */
  teacher: string;
  /** Dotted module name in the student. */
  student: string;
  /** Weight of this hint's MSE in the loss (default 1). */
  weight?: number;
  /**
   * A learned adapter (1×1 Conv2d for [N, C, H, W] features, Linear for [N, C]) mapping the
   * student's channels to the teacher's: 'auto' (default) when the channel counts differ,
   * true always, false never (then the shapes must agree).
   */
  adapter?: boolean | 'auto';
}

/** The module called `name` in `model`; a clear error listing the names otherwise. */
export function moduleByName(model: Module<any, any>, name: string, role: 'teacher' | 'student'): Module<any, any> {
  const all = model.namedModules().filter(([n]) => n !== '');
  const hit = all.find(([n]) => n === name);
  if (hit) return hit[1];
  const names = all.map(([n]) => `'${n}'`);
  const shown = names.length > 24 ? `${names.slice(0, 24).join(', ')}, … (${names.length} in all)` : names.join(', ');
  throw new Error(`distill: the ${role} (${model.constructor.name}) has no layer named '${name}'; its layers: ${shown || '(none)'}`);
}

/** The latest forward output of one module, captured with a forward hook. */
class Tap {
  latest: Tensor | undefined;
  private readonly handle: { remove(): void };
  constructor(readonly module: Module<any, any>, readonly label: string) {
    this.handle = module.registerForwardHook((_m, _in, out) => {
      this.latest = out as Tensor;
    });
  }
  /** The captured output (and forgets it: the next batch captures afresh). */
  take(): Tensor {
    const t = this.latest;
    this.latest = undefined;
    if (!t || typeof (t as Tensor).shape !== 'object') throw new Error(`distill: ${this.label} produced no tensor output in the forward pass (is it called by the model's forward?)`);
    return t;
  }
  remove(): void {
    this.handle.remove();
    this.latest = undefined;
  }
}

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

/** One hint at work: hooks on both layers, the lazily built adapter, and its MSE term. */
export class HintTerm {
  private readonly teacherTap: Tap;
  private readonly studentTap: Tap;
  readonly weight: number;
  adapter: Module<[Tensor], Tensor> | null = null;
  private resolved = false;

  constructor(teacher: Module<any, any>, student: Module<any, any>, readonly hint: FeatureHint) {
    this.weight = hint.weight ?? 1;
    if (!Number.isFinite(this.weight) || this.weight < 0) throw new RangeError(`distill: feature hint ${hint.student} ← ${hint.teacher}: weight must be a finite number ≥ 0, got ${String(hint.weight)}`);
    const adapter = hint.adapter ?? 'auto';
    if (adapter !== true && adapter !== false && adapter !== 'auto') throw new TypeError(`distill: feature hint ${hint.student} ← ${hint.teacher}: adapter must be true, false or 'auto', got ${String(hint.adapter)}`);
    const tm = moduleByName(teacher, hint.teacher, 'teacher');
    const sm = moduleByName(student, hint.student, 'student');
    this.teacherTap = new Tap(tm, `teacher layer '${hint.teacher}'`);
    this.studentTap = new Tap(sm, `student layer '${hint.student}'`);
  }

  /**
   * Builds the adapter on the first batch, once both feature shapes are known; returns it when
   * a new one was made (its parameters must join the optimizer).
   */
  private resolve(s: Tensor, t: Tensor, generator: Generator | undefined): Module<any, any> | null {
    if (this.resolved) return null;
    const where = `distill: feature hint student '${this.hint.student}' ${fmt(s.shape)} → teacher '${this.hint.teacher}' ${fmt(t.shape)}`;
    if (s.rank !== t.rank || (s.rank !== 2 && s.rank !== 4)) throw new Error(`${where}: hints need features of the same rank, 2 ([N, C]) or 4 ([N, C, H, W])`);
    const rest = (x: Tensor) => [x.shape[0], ...x.shape.slice(2)].join(',');
    if (rest(s) !== rest(t)) throw new Error(`${where}: batch and spatial dims must agree (only the channel dim may differ, through an adapter)`);
    const [cs, ct] = [s.shape[1]!, t.shape[1]!];
    const want = this.hint.adapter ?? 'auto';
    if (want === false && cs !== ct) throw new Error(`${where}: channel counts differ (${cs} vs ${ct}) and adapter is false; allow an adapter (adapter: 'auto')`);
    this.resolved = true;
    if (want === true || (want === 'auto' && cs !== ct)) {
      this.adapter = s.rank === 4 ? new Conv2d(cs, ct, 1, { generator }) : new Linear(cs, ct, { generator });
      return this.adapter;
    }
    return null;
  }

  /** `weight · MSE(adapter(student feature), teacher feature)` of the batch just run (per sample with 'none'). */
  loss(reduction: 'mean' | 'none', onAdapter: (m: Module<any, any>) => void, generator: Generator | undefined): Tensor {
    const t = this.teacherTap.take().detach();
    const s = this.studentTap.take();
    const made = this.resolve(s, t, generator);
    if (made) onAdapter(made);
    const mapped = this.adapter ? this.adapter.call(s) : s;
    const term = reduction === 'mean' ? mseLoss(mapped, t) : mseLoss(mapped, t, { reduction: 'none' }).reshape([s.shape[0]!, -1]).mean(1);
    return term.mul(this.weight);
  }

  remove(): void {
    this.teacherTap.remove();
    this.studentTap.remove();
  }
}
