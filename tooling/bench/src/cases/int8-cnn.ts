import * as mapnn from '@mapnn/core';
import { calibrate, exportQdqOnnx, quantizeModel } from '@mapnn/compression';
import { exportOnnx } from '@mapnn/onnx';
import type { Sequential } from '@mapnn/layers';
import { TFJS_CPU_ONLY, type Frameworks } from '../frameworks.js';
import { ortRunner } from '../peers/ort.js';
import type { BenchCase, CaseResult, PeerEntry, Runner } from '../report.js';
import { randomData } from './data.js';
import { cnnForwardFlops, fashionCnn } from './pruned-cnn.js';

/** Image-like inputs in [0, 1) (Fashion-MNIST's range), seeded. */
const images = (n: number, seed: number): Float32Array => Float32Array.from(randomData(n * 28 * 28, seed), (v) => Math.abs(v));

/** The Fashion-MNIST CNN and its int8 PTQ model (min-max calibration on 4 batches of 16 images). */
export function int8Models(): { float: Sequential; int8: Sequential } {
  const float = fashionCnn(32, 64);
  float.eval();
  const batches = [0, 1, 2, 3].map((i) => mapnn.tensor(images(16, 20 + i), [16, 1, 28, 28]));
  const int8 = quantizeModel(float, calibrate(float, batches));
  int8.eval();
  batches.forEach((b) => b.dispose());
  return { float, int8 };
}

const caseName = (precision: 'float32' | 'int8', N: number) => `Fashion CNN inference ${precision === 'int8' ? 'int8 PTQ' : 'float32'}, batch ${N}`;

/**
 * Inference of the Fashion-MNIST CNN on a batch of `N` images, float32 or int8 post-training
 * quantized (`quantizeModel`: QuantizeLinear, int8 QLinearConv / QLinearMatMul with fused bias
 * and ReLU, int8 max pooling, DequantizeLinear of the logits). The ORT column runs the same
 * model's ONNX file: `exportOnnx` for float32, `exportQdqOnnx` (QDQ, S8S8, 7-bit weights) for
 * int8, which ONNX Runtime fuses into QLinearConv / QGemm. `--only int8` runs the four cases
 * (float32 and int8, batch 64 and 1) in one process, so the medians compare.
 */
export function int8CnnCase(precision: 'float32' | 'int8', N: number, quick: boolean, fw: Frameworks = TFJS_CPU_ONLY, models = int8Models()): BenchCase {
  const model = precision === 'int8' ? models.int8 : models.float;
  const x = images(N, 11);
  const sample = mapnn.zeros([N, 1, 28, 28]);
  const peers: Record<string, PeerEntry> = {};
  if (fw.ort) {
    const ort = fw.ort;
    const file = precision === 'int8' ? exportQdqOnnx(model, sample) : exportOnnx(model, sample);
    peers.ort = { make: () => ortRunner(ort, file, { input: { data: x, shape: [N, 1, 28, 28] } }, fw.threads) };
  }
  sample.dispose();
  // batch 1 takes ≈ 0.5 ms a run: enough warm-up for the wasm tier-up and enough runs for a median
  // that holds on a loaded machine
  const reps = N === 1 ? (quick ? 40 : 400) : quick ? 3 : 10;
  return {
    name: caseName(precision, N),
    flops: N * cnnForwardFlops(32, 64),
    reps,
    warmup: N === 1 ? (quick ? 5 : 50) : quick ? 1 : 3,
    mapnn(): Runner {
      const xt = mapnn.tensor(x, [N, 1, 28, 28]);
      let last = new Float32Array(0);
      return {
        run: () => {
          last = mapnn.noGrad(() => mapnn.tidy(() => Float32Array.from(model.call(xt).dataSync())));
        },
        result: () => last,
        dispose: () => xt.dispose(),
      };
    },
    peers,
  };
}

/** The four cases of `--only int8` (float32 and int8 at batch 64 and 1), one model pair for all. */
export function int8CnnCases(quick: boolean, fw: Frameworks = TFJS_CPU_ONLY): BenchCase[] {
  const models = int8Models();
  return [64, 1].flatMap((N) => (['float32', 'int8'] as const).map((p) => int8CnnCase(p, N, quick, fw, models)));
}

/** mapnn's float32 / int8 inference ratios of one run (issue 16: int8 ≥ 1.5× faster at batch 64 and 1), if the cases ran. */
export function int8Speedups(results: CaseResult[]): string | undefined {
  const t = (p: 'float32' | 'int8', N: number) => results.find((r) => r.name === caseName(p, N))?.mapnn;
  const lines = [64, 1].flatMap((N) => {
    const [f, q] = [t('float32', N), t('int8', N)];
    if (!f || !q) return [];
    // the cases run one after the other: on a loaded machine the fastest runs compare more steadily than the medians
    return [`batch ${N}: float32 ${f.medianMs.toFixed(2)} ms / int8 ${q.medianMs.toFixed(2)} ms = ${(f.medianMs / q.medianMs).toFixed(2)}× (fastest runs ${f.minMs.toFixed(3)} / ${q.minMs.toFixed(3)} ms = ${(f.minMs / q.minMs).toFixed(2)}×)`];
  });
  return lines.length ? `int8 inference (issue 16, target ≥ 1.5× faster than float32): ${lines.join('; ')}` : undefined;
}
