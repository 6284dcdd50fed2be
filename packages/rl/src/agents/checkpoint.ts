import { noGrad, tensor, type GeneratorState, type Tensor } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import type { Optimizer, OptimizerStateDict } from '@mapnn/optimizers';
import type { SafeTensor } from '@mapnn/train';
import { encodeJsonValue } from './checkpoint-json.js';
import type { ReplayBuffer, ReplayBufferState } from './replay-buffer.js';

export const CHECKPOINT_FORMAT = 'mapnn-rl-agent';
export const CHECKPOINT_VERSION = 1;

/** Everything of a checkpoint but its arrays: plain JSON (`agent.json`). */
export interface AgentCheckpointMeta {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  /** The agent's `name` ('DQN', 'PPO', 'A2C', 'REINFORCE', 'SAC'). */
  agent: string;
  /** The registered env id, or null when the agent ran on a VectorEnv object. */
  envId: string | null;
  numEnvs: number;
  seed: number;
  /** The constructor options without `env`, `numEnvs` and `seed` (see `encodeJsonValue`). */
  options: Record<string, unknown>;
  steps: number;
  /** Environment resets so far (the next reset's seed depends on it). */
  resets: number;
  generator: GeneratorState;
  episodes: { returns: number[]; lengths: number[] };
  /** Optimizer state dicts; each state tensor is `{ $tensor: name }`, a key of `tensors`. */
  optimizers: Record<string, OptimizerStateDict>;
  /** Agent-specific counters and pending data (updates, iterations, REINFORCE's batch). */
  extra: Record<string, unknown>;
}

/**
 * An agent's complete training state in memory (no file system: works in browsers): see
 * `Agent.checkpoint()`, `restoreAgent` and, in Node, `saveAgent` / `loadAgent` from
 * `@mapnn/rl/node`.
 */
export interface AgentCheckpoint {
  meta: AgentCheckpointMeta;
  /** Network parameters and buffers (`net.<network>.<key>`), free tensors (`tensor.<name>`) and optimizer state (`optim.<optimizer>.<param>.<key>`). */
  tensors: Record<string, SafeTensor>;
  /** The replay buffer's contents, for agents that have one. */
  buffer: ReplayBufferState | null;
}

/** What of an agent a checkpoint holds beyond the base state (each agent lists its own). */
export interface CheckpointParts {
  modules: Record<string, Module<any, any>>;
  optimizers: Record<string, Optimizer | null>;
  /** Trainable tensors outside modules (SAC's log α). */
  tensors?: Record<string, Tensor>;
  buffer?: ReplayBuffer;
  /** JSON-able agent-specific state and how to put it back. */
  extra?: { save(): Record<string, unknown>; load(state: Record<string, unknown>): void };
}

/** The base state `Agent` passes in (the meta fields it owns). */
export type BaseState = Omit<AgentCheckpointMeta, 'format' | 'version' | 'optimizers' | 'extra'>;

/** Values in the typed array a safetensors dtype reads back as. */
function typedArrayFor(dtype: string, values: number[]): SafeTensor['data'] {
  if (dtype === 'float64') return Float64Array.from(values);
  if (dtype === 'int32' || dtype === 'int64') return Int32Array.from(values);
  if (dtype === 'uint8' || dtype === 'bool') return Uint8Array.from(values);
  if (dtype === 'int8') return Int8Array.from(values);
  return Float32Array.from(values);
}

function hostTensor(t: Tensor): SafeTensor {
  const data = t.dataSync();
  return { dtype: t.dtype, shape: [...t.shape], data: data.slice() as SafeTensor['data'] };
}

/**
 * Captures an agent's state (copies: the checkpoint does not change when training goes on).
 *
 * @example const ck = captureCheckpoint(base, parts) // what Agent.checkpoint() returns
 */
export function captureCheckpoint(base: BaseState, parts: CheckpointParts): AgentCheckpoint {
  const tensors: Record<string, SafeTensor> = {};
  for (const [name, m] of Object.entries(parts.modules)) {
    for (const [k, t] of Object.entries(m.stateDict())) tensors[`net.${name}.${k}`] = hostTensor(t);
  }
  for (const [name, t] of Object.entries(parts.tensors ?? {})) tensors[`tensor.${name}`] = hostTensor(t);
  const optimizers: Record<string, OptimizerStateDict> = {};
  for (const [name, opt] of Object.entries(parts.optimizers)) {
    if (!opt) continue;
    const sd = opt.stateDict();
    for (const [idx, entry] of Object.entries(sd.state)) {
      for (const [k, v] of Object.entries(entry)) {
        if (typeof v === 'number') continue;
        const key = `optim.${name}.${idx}.${k}`;
        tensors[key] = { dtype: v.dtype, shape: v.shape, data: typedArrayFor(v.dtype, v.data.map(Number)) };
        (entry as Record<string, unknown>)[k] = { $tensor: key };
      }
    }
    optimizers[name] = sd;
  }
  const meta: AgentCheckpointMeta = {
    format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, ...base,
    options: encodeJsonValue(base.options, 'options') as Record<string, unknown>,
    optimizers, extra: parts.extra?.save() ?? {},
  };
  return { meta, tensors, buffer: parts.buffer ? parts.buffer.getState() : null };
}

/**
 * Puts a checkpoint's networks, optimizer states, tensors, buffer and extras into `parts`
 * (the base fields are the caller's). Errors name the part that does not match.
 *
 * @example applyCheckpoint(ck, parts) // inside Agent.loadCheckpoint
 */
export function applyCheckpoint(ck: AgentCheckpoint, parts: CheckpointParts): void {
  const where = `checkpoint of ${ck.meta.agent}`;
  const sub = (prefix: string) => {
    const out: Record<string, SafeTensor> = {};
    for (const [k, v] of Object.entries(ck.tensors)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
    return out;
  };
  for (const [name, m] of Object.entries(parts.modules)) {
    const dict = sub(`net.${name}.`);
    if (Object.keys(dict).length === 0) throw new Error(`${where}: no tensors for network '${name}'; expected keys 'net.${name}.*'`);
    m.loadStateDict(dict);
  }
  for (const [name, t] of Object.entries(parts.tensors ?? {})) {
    const v = ck.tensors[`tensor.${name}`];
    if (!v || v.shape.join() !== t.shape.join()) throw new Error(`${where}: expected tensor 'tensor.${name}' of shape [${t.shape}], got ${v ? `[${v.shape}]` : 'none'}`);
    noGrad(() => {
      const src = tensor(Array.from(v.data), v.shape, t.dtype);
      t.assign(src);
      src.dispose();
    });
  }
  for (const [name, opt] of Object.entries(parts.optimizers)) {
    if (!opt) continue;
    const saved = ck.meta.optimizers[name];
    if (!saved) throw new Error(`${where}: no state for optimizer '${name}'; expected meta.optimizers.${name}`);
    opt.loadStateDict(withTensors(saved, ck.tensors, where));
  }
  if (parts.buffer) {
    if (!ck.buffer) throw new Error(`${where}: no replay buffer; expected its contents (buffer.safetensors)`);
    parts.buffer.setState(ck.buffer);
  }
  parts.extra?.load(ck.meta.extra);
}

/** The state dict with `{ $tensor }` references replaced by serialized tensors. */
function withTensors(sd: OptimizerStateDict, tensors: Record<string, SafeTensor>, where: string): OptimizerStateDict {
  const state: OptimizerStateDict['state'] = {};
  for (const [idx, entry] of Object.entries(sd.state)) {
    const out: Record<string, any> = {};
    for (const [k, v] of Object.entries(entry)) {
      const ref = (v as { $tensor?: string }).$tensor;
      if (typeof ref !== 'string') {
        out[k] = v;
        continue;
      }
      const t = tensors[ref];
      if (!t) throw new Error(`${where}: optimizer state refers to tensor '${ref}', which the weights do not have`);
      out[k] = { dtype: t.dtype, shape: t.shape, data: Array.from(t.data) };
    }
    state[idx] = out;
  }
  return { state, paramGroups: sd.paramGroups };
}
