import '@mapnn/backend-cpu';
import { Command } from 'commander';
import { setBackend } from '@mapnn/core';
import { loadDigits } from './digits.js';
import { trainDigitsMlp } from './train-mlp.js';

const program = new Command()
  .name('mapnn')
  .description('mapnn: build, train and ship neural networks in JavaScript')
  .version('0.1.0');

program
  .command('train')
  .description('Train a model on the embedded UCI digits (placeholder MLP until @mapnn/train lands)')
  .option('--epochs <n>', 'epochs', '30')
  .option('--batch-size <n>', 'mini-batch size', '32')
  .option('--lr <x>', 'learning rate', '0.05')
  .option('--seed <n>', 'random seed', '0')
  .option('--json', 'print the result as JSON')
  .addHelpText('after', '\nExample:\n  $ mapnn train --epochs 20 --seed 1\n')
  .action((o: { epochs: string; batchSize: string; lr: string; seed: string; json?: boolean }) => {
    setBackend('cpu');
    const data = loadDigits();
    const t0 = Date.now();
    const result = trainDigitsMlp(data, {
      epochs: Number(o.epochs),
      batchSize: Number(o.batchSize),
      lr: Number(o.lr),
      seed: Number(o.seed),
      onEpoch: o.json
        ? undefined
        : (e) => console.log(`epoch ${String(e.epoch).padStart(3)}  loss ${e.loss.toFixed(4)}  train acc ${(e.trainAccuracy * 100).toFixed(1)}%`),
    });
    const seconds = (Date.now() - t0) / 1000;
    if (o.json) console.log(JSON.stringify({ ...result, seconds }));
    else console.log(`test accuracy ${(result.testAccuracy * 100).toFixed(2)}% on ${Math.round(data.n * 0.2)} held-out digits (${seconds.toFixed(1)} s)`);
  });

program.parseAsync().catch((e: Error) => {
  console.error(`mapnn: ${e.message}`);
  process.exitCode = 1;
});
