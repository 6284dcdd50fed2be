import { registerActivationOps } from './activations.js';
import { registerControlFlowOps } from './control-flow.js';
import { registerConvPoolOps } from './conv-pool.js';
import { registerElementwiseOps } from './elementwise.js';
import { registerLogicOps } from './logic.js';
import { registerMathReduceOps } from './math-reduce.js';
import { registerMiscOps } from './misc.js';
import { registerNormalizationOps } from './normalization.js';
import { registerQuantizeOps } from './quantize.js';
import { registerRecurrentOps } from './recurrent.js';
import { registerResizeOps } from './resize.js';
import { registerSamplingOps } from './sampling.js';
import { registerSequenceOps } from './sequence.js';
import { registerShapeMovementOps } from './shape-movement.js';
import { registerSignalOps } from './signal.js';
import { registerTrainingOps } from './training.js';

let registered = false;

/**
 * Registers mapnn's built-in ONNX op converters in core's plugin registry (kind 'onnx-op').
 * Called by every import; converters another package registered earlier under the same name
 * are kept (so they can replace built-ins), later registrations replace built-ins.
 */
export function registerBuiltinOnnxOps(): void {
  if (registered) return;
  registered = true;
  registerElementwiseOps();
  registerActivationOps();
  registerMathReduceOps();
  registerShapeMovementOps();
  registerConvPoolOps();
  registerNormalizationOps();
  registerRecurrentOps();
  registerQuantizeOps();
  registerLogicOps();
  registerMiscOps();
  registerResizeOps();
  registerSignalOps();
  registerSamplingOps();
  registerControlFlowOps();
  registerSequenceOps();
  registerTrainingOps();
}
