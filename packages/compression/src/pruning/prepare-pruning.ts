import type { Module } from '@mapnn/layers';
import { isPruned, prunableParameter, setMask } from './masked-parameter.js';

/**
 * Readies an unpruned `model` to load the state dict of a pruned one (a checkpoint taken while
 * pruning, e.g. to resume `GradualPruning`): for every `<module>.<name>_orig` that has a
 * `<module>.<name>_mask` among `keys`, installs an all-ones mask on that parameter, so that
 * `model.loadStateDict(state)` then fills in `_orig` and `_mask` (PyTorch likewise needs the
 * pruning re-applied before `load_state_dict`). Returns the parameters it prepared.
 *
 * @example preparePruning(model, Object.keys(state)); model.loadStateDict(state);
 */
export function preparePruning(model: Module<any, any>, keys: Iterable<string>): string[] {
  const all = new Set(keys);
  const modules = new Map(model.namedModules());
  const done: string[] = [];
  for (const key of all) {
    if (!key.endsWith('_orig') || !all.has(`${key.slice(0, -5)}_mask`)) continue;
    const dot = key.lastIndexOf('.');
    const [path, name] = [dot < 0 ? '' : key.slice(0, dot), key.slice(dot + 1, -5)];
    const m = modules.get(path);
    if (!m) throw new RangeError(`preparePruning: '${key}' names module '${path}', which ${model.constructor.name} does not have`);
    if (isPruned(m, name)) continue;
    const p = prunableParameter(m, name, 'preparePruning', `${path || '(model)'} (${m.constructor.name})`);
    setMask(m, name, new Float32Array(p.size).fill(1));
    done.push(path ? `${path}.${name}` : name);
  }
  return done;
}
