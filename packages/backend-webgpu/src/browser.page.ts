/**
 * The page script of the browser smoke test (browser.test.ts bundles it with core and this
 * backend): trains a tiny two-layer network on `navigator.gpu` and reports its losses.
 */
import { getBackend, setBackendAsync } from '@mapnn/core';
import { trainTinyMlp } from '@mapnn/backend-tests/browser-page';
import './index.js';
import type { WebGPUBackend } from './backend.js';

export interface TrainReport {
  adapter: string;
  losses: number[];
}

async function train(steps: number): Promise<TrainReport> {
  await setBackendAsync('webgpu');
  const losses = await trainTinyMlp({ steps, samples: 32, features: 4, hidden: 8 });
  return { adapter: (getBackend() as WebGPUBackend).adapterName, losses };
}

(globalThis as { mapnnTrain?: typeof train }).mapnnTrain = train;
