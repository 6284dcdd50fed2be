import { expect, test } from 'vitest';
import { importsOf, mapnnPackageOf } from './imports.js';

test('reads imports, re-exports, bare and dynamic imports, multi-line clauses and type-only forms', () => {
  const source = [
    "import { a } from './a.js';",
    "import type { B } from '@mapnn/core';",
    "import {\n  c,\n  type D,\n} from '../c.js';",
    "export * from './e.js';",
    "export type { F } from './f.js';",
    "export { g as h } from '@mapnn/layers/node';",
    "import './setup.js';",
    "const lazy = () => import('@mapnn/onnx');",
  ].join('\n');
  expect(importsOf(source)).toEqual([
    { specifier: './a.js', typeOnly: false, dynamic: false },
    { specifier: '@mapnn/core', typeOnly: true, dynamic: false },
    { specifier: '../c.js', typeOnly: false, dynamic: false },
    { specifier: './e.js', typeOnly: false, dynamic: false },
    { specifier: './f.js', typeOnly: true, dynamic: false },
    { specifier: '@mapnn/layers/node', typeOnly: false, dynamic: false },
    { specifier: './setup.js', typeOnly: false, dynamic: false },
    { specifier: '@mapnn/onnx', typeOnly: false, dynamic: true },
  ]);
});

test('an import written in a comment or a string is no import', () => {
  const source = "/**\n * @example\n * import { fit } from '@mapnn/train';\n */\nconst text = \"import('@mapnn/onnx')\";\n// import '@mapnn/data';\n";
  expect(importsOf(source)).toEqual([]);
});

test("a type written as import('x').T is a type-only import", () => {
  expect(importsOf("let m: import('@mapnn/layers').Module;\n")).toEqual([{ specifier: '@mapnn/layers', typeOnly: true, dynamic: false }]);
});

test('JavaScript sources (.mjs) parse too', () => {
  expect(importsOf("import { readFileSync } from 'node:fs';\nexport default 1;\n", 'scripts/x.mjs')).toEqual([
    { specifier: 'node:fs', typeOnly: false, dynamic: false },
  ]);
});

test('our package of a specifier, entry paths dropped; anything else is not ours', () => {
  expect(mapnnPackageOf('@mapnn/core/backend')).toBe('@mapnn/core');
  expect(mapnnPackageOf('@mapnn/train')).toBe('@mapnn/train');
  expect(mapnnPackageOf('node:fs')).toBeUndefined();
  expect(mapnnPackageOf('@mapnnx/core')).toBeUndefined();
});
