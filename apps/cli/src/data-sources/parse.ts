import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { DATA_SOURCES, type DataSourceName, type DataSpec } from './types.js';

/**
 * Parses `--data`: `digits`, `iris`, `breast-cancer`, `wine`, `fashion-mnist[=DIR]`,
 * `mnist[=DIR]` or `csv=FILE` (a bare `*.csv` path is taken as `csv=FILE`).
 */
export function parseDataSpec(value: string, label?: string): DataSpec {
  const eq = value.indexOf('=');
  let name = (eq < 0 ? value : value.slice(0, eq)).trim().toLowerCase().replace(/_/g, '-');
  let path = eq < 0 ? undefined : value.slice(eq + 1).trim();
  if (eq < 0 && /\.(csv|tsv)$/i.test(value)) {
    name = 'csv';
    path = value;
  }
  if (name === 'breastcancer' || name === 'cancer') name = 'breast-cancer';
  if (name === 'fashion' || name === 'fashionmnist') name = 'fashion-mnist';
  if (!(DATA_SOURCES as readonly string[]).includes(name)) {
    throw new UsageError(`unknown data source '${value}' (expected digits, iris, breast-cancer, wine, fashion-mnist[=DIR], mnist[=DIR] or csv=FILE)`);
  }
  if (name === 'csv' && !path) throw new UsageError('--data csv needs a file: --data csv=FILE');
  if (path !== undefined && !['csv', 'mnist', 'fashion-mnist'].includes(name)) {
    throw new UsageError(`--data ${name} is embedded and takes no path`);
  }
  if (label !== undefined && name !== 'csv') throw new UsageError('--label only applies to --data csv=FILE');
  const spec: DataSpec = { name: name as DataSourceName };
  if (path) spec.path = resolve(path.replace(/^~(?=$|\/)/, homedir()));
  if (label !== undefined) spec.label = label;
  return spec;
}
