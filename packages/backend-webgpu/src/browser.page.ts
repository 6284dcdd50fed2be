/**
 * The page script of the browser smoke test (browser.test.ts bundles it with core and this
 * backend): trains a tiny two-layer network on `navigator.gpu` and reports its losses.
 */
import { getBackend, setBackendAsync } from '@mapnn/core';
import { trainTinyMlp } from '@mapnn/backend-tests/browser-page';
import './index.js';
import { WebGPUBackend } from './backend.js';

export interface TrainReport {
  adapter: string;
  losses: number[];
}

async function train(steps: number): Promise<TrainReport> {
  await setBackendAsync('webgpu');
  const losses = await trainTinyMlp({ steps, samples: 32, features: 4, hidden: 8 });
  const backend = getBackend();
  if (!(backend instanceof WebGPUBackend)) throw new Error(`browser page: the active backend is ${backend.name}, expected webgpu`);
  return { adapter: backend.adapterName, losses };
}

Object.assign(globalThis, { mapnnTrain: train });
