import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Tensor } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import type { Optimizer, OptimizerStateDict } from '@mapnn/optimizers';
import { fsyncDir, removeStaleTemps, writeDurable, writeFileAtomic } from './atomic-write.js';
import { decodeSafetensors, encodeSafetensors, type SafeTensor } from './safetensors.js';
import type { Callback, History } from './types.js';

/** `state.json` of a checkpoint: everything but the weights. */
export interface CheckpointState {
  format: 'mapnn-checkpoint';
  version: 1;
  /** Epochs completed when it was written (resume starts at this epoch index). */
  epochsCompleted: number;
  /** The model's configuration, as the caller describes it (e.g. the CLI's model spec). */
  config?: unknown;
  optimizer?: OptimizerStateDict;
  /** Callback states by callback name (early stopping, schedulers, …). */
  callbacks: Record<string, unknown>;
  history: History;
  seed?: number;
  /** Free-form extras. */
  extra?: Record<string, unknown>;
}

export interface SaveCheckpointOptions {
  model: Module<any, any>;
  optimizer?: Optimizer;
  epochsCompleted: number;
  history?: History;
  callbacks?: Callback[];
  config?: unknown;
  seed?: number;
  extra?: Record<string, unknown>;
  /** Pointer name: 'latest' (default) or e.g. 'best'. */
  tag?: string;
  /** How many checkpoints of this tag to keep (default 2). */
  keep?: number;
}

const pad = (n: number) => String(n).padStart(6, '0');

/**
 * Writes a checkpoint as `<dir>/<tag>-epoch-NNNNNN/` holding `model.safetensors` (the model's
 * state dict, readable by PyTorch/HF tools) and `state.json`, then points `<dir>/<tag>` at it.
 * Crash-safe: the folder is written under a temporary name, fsynced and renamed; the pointer is
 * replaced atomically; so the previous checkpoint stays loadable whatever moment a crash hits.
 */
export function saveCheckpoint(dir: string, o: SaveCheckpointOptions): string {
  const tag = o.tag ?? 'latest';
  const name = `${tag}-epoch-${pad(o.epochsCompleted)}`;
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.tmp-${name}-${process.pid}-${Date.now()}`);
  mkdirSync(tmp);
  const state: CheckpointState = {
    format: 'mapnn-checkpoint', version: 1, epochsCompleted: o.epochsCompleted, config: o.config,
    optimizer: o.optimizer?.stateDict(), seed: o.seed, extra: o.extra,
    history: o.history ?? { epochs: [], logs: {} },
    callbacks: Object.fromEntries((o.callbacks ?? []).filter((c) => c.name && c.stateDict).map((c) => [c.name!, c.stateDict!()])),
  };
  writeDurable(join(tmp, 'model.safetensors'), encodeSafetensors(o.model.stateDict() as Record<string, Tensor>, { format: 'pt' }));
  writeDurable(join(tmp, 'state.json'), JSON.stringify(state));
  fsyncDir(tmp);
  const final = join(dir, name);
  if (existsSync(final)) rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  fsyncDir(dir);
  writeFileAtomic(join(dir, tag), name);
  prune(dir, tag, name, o.keep ?? 2);
  return final;
}

function prune(dir: string, tag: string, current: string, keep: number): void {
  const mine = readdirSync(dir).filter((f) => f.startsWith(`${tag}-epoch-`)).sort();
  for (const f of mine.slice(0, Math.max(0, mine.length - keep))) if (f !== current) rmSync(join(dir, f), { recursive: true, force: true });
  removeStaleTemps(dir);
}

export interface LoadedCheckpoint {
  path: string;
  weights: Record<string, SafeTensor>;
  state: CheckpointState;
}

function readFolder(path: string): LoadedCheckpoint {
  const state = JSON.parse(readFileSync(join(path, 'state.json'), 'utf8')) as CheckpointState;
  if (state.format !== 'mapnn-checkpoint') throw new Error(`${path}: not a mapnn checkpoint`);
  const { tensors } = decodeSafetensors(readFileSync(join(path, 'model.safetensors')));
  return { path, weights: tensors, state };
}

/**
 * Loads the checkpoint `<dir>/<tag>` points at. If that one is unreadable (it cannot be, short
 * of disk corruption), the newest readable checkpoint of the tag is used instead.
 */
export function loadCheckpoint(dir: string, tag = 'latest'): LoadedCheckpoint {
  if (!existsSync(dir)) throw new Error(`loadCheckpoint: no checkpoint folder at ${dir}`);
  const candidates: string[] = [];
  const pointer = join(dir, tag);
  if (existsSync(pointer)) candidates.push(readFileSync(pointer, 'utf8').trim());
  candidates.push(...readdirSync(dir).filter((f) => f.startsWith(`${tag}-epoch-`)).sort().reverse());
  const errors: string[] = [];
  for (const c of [...new Set(candidates)]) {
    try {
      return readFolder(join(dir, c));
    } catch (e) {
      errors.push(`${c}: ${(e as Error).message}`);
    }
  }
  throw new Error(`loadCheckpoint: no readable '${tag}' checkpoint in ${dir}${errors.length ? ` (${errors.join('; ')})` : ''}`);
}

/**
 * Loads a checkpoint into `model` (and `optimizer`, `callbacks`) and returns what `fit` needs to
 * continue: `{ initialEpoch, history }`.
 *
 * @example
 * const resume = restoreCheckpoint('runs/a', { model, optimizer, callbacks });
 * await fit(model, data, { ...options, ...resume });
 */
export function restoreCheckpoint(
  dir: string,
  target: { model: Module<any, any>; optimizer?: Optimizer; callbacks?: Callback[] },
  tag = 'latest',
): { initialEpoch: number; history: History; state: CheckpointState } {
  const ck = loadCheckpoint(dir, tag);
  target.model.loadStateDict(ck.weights);
  if (target.optimizer && ck.state.optimizer) target.optimizer.loadStateDict(ck.state.optimizer);
  for (const cb of target.callbacks ?? []) {
    const s = cb.name ? ck.state.callbacks[cb.name] : undefined;
    if (s !== undefined) cb.loadStateDict?.(s);
  }
  return { initialEpoch: ck.state.epochsCompleted, history: ck.state.history, state: ck.state };
}
