// Knowledge distillation on Fashion-MNIST: a CNN teacher (examples/fashion-mnist's, 225k
// parameters) teaches a student with ≤ 1/4 of its parameters; the same student (same seed, same
// data, same epochs) is also trained alone on the labels, and both are tested on the 10,000
// test images.
//
//   pnpm --filter @mapnn/compression... build
//   node packages/compression/examples/distill-fashion-mnist.mjs [--teacher-epochs 2]
//        [--student mlp|thin-cnn] [--student-epochs 5] [--subset 2000] [--temperature 4]
//        [--alpha 0.9] [--hint] [--teacher-weights teacher.safetensors] [--backend cpu|wasm]
//        [--threads N] [--seed 0]
//
// --teacher-weights: load the teacher from this safetensors file if it exists, else train it
// and save it there (so a second run reuses it). --subset: the student sees only the first N
// training images (the teacher saw all 60,000). --hint (thin-cnn student): add a FitNets hint
// from the teacher's second conv to the student's, through a learned 1×1 adapter.
import '@mapnn/backend-cpu';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Generator, setBackendAsync, tensor } from '@mapnn/core';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@mapnn/layers';
import { Adam } from '@mapnn/optimizers';
import { decodeSafetensors, encodeSafetensors, evaluate, fit } from '@mapnn/train';
import { loadFashionMnist } from '@mapnn/data/node';
import { distill } from '@mapnn/compression';

const here = dirname(fileURLToPath(import.meta.url));
const { values: a } = parseArgs({
  options: {
    'teacher-epochs': { type: 'string', default: '2' },
    student: { type: 'string', default: 'mlp' },
    'student-epochs': { type: 'string', default: '5' },
    subset: { type: 'string', default: '2000' },
    temperature: { type: 'string', default: '4' },
    alpha: { type: 'string', default: '0.9' },
    hint: { type: 'boolean', default: false },
    'teacher-weights': { type: 'string' },
    data: { type: 'string', default: join(here, '..', '..', '..', '..', 'shared', 'datasets', 'fashion-mnist') },
    backend: { type: 'string', default: 'cpu' },
    threads: { type: 'string' },
    seed: { type: 'string', default: '0' },
  },
});
if (a.backend === 'wasm') {
  const wasm = await import('@mapnn/backend-wasm');
  if (a.threads) await wasm.setWasmThreads(Number(a.threads));
}
await setBackendAsync(a.backend);
const seed = Number(a.seed);
const train = await loadFashionMnist({ dir: a.data, split: 'train', channelDim: true });
const test = await loadFashionMnist({ dir: a.data, split: 'test', channelDim: true });
const n = Number(a.subset);
const subset = { x: train.x.narrow(0, 0, n), y: train.y.narrow(0, 0, n) };

const count = (m) => m.parameters().reduce((s, p) => s + p.size, 0);
const accuracy = async (m) => (await evaluate(m, test, { metrics: ['accuracy'], batchSize: 500 })).accuracy;
const seconds = (t0) => ((performance.now() - t0) / 1000).toFixed(1);

function makeTeacher() {
  const g = new Generator(seed);
  return new Sequential(
    new Conv2d(1, 32, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
    new Conv2d(32, 64, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
    new Flatten(), new Linear(64 * 5 * 5, 128, { generator: g }), new ReLU(), new Linear(128, 10, { generator: g }),
  );
}
function makeStudent() {
  const g = new Generator(seed + 1);
  if (a.student === 'mlp') return new Sequential(new Flatten(), new Linear(784, 64, { generator: g }), new ReLU(), new Linear(64, 10, { generator: g }));
  if (a.student === 'thin-cnn') {
    return new Sequential(
      new Conv2d(1, 8, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
      new Conv2d(8, 16, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
      new Flatten(), new Linear(16 * 5 * 5, 32, { generator: g }), new ReLU(), new Linear(32, 10, { generator: g }),
    );
  }
  throw new Error(`--student must be mlp or thin-cnn, got ${a.student}`);
}

const teacher = makeTeacher();
if (a['teacher-weights'] && existsSync(a['teacher-weights'])) {
  const { tensors } = decodeSafetensors(readFileSync(a['teacher-weights']));
  teacher.loadStateDict(Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, tensor(t.data, t.shape, t.dtype)])));
  console.log(`teacher: loaded ${a['teacher-weights']}`);
} else {
  const t0 = performance.now();
  await fit(teacher, train, { epochs: Number(a['teacher-epochs']), optimizer: new Adam(teacher.parameters(), { lr: 1e-3 }), loss: 'cross_entropy', batchSize: 64, seed });
  console.log(`teacher: ${a['teacher-epochs']} epochs on 60,000 images in ${seconds(t0)} s`);
  if (a['teacher-weights']) writeFileSync(a['teacher-weights'], encodeSafetensors(teacher.stateDict()));
}
const teacherAcc = await accuracy(teacher);

const epochs = Number(a['student-epochs']);
const common = { epochs, batchSize: 64, seed };
const alone = makeStudent();
const ratio = count(teacher) / count(alone);
if (ratio < 4) throw new Error(`the student has ${count(alone)} parameters, more than 1/4 of the teacher's ${count(teacher)}`);
let t0 = performance.now();
await fit(alone, subset, { ...common, optimizer: new Adam(alone.parameters(), { lr: 1e-3 }), loss: 'cross_entropy' });
const aloneSeconds = seconds(t0);
const aloneAcc = await accuracy(alone);

const student = makeStudent();
const T = Number(a.temperature);
const alpha = Number(a.alpha);
const features = a.hint ? [{ teacher: '3', student: '3', weight: 1 }] : [];
t0 = performance.now();
await distill({ teacher, student, data: subset, temperature: T, alpha, features, ...common, optimizer: new Adam(student.parameters(), { lr: 1e-3 }) });
const distilledSeconds = seconds(t0);
const distilledAcc = await accuracy(student);

const pct = (v) => `${(100 * v).toFixed(2)} %`;
console.log(`teacher  ${count(teacher).toLocaleString('en')} params, test accuracy ${pct(teacherAcc)}`);
console.log(`student  ${a.student}, ${count(alone).toLocaleString('en')} params (1/${ratio.toFixed(1)} of the teacher), ${epochs} epochs on ${n} images`);
console.log(`  alone      ${pct(aloneAcc)}  (${aloneSeconds} s)`);
console.log(`  distilled  ${pct(distilledAcc)}  (${distilledSeconds} s; T = ${T}, α = ${alpha}${a.hint ? ', FitNets hint 3 ← 3' : ''})`);
console.log(`  gain       ${(100 * (distilledAcc - aloneAcc)).toFixed(2)} points`);
