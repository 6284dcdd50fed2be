// Einsum: explicit and implicit outputs, ellipsis broadcasting, repeated labels (diagonals),
// any number of operands; two-operand contractions run as one batched matmul.
import { broadcastTo, eye, matmul, mul, reshape, sum, transpose, type Tensor } from '@mapnn/core';
import type { OnnxNode } from '../converter.js';
import { castIf, fail, sizeOf } from './util.js';

interface Term {
  labels: string[];
}

function parseTerm(node: OnnxNode, term: string, rank: number, ellipsis: string[]): Term {
  const t = term.trim();
  const parts = t.split('...');
  if (parts.length > 2) fail(node, `term '${term}' has more than one ellipsis`);
  const letters = (s: string) => {
    const out = [...s.replace(/\s/g, '')];
    for (const c of out) if (!/[a-zA-Z]/.test(c)) fail(node, `invalid label '${c}' in equation`);
    return out;
  };
  if (parts.length === 1) {
    const l = letters(t);
    if (l.length !== rank) fail(node, `term '${term}' has ${l.length} labels for an operand of rank ${rank}`);
    return { labels: l };
  }
  const before = letters(parts[0]!);
  const after = letters(parts[1]!);
  const e = rank - before.length - after.length;
  if (e < 0) fail(node, `term '${term}' has too many labels for rank ${rank}`);
  return { labels: [...before, ...ellipsis.slice(ellipsis.length - e), ...after] };
}

/** Takes the diagonal over repeated labels, so each label occurs once. */
function dedupe(x: Tensor, labels: string[]): [Tensor, string[]] {
  let t = x;
  let l = [...labels];
  for (;;) {
    const dup = l.findIndex((c, i) => l.indexOf(c) !== i);
    if (dup < 0) return [t, l];
    const first = l.indexOf(l[dup]!);
    const n = t.shape[first]!;
    const maskShape = t.shape.map((d, i) => (i === first || i === dup ? d : 1));
    const mask = reshape(castIf(eye(n), t.dtype), maskShape);
    t = sum(mul(t, mask), [dup]);
    l = l.filter((_, i) => i !== dup);
  }
}

export function einsum(node: OnnxNode, equation: string, xs: readonly Tensor[]): Tensor {
  const eq = equation.replace(/\s/g, '');
  const [lhs, rhs] = eq.includes('->') ? eq.split('->') : [eq, undefined];
  const terms = lhs!.split(',');
  if (terms.length !== xs.length) fail(node, `equation has ${terms.length} operands, got ${xs.length} inputs`);
  // ellipsis dims: the most any operand covers
  let E = 0;
  terms.forEach((term, i) => {
    if (term.includes('...')) E = Math.max(E, xs[i]!.rank - term.replace('...', '').length);
  });
  const ellipsis = Array.from({ length: E }, (_, i) => String(i));
  const parsed = terms.map((term, i) => parseTerm(node, term, xs[i]!.rank, ellipsis));
  // sizes of every label (ellipsis dims broadcast)
  const size = new Map<string, number>();
  parsed.forEach((p, i) =>
    p.labels.forEach((c, k) => {
      const d = xs[i]!.shape[k]!;
      const prev = size.get(c);
      if (prev === undefined || prev === 1) size.set(c, d);
      else if (d !== 1 && d !== prev) fail(node, `label '${c}' has sizes ${prev} and ${d}`);
    }),
  );
  let outLabels: string[];
  if (rhs !== undefined) {
    outLabels = parseTerm(node, rhs, (rhs.includes('...') ? E : 0) + rhs.replace('...', '').length, ellipsis).labels;
  } else {
    const counts = new Map<string, number>();
    parsed.forEach((p) => p.labels.forEach((c) => counts.set(c, (counts.get(c) ?? 0) + 1)));
    outLabels = [...ellipsis, ...[...counts].filter(([c, n]) => n === 1 && /[a-zA-Z]/.test(c)).map(([c]) => c).sort()];
  }
  for (const c of outLabels) if (!size.has(c)) fail(node, `output label '${c}' does not occur in the inputs`);
  const ops = parsed.map((p, i) => dedupe(xs[i]!, p.labels));
  // labels only one operand has and the output lacks: sum them away first
  const reduced = ops.map(([t, l], i) => {
    const others = new Set([...outLabels, ...ops.flatMap(([, m], j) => (j === i ? [] : m))]);
    const axes = l.map((c, k) => (others.has(c) ? -1 : k)).filter((k) => k >= 0);
    return axes.length ? ([sum(t, axes), l.filter((_, k) => !axes.includes(k))] as [Tensor, string[]]) : ([t, l] as [Tensor, string[]]);
  });
  if (reduced.length === 2) {
    const r = pairContract(reduced[0]!, reduced[1]!, outLabels, size);
    if (r) return castIf(r, xs[0]!.dtype);
  }
  // generic: align everything to [out…, contracted…], multiply, sum the contracted dims
  const all = [...outLabels];
  for (const [, l] of reduced) for (const c of l) if (!all.includes(c)) all.push(c);
  let prod: Tensor | null = null;
  for (const [t, l] of reduced) {
    const order = all.filter((c) => l.includes(c));
    const perm = order.map((c) => l.indexOf(c));
    const tt = perm.some((p, i) => p !== i) ? transpose(t, perm) : t;
    const aligned = reshape(tt, all.map((c) => (l.includes(c) ? tt.shape[order.indexOf(c)]! : 1)));
    prod = prod ? mul(prod, aligned) : aligned;
  }
  let out = prod!;
  out = broadcastTo(out, all.map((c) => size.get(c)!));
  const contracted = all.map((_, i) => i).filter((i) => i >= outLabels.length);
  if (contracted.length) out = sum(out, contracted);
  return castIf(out, xs[0]!.dtype);
}

function pairContract(
  [a, la]: [Tensor, string[]],
  [b, lb]: [Tensor, string[]],
  out: string[],
  size: Map<string, number>,
): Tensor | null {
  const inA = new Set(la);
  const inB = new Set(lb);
  const batch = out.filter((c) => inA.has(c) && inB.has(c));
  const m = out.filter((c) => inA.has(c) && !inB.has(c));
  const n = out.filter((c) => inB.has(c) && !inA.has(c));
  const k = la.filter((c) => inB.has(c) && !out.includes(c));
  // every label must be one of these, with no broadcasting of size-1 dims
  if (la.length !== batch.length + m.length + k.length || lb.length !== batch.length + n.length + k.length) return null;
  const dimA = (c: string) => a.shape[la.indexOf(c)]!;
  const dimB = (c: string) => b.shape[lb.indexOf(c)]!;
  if ([...batch, ...k].some((c) => dimA(c) !== dimB(c) || dimA(c) !== size.get(c))) return null;
  const sz = (cs: string[]) => sizeOf(cs.map((c) => size.get(c)!));
  const pa = [...batch, ...m, ...k].map((c) => la.indexOf(c));
  const pb = [...batch, ...k, ...n].map((c) => lb.indexOf(c));
  const A = reshape(transpose(a, pa), [sz(batch), sz(m), sz(k)]);
  const B = reshape(transpose(b, pb), [sz(batch), sz(k), sz(n)]);
  const y = reshape(matmul(A, B), [...batch, ...m, ...n].map((c) => size.get(c)!));
  const cur = [...batch, ...m, ...n];
  const perm = out.map((c) => cur.indexOf(c));
  return perm.some((p, i) => p !== i) ? transpose(y, perm) : y;
}
