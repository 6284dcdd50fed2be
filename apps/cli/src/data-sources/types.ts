import type { Tensor } from '@mapnn/core';

/** Names of the data sources `--data` accepts. */
export const DATA_SOURCES = ['digits', 'iris', 'breast-cancer', 'wine', 'fashion-mnist', 'mnist', 'csv'] as const;
export type DataSourceName = (typeof DATA_SOURCES)[number];

/** What `--data` (and `--label`) say; stored in config.json so eval can reload the same data. */
export interface DataSpec {
  name: DataSourceName;
  /** Folder (mnist, fashion-mnist) or file (csv). */
  path?: string;
  /** Label column of a CSV file (name or index; default: the last column). */
  label?: string;
}

/** Features and targets of one split, raw (not normalised). */
export interface Split {
  x: Tensor;
  y: Tensor;
}

/** A loaded data source with its train / held-out test split. */
export interface LoadedData {
  spec: DataSpec;
  /** `image`: samples are [C, H, W]; `tabular`: samples are [features]. */
  kind: 'image' | 'tabular';
  task: 'classification' | 'regression';
  /** Shape of one raw sample. */
  sampleShape: number[];
  /** Class names by index (empty for regression). */
  classNames: string[];
  featureNames?: string[];
  /** Images: the largest raw pixel value (digits 16, MNIST 1). */
  rawMax?: number;
  /** Whether a left–right flip keeps the label (clothes yes, digits no). */
  flipInvariant: boolean;
  train: Split;
  test: Split;
}

export interface LoadOptions {
  /** Seed of the train/test split (sources without a fixed test split). */
  seed: number;
  /** Held-out fraction (sources without a fixed test split); default 0.2. */
  testSize?: number;
  /** Use only the first N training samples. */
  limit?: number;
  /** Download MNIST / Fashion-MNIST when missing. */
  download?: boolean;
}

export const DEFAULT_TEST_SIZE = 0.2;

/** `--data` as written by the user, from a spec. */
export function formatDataSpec(spec: DataSpec): string {
  return spec.path ? `${spec.name}=${spec.path}` : spec.name;
}
