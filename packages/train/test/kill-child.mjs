// Child process of the kill test: trains forever with a checkpoint after every (tiny) epoch,
// resuming from the latest checkpoint when one exists. Uses the built packages.
import '@mapnn/backend-cpu';
import { Generator, setBackend, tensor } from '@mapnn/core';
import { Linear, ReLU, Sequential } from '@mapnn/layers';
import { Adam } from '@mapnn/optimizers';
import { fit } from '@mapnn/train';
import { ModelCheckpoint, restoreCheckpoint } from '@mapnn/train/node';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
setBackend('cpu');
const g = new Generator(1);
const model = new Sequential(new Linear(8, 64, { generator: g }), new ReLU(), new Linear(64, 4, { generator: g }));
const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
const xs = Array.from({ length: 64 * 8 }, () => g.nextNormal());
const x = tensor(xs, [64, 8]);
const y = tensor(Array.from({ length: 64 }, (_, i) => i % 4), [64], 'int32');
const checkpoint = new ModelCheckpoint(dir, { everyNEpochs: 1, keep: 2 });
let resume = {};
if (existsSync(join(dir, 'latest'))) resume = restoreCheckpoint(dir, { model, optimizer, callbacks: [checkpoint] });
process.stdout.write(`start ${resume.initialEpoch ?? 0}\n`);
await fit(model, { x, y }, { epochs: 1_000_000, optimizer, loss: 'cross_entropy', batchSize: 64, seed: 5, callbacks: [checkpoint], ...resume });
