import { tensor, type Tensor } from '@mapnn/core';
import { buffer, parameter } from '@mapnn/layers';
import type { ChannelConsumer, ChannelGroup } from './channel-groups.js';

type Props = Record<string, unknown>;

/** The entries of `t` whose index along `dim` (in blocks of `block`) is one of `keep`, as a new tensor. */
export function selectChannels(t: Tensor, dim: number, keep: readonly number[], block = 1): Tensor {
  const shape = [...t.shape];
  const outer = shape.slice(0, dim).reduce((a, b) => a * b, 1);
  const inner = shape.slice(dim + 1).reduce((a, b) => a * b, 1) * block;
  const along = shape[dim]! / block;
  const src = t.dataSync();
  const dst = new (src.constructor as new (n: number) => typeof src)(outer * keep.length * inner);
  let o = 0;
  for (let a = 0; a < outer; a++) {
    for (const c of keep) {
      const start = (a * along + c) * inner;
      dst.set(src.subarray(start, start + inner), o);
      o += inner;
    }
  }
  shape[dim] = keep.length * block;
  return tensor(dst, shape, t.dtype);
}

/** Replaces tensor property `key` of `owner` by its kept channels, as a parameter or buffer like the original. */
function shrinkProperty(owner: object, key: string, dim: number, keep: readonly number[], block = 1, kind: 'parameter' | 'buffer' = 'parameter'): void {
  const p = owner as Props;
  const old = p[key] as Tensor | null;
  if (!old) return;
  const next = selectChannels(old, dim, keep, block);
  p[key] = kind === 'buffer' ? buffer(next) : old.requiresGrad ? parameter(next) : parameter(next).requiresGrad_(false);
  old.dispose();
}

/** Sets a readonly size field (`outChannels`, `inFeatures`, …) to its new value. */
function setSize(owner: object, key: string, value: number): void {
  Object.defineProperty(owner, key, { value, writable: false, enumerable: true, configurable: true });
}

function shrinkConsumer({ module, block }: ChannelConsumer, keep: readonly number[]): void {
  shrinkProperty(module, 'weight', 1, keep, block);
  setSize(module, 'inChannels' in module ? 'inChannels' : 'inFeatures', module.weight.shape[1]!);
}

/** Removes every channel of `group` not in `keep` from its producers, BatchNorms and consumers. */
export function shrinkGroup(group: ChannelGroup, keep: readonly number[]): void {
  for (const { module } of group.producers) {
    shrinkProperty(module, 'weight', 0, keep);
    shrinkProperty(module, 'bias', 0, keep);
    setSize(module, 'outChannels' in module ? 'outChannels' : 'outFeatures', keep.length);
  }
  for (const { module } of group.followers) {
    shrinkProperty(module, 'weight', 0, keep);
    shrinkProperty(module, 'bias', 0, keep);
    shrinkProperty(module, 'running_mean', 0, keep, 1, 'buffer');
    shrinkProperty(module, 'running_var', 0, keep, 1, 'buffer');
    setSize(module, 'numFeatures', keep.length);
  }
  for (const c of group.consumers) shrinkConsumer(c, keep);
  group.size = keep.length;
}
