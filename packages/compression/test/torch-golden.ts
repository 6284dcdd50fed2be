/** The PyTorch golden values written by scripts/torch-fake-quant-golden.py (committed fixture). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FakeQuantCase {
  scale: number;
  zeroPoint: number;
  qmin: number;
  qmax: number;
  x: number[];
  dy: number[];
  y: number[];
  dx: number[];
}

export interface TorchGolden {
  torch: string;
  perTensor: FakeQuantCase[];
  perChannel: Omit<FakeQuantCase, 'scale' | 'zeroPoint'> & { shape: number[]; axis: number; scales: number[]; zeroPoints: number[] };
  learnable: FakeQuantCase & { gradFactor: number; dscale: number };
  observer: { dtype: 'int8' | 'uint8'; qmin: number; qmax: number; batches: number[][]; after: { min: number; max: number; scale: number; zeroPoint: number }[] }[];
  fold: {
    convWeight: number[]; convBias: number[]; weightShape: number[]; runningMean: number[]; runningVar: number[];
    gamma: number[]; beta: number[]; eps: number; weight: number[]; bias: number[];
  };
  dynamic: {
    engine: string;
    linear: {
      inFeatures: number; outFeatures: number; weight: number[]; bias: number[]; x: number[]; xShape: number[];
      float: number[]; dynamic: number[]; dynamicPerChannel: number[];
      stored: { int8: number[]; scales: number[] }; storedPerChannel: { int8: number[]; scales: number[] };
    };
    lstm: RecurrentCase;
    gru: RecurrentCase;
  };
}

export interface RecurrentCase {
  inputSize: number;
  hiddenSize: number;
  state: Record<string, number[]>;
  x: number[];
  xShape: number[];
  float: number[];
  dynamic: number[];
}

const here = dirname(fileURLToPath(import.meta.url));

export function loadTorchGolden(): TorchGolden {
  return JSON.parse(readFileSync(join(here, 'fixtures', 'torch-fake-quant-golden.json'), 'utf8')) as TorchGolden;
}
