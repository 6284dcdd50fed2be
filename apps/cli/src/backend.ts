import '@mapnn/backend-cpu';
import { getBackendName, registeredBackends, setBackend, setBackendAsync } from '@mapnn/core';
import { CliError, UsageError, messageOf } from './errors.js';

/** Backends the CLI knows how to load, fastest first. */
export const BACKENDS = ['wasm', 'cpu', 'webgpu'] as const;
export type BackendChoice = 'auto' | (typeof BACKENDS)[number];

const PACKAGES: Record<string, string> = {
  wasm: '@mapnn/backend-wasm',
  webgpu: '@mapnn/backend-webgpu/node', // Dawn in Node (the `webgpu` package)
};

/** What to install when a named backend's package is missing. */
const HINTS: Record<string, string> = {
  wasm: ' (is @mapnn/backend-wasm installed and built?)',
  webgpu: ' (install @mapnn/backend-webgpu and the webgpu package, Dawn for Node, and build them)',
};

/** Why a backend could not be loaded (kept for `bench` and `--verbose`). */
export const backendFailures = new Map<string, string>();

/**
 * Imports a backend package by name. The specifier is computed so that neither TypeScript nor
 * the bundler need the (optional) package: the CLI works when it is missing or not built.
 */
async function importBackendPackage(name: string): Promise<void> {
  const pkg = PACKAGES[name];
  if (!pkg || registeredBackends().includes(name)) return;
  const specifier: string = pkg;
  await import(specifier);
}

/** Loads and initialises `name`; returns false (remembering why) when it is unavailable. */
export async function tryBackend(name: string): Promise<boolean> {
  try {
    if (name === 'cpu') {
      setBackend('cpu');
      return true;
    }
    await importBackendPackage(name);
    await setBackendAsync(name);
    return true;
  } catch (e) {
    backendFailures.set(name, messageOf(e).split('\n')[0]!);
    return false;
  }
}

export function parseBackend(value: string): BackendChoice {
  const v = value.toLowerCase();
  if (v === 'auto' || (BACKENDS as readonly string[]).includes(v)) return v as BackendChoice;
  throw new UsageError(`unknown backend '${value}' (expected auto, ${BACKENDS.join(', ')})`);
}

/**
 * Activates a backend: `auto` takes wasm when `@mapnn/backend-wasm` can be imported and
 * initialised, else cpu; a named one must work. Returns the active backend's name.
 */
export async function useBackend(choice: BackendChoice = 'auto'): Promise<string> {
  if (choice === 'auto') {
    if (process.env.MAPNN_BACKEND) return useBackend(parseBackend(process.env.MAPNN_BACKEND));
    if (await tryBackend('wasm')) return getBackendName();
    setBackend('cpu');
    return 'cpu';
  }
  if (await tryBackend(choice)) return getBackendName();
  const why = backendFailures.get(choice) ?? 'unknown reason';
  const hint = /Cannot find (package|module)/.test(why) ? (HINTS[choice] ?? '') : '';
  throw new CliError(`backend '${choice}' is not available: ${why}${hint}`);
}
