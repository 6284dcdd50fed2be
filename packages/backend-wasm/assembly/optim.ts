/**
 * Fused optimizer updates: one pass over a parameter, its gradient and its moments (core's
 * `adamStep`). Float32 runs in f32x4 lanes with the same operation order as the composed
 * elementwise ops, so the results are bit-identical to them; float64 in f64 scalars.
 *
 * AssemblyScript cannot import the TypeScript owner of the rule, core's `adamStep`
 * (packages/core/src/ops/adam-step.ts): change that first; the conformance suite's fast-path
 * cases (tooling/backend-tests/src/fast-paths.ts, fast-path-compare.ts) are the check that this
 * kernel still equals it.
 */
import { F32, arg, argI, argP, shareEnd, shareStart } from './common';

// flag bits of slot 9
const MAXIMIZE: i32 = 1;
const L2: i32 = 2;
const DECAY: i32 = 4;

/**
 * args: dt, p, g, m, v, outP, outM, outV, n, flags, weightDecay, decayScale, beta1, 1−beta1,
 * beta2, 1−beta2, √(1−beta2ᵗ), eps, stepSize.
 */
export function adamStep(args: usize, tid: i32, nt: i32): void {
  const n = argI(args, 8);
  const s = shareStart(n, tid, nt, 16);
  const e = shareEnd(n, tid, nt, 16);
  if (s >= e) return;
  if (argI(args, 0) == F32) adamF32(args, s, e);
  else adamF64(args, s, e);
}

/** One element of the update in type T (the f32 tail and the f64 loop). */
@inline function adamOne<T>(i: i32, p: usize, g: usize, m: usize, v: usize, po: usize, mo: usize, vo: usize, sign: T, l2: bool, wd: T, dec: bool, decay: T, b1: T, ob1: T, b2: T, ob2: T, bc2: T, eps: T, step: T): void {
  const o = <usize>i * sizeof<T>();
  const pv = load<T>(p + o);
  let gv = load<T>(g + o) * sign;
  if (l2) gv = gv + pv * wd;
  const pp = dec ? pv * decay : pv;
  const mv = load<T>(m + o) * b1 + gv * ob1;
  const vv = load<T>(v + o) * b2 + gv * gv * ob2;
  const denom = sqrt<T>(vv) / bc2 + eps;
  store<T>(po + o, pp - (mv / denom) * step);
  store<T>(mo + o, mv);
  store<T>(vo + o, vv);
}

function adamF32(args: usize, s: i32, e: i32): void {
  const p = argP(args, 1), g = argP(args, 2), m = argP(args, 3), v = argP(args, 4);
  const po = argP(args, 5), mo = argP(args, 6), vo = argP(args, 7);
  const flags = argI(args, 9);
  const wd = <f32>arg(args, 10), decay = <f32>arg(args, 11);
  const b1 = <f32>arg(args, 12), ob1 = <f32>arg(args, 13), b2 = <f32>arg(args, 14), ob2 = <f32>arg(args, 15);
  const bc2 = <f32>arg(args, 16), eps = <f32>arg(args, 17), step = <f32>arg(args, 18);
  const sign: f32 = flags & MAXIMIZE ? -1 : 1;
  const l2 = (flags & L2) != 0;
  const dec = (flags & DECAY) != 0;
  const vsign = f32x4.splat(sign), vwd = f32x4.splat(wd), vdecay = f32x4.splat(decay);
  const vb1 = f32x4.splat(b1), vob1 = f32x4.splat(ob1), vb2 = f32x4.splat(b2), vob2 = f32x4.splat(ob2);
  const vbc2 = f32x4.splat(bc2), veps = f32x4.splat(eps), vstep = f32x4.splat(step);
  let i = s;
  for (; i + 4 <= e; i += 4) {
    const o = <usize>i << 2;
    const pv = v128.load(p + o);
    let gv = f32x4.mul(v128.load(g + o), vsign);
    if (l2) gv = f32x4.add(gv, f32x4.mul(pv, vwd));
    const pp = dec ? f32x4.mul(pv, vdecay) : pv;
    const mv = f32x4.add(f32x4.mul(v128.load(m + o), vb1), f32x4.mul(gv, vob1));
    const vv = f32x4.add(f32x4.mul(v128.load(v + o), vb2), f32x4.mul(f32x4.mul(gv, gv), vob2));
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vv), vbc2), veps);
    v128.store(po + o, f32x4.sub(pp, f32x4.mul(f32x4.div(mv, denom), vstep)));
    v128.store(mo + o, mv);
    v128.store(vo + o, vv);
  }
  for (; i < e; i++) adamOne<f32>(i, p, g, m, v, po, mo, vo, sign, l2, wd, dec, decay, b1, ob1, b2, ob2, bc2, eps, step);
}

function adamF64(args: usize, s: i32, e: i32): void {
  const p = argP(args, 1), g = argP(args, 2), m = argP(args, 3), v = argP(args, 4);
  const po = argP(args, 5), mo = argP(args, 6), vo = argP(args, 7);
  const flags = argI(args, 9);
  const wd = arg(args, 10), decay = arg(args, 11);
  const b1 = arg(args, 12), ob1 = arg(args, 13), b2 = arg(args, 14), ob2 = arg(args, 15);
  const bc2 = arg(args, 16), eps = arg(args, 17), step = arg(args, 18);
  const sign: f64 = flags & MAXIMIZE ? -1 : 1;
  const l2 = (flags & L2) != 0;
  const dec = (flags & DECAY) != 0;
  for (let i = s; i < e; i++) adamOne<f64>(i, p, g, m, v, po, mo, vo, sign, l2, wd, dec, decay, b1, ob1, b2, ob2, bc2, eps, step);
}
