import { isTensor, type Tensor } from '@mapnn/core';

/**
 * Non-tensor values of an ONNX graph. Sequences and optionals flow between the sequence ops
 * (SequenceConstruct, SplitToSequence, …), Optional*, Identity and control flow; every other
 * op takes tensors. They are plain objects, so `tidy` sees the tensors inside them.
 */
export interface OnnxSequence {
  kind: 'sequence';
  items: Tensor[];
}

export interface OnnxOptional {
  kind: 'optional';
  value: Tensor | OnnxSequence | null;
}

export type OnnxValue = Tensor | OnnxSequence | OnnxOptional;

export function sequence(items: Tensor[]): OnnxSequence {
  return { kind: 'sequence', items };
}

export function optional(value: Tensor | OnnxSequence | null): OnnxOptional {
  return { kind: 'optional', value };
}

export function isSequence(v: unknown): v is OnnxSequence {
  return typeof v === 'object' && v !== null && (v as { kind?: string }).kind === 'sequence' && Array.isArray((v as OnnxSequence).items);
}

export function isOptional(v: unknown): v is OnnxOptional {
  return typeof v === 'object' && v !== null && (v as { kind?: string }).kind === 'optional';
}

/** The tensors a value holds. */
export function tensorsOf(v: OnnxValue | undefined | null): Tensor[] {
  if (!v) return [];
  if (isTensor(v)) return [v];
  if (isSequence(v)) return v.items;
  if (isOptional(v)) return tensorsOf(v.value);
  return [];
}

export function describeValue(v: unknown): string {
  if (isTensor(v)) return `a ${v.dtype} tensor [${v.shape.join(',')}]`;
  if (isSequence(v)) return `a sequence of ${v.items.length} tensors`;
  if (isOptional(v)) return v.value === null ? 'an empty optional' : 'an optional';
  return String(v);
}

/**
 * A value as the caller gets it: tensors as they are, sequences as arrays of tensors,
 * optionals as their content or null; `fresh` maps tensors the caller must not own to views.
 */
export function toUserValue(v: OnnxValue, fresh: (t: Tensor) => Tensor): Tensor | Tensor[] | null {
  if (isTensor(v)) return fresh(v);
  if (isSequence(v)) return v.items.map(fresh);
  if (isOptional(v)) return v.value === null ? null : toUserValue(v.value, fresh);
  return null;
}
