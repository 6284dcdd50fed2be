import { loadCsv } from './csv.js';
import { loadEmbedded } from './embedded.js';
import { loadIdxSource } from './idx.js';
import type { DataSpec, LoadOptions, LoadedData } from './types.js';

export * from './types.js';
export { parseDataSpec } from './parse.js';

/** Loads a data source with its train / held-out split. */
export async function loadData(spec: DataSpec, options: LoadOptions): Promise<LoadedData> {
  switch (spec.name) {
    case 'csv':
      return loadCsv(spec, options);
    case 'mnist':
    case 'fashion-mnist':
      return loadIdxSource(spec, options);
    default:
      return loadEmbedded(spec, options);
  }
}
