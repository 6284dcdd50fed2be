import { tensor } from '@mapnn/core';
import { exportOnnx } from '@mapnn/onnx';
import type { Agent } from './agent.js';

export interface ExportedPolicy {
  /** The ONNX model: input `obs` [batch, features] → output `q_values`, `logits` or `action`. */
  bytes: Uint8Array;
  /** What the output holds; for `q-values` and `logits` the greedy action is its argmax over axis 1. */
  output: 'q-values' | 'logits' | 'action';
  inputName: 'obs';
  outputName: 'q_values' | 'logits' | 'action';
}

/**
 * Exports an agent's greedy / deterministic policy network to ONNX with a dynamic batch: DQN's
 * Q-network, the logits of a categorical policy (argmax = the greedy action), the mean action of
 * a Gaussian PPO / A2C / REINFORCE policy (clip it to the Box as the agent does), or SAC's
 * squashed mean rescaled to the action bounds.
 *
 * @example
 * const { bytes, outputName } = exportPolicyOnnx(agent);
 * writeFileSync('policy.onnx', bytes);
 */
export function exportPolicyOnnx(agent: Agent): ExportedPolicy {
  const { module, output } = agent.policyModule();
  const outputName = output === 'q-values' ? 'q_values' : output;
  const sample = tensor(new Float32Array(2 * agent.obsSize), [2, agent.obsSize]);
  try {
    const bytes = exportOnnx(module, sample, { inputNames: ['obs'], outputNames: [outputName] });
    return { bytes, output, inputName: 'obs', outputName };
  } finally {
    sample.dispose();
  }
}
