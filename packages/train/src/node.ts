/** @mapnn/train/node — checkpoints on the file system (Node only). */
export { saveCheckpoint, loadCheckpoint, restoreCheckpoint, type CheckpointState, type LoadedCheckpoint, type SaveCheckpointOptions } from './checkpoint.js';
export { ModelCheckpoint, type ModelCheckpointOptions } from './callbacks/model-checkpoint.js';
export { writeFileAtomic } from './atomic-write.js';
