import type { Tensor } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import { OnnxModule } from '../module.js';
import { AttributeType } from '../proto/onnx.js';
import type { ModuleExporter } from './context.js';

type Reg = <M extends Module<any, any>>(c: abstract new (...args: any[]) => M, e: ModuleExporter<M>) => void;

const graphInputs = (m: OnnxModule<Tensor | Tensor[]>) => new Set(m.inputNames);
const initializers = (m: OnnxModule<Tensor | Tensor[]>) => new Set(m.initializerNames());

/**
 * Whether an imported graph can be written back node for node: default-domain nodes without
 * subgraphs, at the opset being exported, whose inputs are all graph inputs, initializers or
 * outputs of other nodes (values folded at import are not reachable from the module).
 */
function canCopy(m: OnnxModule<Tensor | Tensor[]>, args: unknown[], opset: number): boolean {
  if ((m.info.opsets[''] ?? 0) !== opset) return false;
  if (Object.keys(m.info.opsets).some((d) => d !== '' && d !== 'ai.onnx')) return false;
  if (m.inputs.some((i) => i.kind !== 'tensor') || m.outputs.some((o) => o.kind !== 'tensor')) return false;
  if (args.length !== m.inputs.length || args.some((a) => !(a && typeof a === 'object' && 'dtype' in a))) return false;
  const known = new Set([...graphInputs(m), ...initializers(m)]);
  for (const n of m.nodes) {
    if (n.domain !== '' || n.implicitInputs?.length) return false;
    if (n.attrs.names().some((k) => {
      const t = n.attrs.raw(k)?.type;
      return t === AttributeType.GRAPH || t === AttributeType.GRAPHS;
    })) return false;
    if (n.inputs.some((v) => v !== '' && !known.has(v))) return false;
    for (const o of n.outputs) if (o) known.add(o);
  }
  return m.outputNames.every((o) => known.has(o));
}

/**
 * An imported OnnxModule written back node for node (same op types and attributes, current
 * weights under the initializer names), when `canCopy` allows; otherwise it is traced kernel by
 * kernel like any other model.
 */
function onnxModuleExporter(): ModuleExporter<OnnxModule<Tensor | Tensor[]>> {
  return {
    canExport: (m, args, info) => canCopy(m, args, info.opset),
    export: (ctx, m, args, output) => {
      const names = new Map<string, string>();
      m.inputNames.forEach((n, i) => names.set(n, ctx.input(args[i] as Tensor)));
      const value = (v: string): string => {
        if (v === '') return '';
        const hit = names.get(v);
        if (hit !== undefined) return hit;
        const init = m.initializer(v);
        if (!init) throw new Error(`value '${v}' has no producer`);
        const name = ctx.input(init);
        names.set(v, name);
        return name;
      };
      for (const n of m.nodes) {
        const inputs = n.inputs.map(value);
        const outputs = n.outputs.map((o) => (o ? ctx.builder.unique(ctx.path ? `${ctx.path}/${o}` : o) : ''));
        const attribute = n.attrs.names().map((k) => n.attrs.raw(k)!);
        ctx.builder.nodes.push({ name: ctx.builder.unique(`node:${n.name}`), opType: n.opType, domain: n.domain, input: inputs, output: outputs, attribute });
        n.outputs.forEach((o, k) => o && names.set(o, outputs[k]!));
      }
      const outs = Array.isArray(output) ? (output as Tensor[]) : [output as Tensor];
      m.outputNames.forEach((o, k) => outs[k] && ctx.bind(outs[k]!, value(o)));
    },
  };
}

export function registerOnnxModuleExporters(reg: Reg): void {
  reg(OnnxModule, onnxModuleExporter());
}
