import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Agent } from '../agents/agent.js';
import { CHECKPOINT_FILES, decodeCheckpointFiles, encodeCheckpointFiles, type CheckpointFiles } from '../agents/checkpoint-files.js';
import { restoreAgent, type RestoreOptions } from '../agents/restore.js';

/**
 * Saves an agent's checkpoint into `dir` (created if needed): `agent.json`, `weights.safetensors`
 * and, for DQN / SAC, `buffer.safetensors`. Each file is written under a temporary name and
 * renamed, so a crash leaves the previous file of that name whole. Returns `dir`.
 *
 * @example
 * await agent.learn(100_000);
 * saveAgent(agent, 'runs/ppo-cartpole');
 */
export function saveAgent(agent: Agent, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const files = encodeCheckpointFiles(agent.checkpoint());
  for (const [name, content] of Object.entries(files) as [keyof CheckpointFiles, string | Uint8Array][]) {
    const path = join(dir, name);
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  }
  if (!files['buffer.safetensors']) rmSync(join(dir, CHECKPOINT_FILES.buffer), { force: true });
  return dir;
}

function readOrFail(path: string, what: string): Buffer {
  if (!existsSync(path)) throw new Error(`loadAgent: ${path} is missing; expected ${what} (written by saveAgent)`);
  return readFileSync(path);
}

/**
 * Loads an agent saved by `saveAgent`: the right class with networks, optimizers, replay buffer,
 * RNG, counters and episode statistics restored (its envs reset on the next `learn`).
 *
 * @example
 * const agent = loadAgent('runs/ppo-cartpole');
 * await agent.learn(200_000); // resume
 */
export function loadAgent(dir: string, options: RestoreOptions = {}): Agent {
  if (!existsSync(dir)) throw new Error(`loadAgent: no folder ${dir}; expected a folder written by saveAgent`);
  const metaPath = join(dir, CHECKPOINT_FILES.meta);
  const weightsPath = join(dir, CHECKPOINT_FILES.weights);
  const bufferPath = join(dir, CHECKPOINT_FILES.buffer);
  const files: CheckpointFiles = {
    'agent.json': readOrFail(metaPath, 'the agent metadata').toString('utf8'),
    'weights.safetensors': readOrFail(weightsPath, 'the networks and optimizer states'),
  };
  if (existsSync(bufferPath)) files['buffer.safetensors'] = readFileSync(bufferPath);
  const ck = decodeCheckpointFiles(files, { 'agent.json': metaPath, 'weights.safetensors': weightsPath, 'buffer.safetensors': bufferPath });
  try {
    return restoreAgent(ck, options);
  } catch (e) {
    throw new Error(`loadAgent(${dir}): ${(e as Error).message}`);
  }
}
