import { metricByName, type Metric } from '@mapnn/metrics';
import type { Tensor } from '@mapnn/core';

/** The streaming metrics of `fit` and `evaluate`: names resolved through the registry, objects kept. */
export function makeMetrics(ms: (string | Metric<unknown>)[] | undefined): Metric<unknown>[] {
  return (ms ?? []).map((m) => (typeof m === 'string' ? metricByName(m) : m));
}

/** Values for streaming metrics, read without blocking (so async backends such as WebGPU work). */
export async function metricInput(t: Tensor): Promise<unknown> {
  return t.array();
}
