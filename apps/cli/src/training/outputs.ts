import { join } from 'node:path';
import type { Tensor } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import { encodeSafetensors, type History } from '@mapnn/train';
import { writeFileAtomic } from '@mapnn/train/node';
import type { ModelConfig } from '../models/spec.js';

/** model.safetensors: the state dict (PyTorch / Hugging Face compatible). */
export function writeWeights(dir: string, model: Module<any, any>, config: ModelConfig): string {
  const file = join(dir, 'model.safetensors');
  writeFileAtomic(file, encodeSafetensors(model.stateDict() as Record<string, Tensor>, { format: 'pt', mapnn_kind: config.kind }));
  return file;
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

export function writeBytes(dir: string, name: string, bytes: Uint8Array): string {
  const file = join(dir, name);
  writeFileAtomic(file, bytes);
  return file;
}

/** history.json: per-epoch logs of the whole run (resumed runs included). */
export function historyJson(h: History, extra: Record<string, unknown> = {}): unknown {
  return { epochs: h.epochs.map((e) => e + 1), logs: h.logs, ...extra };
}
