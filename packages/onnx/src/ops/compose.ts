import { getOnnxOp, type ConvertContext, type OnnxKernel, type OnnxNode } from '../converter.js';

/** Converts `node` with another registered op's converter (same attributes), e.g. ConvInteger → Conv. */
export function convertNode(opType: string, node: OnnxNode, ctx: ConvertContext): OnnxKernel {
  const def = getOnnxOp(opType, '');
  if (!def) throw new Error(`needs the '${opType}' converter, which is not registered`);
  return def.convert({ ...node, opType }, ctx);
}
