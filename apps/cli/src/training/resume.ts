import { copyFileSync, existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Module } from '@mapnn/layers';
import { loadCheckpoint } from '@mapnn/train/node';
import { CliError, UsageError, messageOf } from '../errors.js';
import { checkpointDir, modelFromConfig } from '../models/load.js';
import { isModelConfig, type ModelConfig, type TrainSettings } from '../models/spec.js';

/** The config + settings a resumed run's checkpoints were written with. */
export type ResumedConfig = ModelConfig & { training: TrainSettings; data: NonNullable<ModelConfig['data']> };

/** A run `--resume` continues: where its checkpoints are, and its config. */
export interface ResumedRun {
  ckDir: string;
  config: ResumedConfig;
}

/** Options that cannot change when resuming (they define the run). */
const FIXED_ON_RESUME = ['data', 'label', 'model', 'seed', 'optimizer', 'augment', 'classWeights', 'limit', 'testSize'];

/** Finds the latest checkpoint of the run in `dir` and reads its config. */
export function readResume(dir: string): ResumedRun {
  const p = resolve(dir);
  if (!existsSync(p)) throw new CliError(`--resume: folder not found: ${dir}`);
  const ckDir = checkpointDir(p);
  if (!ckDir) throw new CliError(`--resume: no checkpoint in ${dir} (expected OUT/checkpoints/latest)`);
  let state;
  try {
    state = loadCheckpoint(ckDir).state;
  } catch (e) {
    throw new CliError(`--resume: ${messageOf(e)}`);
  }
  if (!isModelConfig(state.config) || !state.config.training || !state.config.data) throw new CliError(`--resume: ${ckDir} was not written by mapnn train`);
  return { ckDir, config: state.config as ResumedConfig };
}

/** A usage error when options that define the run were given with `--resume`. */
export function rejectFixedOnResume(given: ReadonlySet<string>): void {
  const fixed = FIXED_ON_RESUME.filter((k) => given.has(k));
  if (fixed.length) throw new UsageError(`--resume continues the saved run; ${fixed.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')} cannot change`);
}

/** The output folder of a resumed run (the one holding its checkpoints folder). */
export function resumedOutFolder(resume: ResumedRun): string {
  return basename(resume.ckDir) === 'checkpoints' ? dirname(resume.ckDir) : resume.ckDir;
}

/** The model of a resumed run, rebuilt from the checkpoint's config (weights restored later). */
export async function resumedModel(config: ModelConfig, outDir: string, ckDir: string): Promise<{ model: Module<any, any>; config: ModelConfig; onnxSource?: Uint8Array }> {
  const { model, onnxSource } = await modelFromConfig(config, null, existsSync(join(outDir, config.onnxSource ?? '\0')) ? outDir : ckDir);
  model.train();
  if (config.kind === 'onnx' && config.onnxSource) {
    const src = join(outDir, config.onnxSource);
    if (!existsSync(src)) {
      const found = join(dirname(ckDir), config.onnxSource);
      if (existsSync(found)) copyFileSync(found, src);
    }
  }
  return { model, config: { ...config }, onnxSource };
}
