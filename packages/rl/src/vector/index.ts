export { type AutoresetMode, AUTORESET_MODES, autoresetModeOf } from './autoreset-mode.js';
export { addInfo } from './batch-infos.js';
export { type BatchArray, flatSize, createBatch, writeRow, actionAt, checkActions } from './batch-obs.js';
export { readResetMask } from './reset-mask.js';
export { FixedQueue } from './fixed-queue.js';
export { SyncVectorEnv, type SyncVectorEnvOptions, type VectorResetOptions } from './sync-vector-env.js';
export { VectorWrapper } from './vector-wrapper.js';
export {
  VectorRecordEpisodeStatistics,
  type VectorRecordEpisodeStatisticsOptions,
  type VectorEpisodeStatistics,
} from './record-episode-statistics.js';
export { makeVectorEnv } from './make-vector-env.js';
