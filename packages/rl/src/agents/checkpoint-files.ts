import { decodeSafetensors, encodeRawSafetensors, type RawSafeTensor, type SafeTensor } from '@mapnn/train';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, type AgentCheckpoint, type AgentCheckpointMeta } from './checkpoint.js';
import type { ReplayBufferState } from './replay-buffer.js';

/** The files of a saved agent. */
export const CHECKPOINT_FILES = { meta: 'agent.json', weights: 'weights.safetensors', buffer: 'buffer.safetensors' } as const;

/** A checkpoint as file contents: `agent.json` (text) and safetensors bytes. */
export interface CheckpointFiles {
  'agent.json': string;
  'weights.safetensors': Uint8Array;
  /** Only for agents with a replay buffer (DQN, SAC). */
  'buffer.safetensors'?: Uint8Array;
}

type Typed = Float32Array | Float64Array | Int32Array | Int8Array | Uint8Array;

function raw(data: Typed, shape: number[]): RawSafeTensor {
  const code = data instanceof Float32Array ? 'F32' : data instanceof Float64Array ? 'F64' : data instanceof Int32Array ? 'I32' : data instanceof Int8Array ? 'I8' : 'U8';
  return { dtype: code, shape, bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/**
 * The file contents of a checkpoint (browser-safe: write them anywhere, e.g. IndexedDB or a
 * download). Networks and optimizer state go to `weights.safetensors` (readable by PyTorch's
 * safetensors), the replay buffer to `buffer.safetensors`, the rest to `agent.json`.
 *
 * @example
 * const files = encodeCheckpointFiles(agent.checkpoint());
 * const again = restoreAgent(decodeCheckpointFiles(files));
 */
export function encodeCheckpointFiles(ck: AgentCheckpoint): CheckpointFiles {
  const weights: Record<string, RawSafeTensor> = {};
  for (const [k, t] of Object.entries(ck.tensors)) weights[k] = raw(t.data, t.shape);
  const files: CheckpointFiles = {
    'agent.json': `${JSON.stringify(ck.meta, null, 1)}\n`,
    'weights.safetensors': encodeRawSafetensors(weights, { format: CHECKPOINT_FORMAT }),
  };
  if (ck.buffer) {
    const arrays: Record<string, RawSafeTensor> = {};
    const scalars: Record<string, number> = {};
    for (const [k, v] of Object.entries(ck.buffer)) {
      if (typeof v === 'number') scalars[k] = v;
      else arrays[k] = raw(v as Typed, [(v as Typed).length]);
    }
    files['buffer.safetensors'] = encodeRawSafetensors(arrays, { format: CHECKPOINT_FORMAT, fields: JSON.stringify(scalars) });
  }
  return files;
}

const REQUIRED: (keyof AgentCheckpointMeta)[] = ['agent', 'numEnvs', 'seed', 'options', 'steps', 'resets', 'generator', 'episodes', 'optimizers', 'extra'];

/** Parses and checks `agent.json`. */
export function parseCheckpointMeta(text: string, file: string = CHECKPOINT_FILES.meta): AgentCheckpointMeta {
  let meta: AgentCheckpointMeta;
  try {
    meta = JSON.parse(text) as AgentCheckpointMeta;
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message}); expected the agent metadata that saveAgent writes`);
  }
  if (meta === null || typeof meta !== 'object' || meta.format !== CHECKPOINT_FORMAT) {
    throw new Error(`${file}: not a mapnn agent checkpoint; expected "format": "${CHECKPOINT_FORMAT}"`);
  }
  if (meta.version !== CHECKPOINT_VERSION) throw new Error(`${file}: checkpoint version ${meta.version}; expected ${CHECKPOINT_VERSION}`);
  const missing = REQUIRED.filter((k) => meta[k] === undefined);
  if (missing.length) throw new Error(`${file}: missing ${missing.join(', ')}; expected every field of an agent checkpoint`);
  return meta;
}

function decodeFile(bytes: Uint8Array, file: string): { tensors: Record<string, SafeTensor>; metadata: Record<string, string> } {
  try {
    return decodeSafetensors(bytes);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

/**
 * A checkpoint from its file contents (see `encodeCheckpointFiles`); errors name the file and
 * what was expected. `names` gives the files' names (paths) for those messages.
 *
 * @example const ck = decodeCheckpointFiles({ 'agent.json': text, 'weights.safetensors': bytes });
 */
export function decodeCheckpointFiles(files: CheckpointFiles, names: Partial<Record<keyof CheckpointFiles, string>> = {}): AgentCheckpoint {
  const name = (k: keyof CheckpointFiles) => names[k] ?? k;
  const meta = parseCheckpointMeta(files['agent.json'], name('agent.json'));
  const { tensors } = decodeFile(files['weights.safetensors'], name('weights.safetensors'));
  let buffer: ReplayBufferState | null = null;
  if (files['buffer.safetensors']) {
    const file = name('buffer.safetensors');
    const { tensors: arrays, metadata } = decodeFile(files['buffer.safetensors'], file);
    let scalars: Record<string, number>;
    try {
      scalars = JSON.parse(metadata['fields'] ?? '') as Record<string, number>;
    } catch {
      throw new Error(`${file}: no readable "fields" metadata; expected the buffer's capacity, widths, size and position`);
    }
    const state: Record<string, unknown> = { ...scalars };
    for (const [k, t] of Object.entries(arrays)) state[k] = t.data;
    for (const k of ['capacity', 'obsSize', 'actionSize', 'size', 'next', 'obs', 'actions', 'rewards', 'nextObs', 'discounts']) {
      if (state[k] === undefined) throw new Error(`${file}: missing '${k}'; expected a replay buffer's state`);
    }
    buffer = state as unknown as ReplayBufferState;
  }
  return { meta, tensors, buffer };
}
