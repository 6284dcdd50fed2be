import type { ImportRef } from './imports.js';

/** Published code ships in the package; dev code (tests, test pages and helpers, configs, scripts) does not. */
export type CodeKind = 'published' | 'dev';

export interface SourceFile {
  /** Path inside the package: `src/fit.ts`. */
  path: string;
  kind: CodeKind;
  imports: ImportRef[];
}

export interface WorkspacePackage {
  /** Directory from the repository root: `packages/train`. */
  dir: string;
  /** `@mapnn/train`. */
  name: string;
  /** `"private": true`: never published, so even its src may use its devDependencies. */
  private: boolean;
  /** Our packages among `dependencies`, `peerDependencies` and `optionalDependencies`. */
  dependencies: string[];
  /** Our packages among `devDependencies`. */
  devDependencies: string[];
  files: SourceFile[];
}
