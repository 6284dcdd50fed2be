import { describe, expect, test } from 'vitest';
import { cleanWorkspace, plantWorkspace, type PlantedPackage } from '../test/tree.js';
import { fileCircleViolations, type KnownCircle } from './file-circles.js';
import { largestFileCircle } from './check.js';
import { readWorkspace } from './workspace.js';

const TENSOR = 'packages/core/src/tensor.ts';

/** The clean workspace with core's files replaced or added. */
function withCore(files: Record<string, string>): Record<string, PlantedPackage> {
  const tree = cleanWorkspace();
  tree['packages/core'] = { files: { ...tree['packages/core']!.files, ...files } };
  return tree;
}

const read = (tree: Record<string, PlantedPackage>) => readWorkspace(plantWorkspace(tree));
const check = (tree: Record<string, PlantedPackage>, known: KnownCircle[] = []) => fileCircleViolations(read(tree), known, [TENSOR]);

const sinCos = {
  'src/ops/sin.ts': "import { cos } from './cos.js';\nexport const sin = () => cos();\n",
  'src/ops/cos.ts': "import { sin } from './sin.js';\nexport const cos = () => sin();\n",
};
const sinCosKnown: KnownCircle = { dir: 'packages/core', files: ['src/ops/cos.ts', 'src/ops/sin.ts'], why: 'each is the gradient of the other' };

describe('import circles between the files of a package', () => {
  test('a circle through tensor.ts fails, naming the loop', () => {
    const tree = withCore({ 'src/tensor.ts': "import { add } from './ops/add.js';\nexport class Tensor {}\n" });
    expect(check(tree)).toEqual([`${TENSOR} must lie on no import circle, but lies on one of 2 files: src/ops/add.ts → src/tensor.ts → src/ops/add.ts`]);
  });

  test('a circle through tensor.ts fails even when the known list names it', () => {
    const tree = withCore({ 'src/tensor.ts': "import { add } from './ops/add.js';\nexport class Tensor {}\n" });
    const known: KnownCircle = { dir: 'packages/core', files: ['src/ops/add.ts', 'src/tensor.ts'], why: 'none' };
    expect(check(tree, [known])).toHaveLength(1);
  });

  test('type-only imports, dynamic imports and test files make no circle', () => {
    const tree = withCore({
      'src/tensor.ts': "import type { add } from './ops/add.js';\nexport const lazy = () => import('./ops/add.js');\nexport class Tensor {}\n",
      'src/tensor.test.ts': "import { add } from './ops/add.js';\n",
      'src/ops/add.ts': "import { Tensor } from '../tensor.js';\nimport '../tensor.test.js';\nexport const add = () => new Tensor();\n",
    });
    expect(check(tree)).toEqual([]);
  });

  test('`import { type A }` still orders evaluation (verbatimModuleSyntax keeps `import {}`), so it closes a circle', () => {
    const tree = withCore({ 'src/tensor.ts': "import { type add } from './ops/add.js';\nexport class Tensor {}\n" });
    expect(check(tree)).toHaveLength(1);
  });

  test('a new circle fails; a known one stands; a circle grown past its known files fails', () => {
    expect(check(withCore(sinCos))).toEqual([
      'packages/core has a new import circle of 2 files: src/ops/cos.ts → src/ops/sin.ts → src/ops/cos.ts; untie it (move what both sides need into a third file)',
    ]);
    expect(check(withCore(sinCos), [sinCosKnown])).toEqual([]);
    const grown = withCore({ ...sinCos, 'src/ops/sin.ts': "import { cos } from './cos.js';\nimport { tan } from './tan.js';\nexport const sin = 1;\n", 'src/ops/tan.ts': "import { sin } from './sin.js';\n" });
    expect(check(grown, [sinCosKnown])).toEqual([
      'packages/core has a new import circle of 3 files: src/ops/cos.ts → src/ops/sin.ts → src/ops/cos.ts; untie it (move what both sides need into a third file)',
      'the known circle packages/core: src/ops/cos.ts, src/ops/sin.ts is gone; delete it from tooling/layering/src/known-circles.ts',
    ]);
  });

  test('a known circle that is gone fails, so the list cannot keep room for it to come back', () => {
    expect(check(cleanWorkspace(), [sinCosKnown])).toEqual([
      'the known circle packages/core: src/ops/cos.ts, src/ops/sin.ts is gone; delete it from tooling/layering/src/known-circles.ts',
    ]);
  });

  test('index files resolve (`./ops` → `./ops/index.ts`), and the largest circle is reported', () => {
    const tree = withCore({
      ...sinCos,
      'src/ops/index.ts': "export * from './add.js';\n",
      'src/ops/add.ts': "import { Tensor } from '../tensor.js';\nimport { ops } from '../registry.js';\nexport const add = 1;\n",
      'src/registry.ts': "export * from './ops/index.js';\nexport const ops = 1;\n",
    });
    const core = read(tree).find((p) => p.dir === 'packages/core')!;
    expect(largestFileCircle(core)).toEqual({ files: 3, loop: 'src/ops/add.ts → src/registry.ts → src/ops/index.ts → src/ops/add.ts' });
  });
});
