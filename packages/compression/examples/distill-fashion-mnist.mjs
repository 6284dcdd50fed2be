// Knowledge distillation on Fashion-MNIST: a CNN teacher (examples/fashion-mnist's, 225k
// parameters) teaches a student with ≤ 1/4 of its parameters; the same student (same seed, same
// data, same epochs) is also trained alone on the labels, and both are tested on the 10,000
// test images.
//
//   pnpm --filter @mapnn/compression... build
//   node packages/compression/examples/distill-fashion-mnist.mjs [--teacher-epochs 2]
//        [--student mlp|thin-cnn] [--student-epochs 5] [--subset 2000] [--temperature 4]
//        [--alpha 0.9] [--hint] [--teacher-weights teacher.safetensors] [--backend cpu|wasm]
//        [--threads N] [--seed 0] [--teacher-recipe base|best] [--holdout 5000] [--eval test|val]
//        [--seeds 0,1,2] [--augment none|crop|crop+flip]
//
// --teacher-weights: load the teacher from this safetensors file if it exists, else train it
// and save it there (so a second run reuses it). --subset: the student sees only the first N
// training images (the teacher saw all 60,000). --hint (thin-cnn student): add a FitNets hint
// from the teacher's second conv to the student's, through a learned 1×1 adapter.
// --teacher-recipe best: dropout 0.25 before both dense layers and a cosine LR schedule over the
// teacher's epochs (examples/fashion-mnist's 91.5 % recipe, without augmentation).
// --holdout N: the last N training images are held out from everything (teacher and students);
// --eval val then measures the students on them (choose a setting there), --eval test (default)
// on the 10,000 test images. The teacher file is only valid for the same --holdout.
// --seeds 0,1,2: run both students for each seed (the teacher is trained/loaded once, with --seed)
// and print mean ± sd and min of the gains.
// --augment crop+flip: each student batch is randomly cropped (2-pixel padding) and flipped, the
// same batches for both students (one generator per seed and epoch); the distilled student's
// teacher sees the same augmented batch ("consistent" distillation, Beyer et al. 2022).
import '@mapnn/backend-cpu';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Generator, setBackendAsync, tensor, tidy } from '@mapnn/core';
import { Conv2d, Dropout, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@mapnn/layers';
import { Adam, CosineAnnealingLR } from '@mapnn/optimizers';
import { decodeSafetensors, encodeSafetensors, evaluate, fit, LRSchedulerCallback } from '@mapnn/train';
import { randomCrop, randomHorizontalFlip } from '@mapnn/data';
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
    seeds: { type: 'string' },
    'teacher-recipe': { type: 'string', default: 'base' },
    holdout: { type: 'string', default: '0' },
    eval: { type: 'string', default: 'test' },
    augment: { type: 'string', default: 'none' },
  },
});
if (a.backend === 'wasm') {
  const wasm = await import('@mapnn/backend-wasm');
  if (a.threads) await wasm.setWasmThreads(Number(a.threads));
}
await setBackendAsync(a.backend);
const teacherSeed = Number(a.seed);
const full = await loadFashionMnist({ dir: a.data, split: 'train', channelDim: true });
const holdout = Number(a.holdout);
const kept = full.x.shape[0] - holdout;
const train = holdout > 0 ? { x: full.x.narrow(0, 0, kept), y: full.y.narrow(0, 0, kept) } : full;
if (a.eval !== 'test' && !(a.eval === 'val' && holdout > 0)) throw new Error(`--eval must be test, or val with --holdout N > 0; got --eval ${a.eval} --holdout ${holdout}`);
const test = a.eval === 'val'
  ? { x: full.x.narrow(0, kept, holdout), y: full.y.narrow(0, kept, holdout) }
  : await loadFashionMnist({ dir: a.data, split: 'test', channelDim: true });
const evalName = a.eval === 'val' ? `the ${holdout.toLocaleString('en')} held-out training images` : 'the 10,000 test images';
const n = Number(a.subset);
const subset = { x: train.x.narrow(0, 0, n), y: train.y.narrow(0, 0, n) };

const count = (m) => m.parameters().reduce((s, p) => s + p.size, 0);
const accuracy = async (m) => (await evaluate(m, test, { metrics: ['accuracy'], batchSize: 500 })).accuracy;
const seconds = (t0) => ((performance.now() - t0) / 1000).toFixed(1);

const bestTeacher = a['teacher-recipe'] === 'best';
if (!bestTeacher && a['teacher-recipe'] !== 'base') throw new Error(`--teacher-recipe must be base or best, got ${a['teacher-recipe']}`);
function makeTeacher() {
  const g = new Generator(teacherSeed);
  const drop = () => (bestTeacher ? [new Dropout(0.25)] : []);
  return new Sequential(
    new Conv2d(1, 32, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
    new Conv2d(32, 64, 3, { generator: g }), new ReLU(), new MaxPool2d(2),
    new Flatten(), ...drop(), new Linear(64 * 5 * 5, 128, { generator: g }), new ReLU(), ...drop(), new Linear(128, 10, { generator: g }),
  );
}
function makeStudent(seed) {
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
  const teacherEpochs = Number(a['teacher-epochs']);
  const optimizer = new Adam(teacher.parameters(), { lr: 1e-3 });
  const callbacks = bestTeacher ? [new LRSchedulerCallback(new CosineAnnealingLR(optimizer, { tMax: teacherEpochs }))] : [];
  await fit(teacher, train, { epochs: teacherEpochs, optimizer, loss: 'cross_entropy', batchSize: 64, seed: teacherSeed, callbacks });
  console.log(`teacher: ${teacherEpochs} epochs (${a['teacher-recipe']} recipe) on ${kept.toLocaleString('en')} images in ${seconds(t0)} s`);
  if (a['teacher-weights']) writeFileSync(a['teacher-weights'], encodeSafetensors(teacher.stateDict()));
}
const teacherAcc = await accuracy(teacher);

const epochs = Number(a['student-epochs']);
const T = Number(a.temperature);
const alpha = Number(a.alpha);
const features = a.hint ? [{ teacher: '3', student: '3', weight: 1 }] : [];
const pct = (v) => `${(100 * v).toFixed(2)} %`;
const seeds = a.seeds ? a.seeds.split(',').map(Number) : [teacherSeed];
console.log(`teacher  ${count(teacher).toLocaleString('en')} params, accuracy on ${evalName} ${pct(teacherAcc)}`);

if (!['none', 'crop', 'crop+flip'].includes(a.augment)) throw new Error(`--augment must be none, crop or crop+flip, got ${a.augment}`);
/** The student's training data: the subset as it is, or (--augment) the same seeded augmented batches for each epoch. */
function studentData(seed) {
  if (a.augment === 'none') return subset;
  let epoch = 0;
  function* batches() {
    const gen = new Generator(seed * 1000 + epoch);
    const perm = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(gen.nextFloat() * (i + 1));
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    for (let s = 0; s < n; s += 64) {
      const idx = Array.from(perm.subarray(s, Math.min(n, s + 64)));
      yield tidy(() => {
        let x = randomCrop(subset.x.indexSelect(0, idx), { size: [28, 28], padding: 2, generator: gen });
        if (a.augment === 'crop+flip') x = randomHorizontalFlip(x, { generator: gen });
        return { x, y: subset.y.indexSelect(0, idx) };
      });
    }
  }
  return { [Symbol.iterator]: batches, setEpoch: (e) => (epoch = e) };
}

async function compare(seed) {
  const common = { epochs, batchSize: 64, seed };
  const alone = makeStudent(seed);
  const ratio = count(teacher) / count(alone);
  if (ratio < 4) throw new Error(`the student has ${count(alone)} parameters, more than 1/4 of the teacher's ${count(teacher)}`);
  let t0 = performance.now();
  await fit(alone, studentData(seed), { ...common, optimizer: new Adam(alone.parameters(), { lr: 1e-3 }), loss: 'cross_entropy' });
  const aloneSeconds = seconds(t0);
  const aloneAcc = await accuracy(alone);

  const student = makeStudent(seed);
  t0 = performance.now();
  await distill({ teacher, student, data: studentData(seed), temperature: T, alpha, features, ...common, optimizer: new Adam(student.parameters(), { lr: 1e-3 }) });
  const distilledSeconds = seconds(t0);
  const distilledAcc = await accuracy(student);

  console.log(`seed ${seed}: student ${a.student}, ${count(alone).toLocaleString('en')} params (1/${ratio.toFixed(1)} of the teacher), ${epochs} epochs on ${n} images${a.augment === 'none' ? '' : ` (augmented: ${a.augment})`}, tested on ${evalName}`);
  console.log(`  alone      ${pct(aloneAcc)}  (${aloneSeconds} s)`);
  console.log(`  distilled  ${pct(distilledAcc)}  (${distilledSeconds} s; T = ${T}, α = ${alpha}${a.hint ? ', FitNets hint 3 ← 3' : ''})`);
  console.log(`  gain       ${(100 * (distilledAcc - aloneAcc)).toFixed(2)} points`);
  return { aloneAcc, distilledAcc };
}

const runs = [];
for (const seed of seeds) runs.push(await compare(seed));
if (runs.length > 1) {
  const stats = (xs) => {
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
    return `${(100 * mean).toFixed(2)} ± ${(100 * sd).toFixed(2)} (min ${(100 * Math.min(...xs)).toFixed(2)})`;
  };
  console.log(`${runs.length} seeds (${seeds.join(', ')}):`);
  console.log(`  alone      ${stats(runs.map((r) => r.aloneAcc))} %`);
  console.log(`  distilled  ${stats(runs.map((r) => r.distilledAcc))} %`);
  console.log(`  gain       ${stats(runs.map((r) => r.distilledAcc - r.aloneAcc))} points, ${runs.filter((r) => r.distilledAcc - r.aloneAcc >= 0.01).length}/${runs.length} seeds ≥ 1 point`);
}
