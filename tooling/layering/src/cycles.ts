/** A directed graph: each node's list of the nodes it imports. */
export type Graph = ReadonlyMap<string, readonly string[]>;

/**
 * The circles of `graph`: its strongly connected components with more than one node, plus nodes
 * that import themselves (Tarjan's algorithm, iterative so deep import chains do not overflow).
 * Each circle is sorted, and the list is sorted by its first node.
 */
export function circlesOf(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const circles: string[][] = [];
  let next = 0;
  const successors = (n: string) => (graph.get(n) ?? []).filter((s) => graph.has(s));

  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: { node: string; edge: number }[] = [{ node: root, edge: 0 }];
    index.set(root, next); low.set(root, next++); stack.push(root); onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const succ = successors(frame.node);
      if (frame.edge < succ.length) {
        const s = succ[frame.edge++]!;
        if (!index.has(s)) {
          index.set(s, next); low.set(s, next++); stack.push(s); onStack.add(s);
          work.push({ node: s, edge: 0 });
        } else if (onStack.has(s)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(s)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      const selfImport = successors(frame.node).includes(frame.node);
      if (component.length > 1 || selfImport) circles.push(component.sort());
    }
  }
  return circles.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** One concrete loop through a circle, for the error message: `a.ts → b.ts → a.ts`. */
export function loopThrough(graph: Graph, circle: readonly string[]): string[] {
  const members = new Set(circle);
  const start = circle[0]!;
  const path = [start];
  const seen = new Set([start]);
  const walk = (n: string): boolean => {
    for (const s of graph.get(n) ?? []) {
      if (!members.has(s)) continue;
      if (s === start) { path.push(s); return true; }
      if (seen.has(s)) continue;
      seen.add(s); path.push(s);
      if (walk(s)) return true;
      path.pop();
    }
    return false;
  };
  walk(start);
  return path;
}
