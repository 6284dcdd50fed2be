import ts from 'typescript';

/** One import or re-export of a source file. */
export interface ImportRef {
  /** The module specifier as written: `@mapnn/core/backend`, `./tensor.js`, `node:fs`. */
  specifier: string;
  /**
   * `import type …`, `export type … from`, `import('x').T` in a type: erased at runtime.
   * `import { type A } from 'x'` is not: under `verbatimModuleSyntax` it stays as
   * `import {} from 'x'`, which still orders module evaluation.
   */
  typeOnly: boolean;
  /** `import('x')`: a dependency of the package, but no edge of module evaluation. */
  dynamic: boolean;
}

const specifierOf = (node: ts.Node | undefined) => (node && ts.isStringLiteralLike(node) ? node.text : undefined);

function refOf(node: ts.Node): ImportRef | undefined {
  if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
    const specifier = specifierOf(node.moduleSpecifier);
    const typeOnly = ts.isImportDeclaration(node) ? Boolean(node.importClause?.isTypeOnly) : node.isTypeOnly;
    return specifier === undefined ? undefined : { specifier, typeOnly, dynamic: false };
  }
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
    const specifier = specifierOf(node.arguments[0]);
    return specifier === undefined ? undefined : { specifier, typeOnly: false, dynamic: true };
  }
  if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
    const specifier = specifierOf(node.argument.literal);
    return specifier === undefined ? undefined : { specifier, typeOnly: true, dynamic: false };
  }
  return undefined;
}

/**
 * The imports of a TypeScript or JavaScript source, parsed (so text in strings and comments is
 * none): `import … from`, `export … from`, bare `import 'x'`, `import('x')` with a literal
 * specifier and `import('x').T` types, in source order.
 */
export function importsOf(source: string, fileName = 'file.ts'): ImportRef[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false);
  const refs: ImportRef[] = [];
  const visit = (node: ts.Node): void => {
    const ref = refOf(node);
    if (ref) refs.push(ref);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return refs;
}

/** `@mapnn/core/backend` → `@mapnn/core`; undefined for anything not of ours. */
export function mapnnPackageOf(specifier: string): string | undefined {
  const m = specifier.match(/^(@mapnn\/[^/]+)/);
  return m?.[1];
}
