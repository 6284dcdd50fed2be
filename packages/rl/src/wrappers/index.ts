export { RunningMeanStd, type RunningMeanStdDType, type RunningMeanStdOptions, type RunningMeanStdState } from './running-mean-std.js';
export { RecordEpisodeStatistics, type RecordEpisodeStatisticsOptions, type EpisodeStatistics } from './record-episode-statistics.js';
export { NormalizeObservation, type NormalizeObservationOptions } from './normalize-observation.js';
export { NormalizeReward, type NormalizeRewardOptions, type NormalizeRewardState } from './normalize-reward.js';
export { FrameStackObservation, type FrameStackObservationOptions, type FrameStackPadding } from './frame-stack-observation.js';
export { ActionMasking, type ActionMaskFn } from './action-masking.js';
export { TransformReward } from './transform-reward.js';
export { ClipAction } from './clip-action.js';
