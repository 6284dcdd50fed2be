/** @mapnn/train/node — checkpoints on the file system (Node only). */
export { saveCheckpoint, loadCheckpoint, restoreCheckpoint, type CheckpointState, type LoadedCheckpoint, type SaveCheckpointOptions } from './checkpoint.js';
export { ModelCheckpoint, type ModelCheckpointOptions, type SkippedCheckpoint } from './callbacks/model-checkpoint.js';
export { writeFileAtomic, removeStaleTemps } from './atomic-write.js';
export { saveModel, loadModel, type SaveModelOptions } from './model-folder.js';
