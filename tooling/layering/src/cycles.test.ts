import { expect, test } from 'vitest';
import { circlesOf, loopThrough } from './cycles.js';

test('finds every circle, a self-import included, and no acyclic node', () => {
  const graph = new Map([
    ['a', ['b']],
    ['b', ['c', 'd']],
    ['c', ['a']],
    ['d', ['e']],
    ['e', ['e']],
    ['f', ['a', 'missing']],
  ]);
  expect(circlesOf(graph)).toEqual([['a', 'b', 'c'], ['e']]);
  expect(loopThrough(graph, ['a', 'b', 'c'])).toEqual(['a', 'b', 'c', 'a']);
});

test('a chain of 100 000 imports closing into one circle needs no deep recursion', () => {
  const n = 100_000;
  const graph = new Map(Array.from({ length: n }, (_, i) => [`f${i}`, [`f${(i + 1) % n}`]]));
  const circles = circlesOf(graph);
  expect(circles).toHaveLength(1);
  expect(circles[0]).toHaveLength(n);
});
