import { existsSync, readFileSync, statSync } from 'node:fs';
import { Command } from 'commander';
import {
  MAX_SUPPORTED_OPSET,
  dataTypeName,
  decodeModelProto,
  getOnnxOp,
  importOnnx,
  longToNumber,
  registerBuiltinOnnxOps,
  type IModelProto,
  type INodeProto,
  type IValueInfoProto,
} from '@mapnn/onnx/node';
import { useBackend, type BackendChoice } from '../backend.js';
import { CliError, messageOf, oneLine } from '../errors.js';
import { Printer } from '../output/print.js';
import { bytes, int, keyValues, table } from '../output/table.js';
import { examples, withBackend, withCommon, type CommonOptions } from './common.js';

interface InspectOptions extends CommonOptions {
  check: boolean;
  backend: BackendChoice;
}

interface ValueInfo {
  name: string;
  dtype: string;
  shape: (number | string)[] | null;
}

interface Layer {
  index: number;
  name: string;
  op: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  outputShape: (number | string)[] | null;
  parameters: number;
}

const dtypeName = (t: number | null | undefined) => (t ? dataTypeName(t).replace(/ \(\d+\)$/, '').toLowerCase() : '?');

function valueInfo(v: IValueInfoProto): ValueInfo {
  const tt = v.type?.tensorType;
  const dims = tt?.shape?.dim;
  return {
    name: v.name ?? '',
    dtype: tt ? dtypeName(tt.elemType) : v.type?.sequenceType ? 'sequence' : '?',
    shape: dims ? dims.map((d) => (d.dimParam ? d.dimParam : d.dimValue !== undefined && d.dimValue !== null ? longToNumber(d.dimValue) : '?')) : null,
  };
}

const fmtShape = (s: (number | string)[] | null) => (s ? `[${s.join(', ')}]` : '?');
const isDefaultDomain = (d: string | null | undefined) => !d || d === 'ai.onnx';

/** Everything `inspect` reports about a decoded model. */
export function describeModel(proto: IModelProto) {
  const graph = proto.graph ?? {};
  const initializers = new Map<string, number>();
  let parameters = 0;
  let parameterBytes = 0;
  for (const t of graph.initializer ?? []) {
    const n = (t.dims ?? []).reduce((a: number, d) => a * longToNumber(d), 1);
    initializers.set(t.name ?? '', n);
    parameters += n;
    parameterBytes += t.rawData?.length ?? n * 4;
  }
  const shapes = new Map<string, (number | string)[] | null>();
  for (const v of [...(graph.valueInfo ?? []), ...(graph.output ?? [])]) shapes.set(v.name ?? '', valueInfo(v).shape);
  const histogram: Record<string, number> = {};
  const nodes: INodeProto[] = graph.node ?? [];
  const layers: Layer[] = nodes.map((n, i) => {
    const op = isDefaultDomain(n.domain) ? n.opType ?? '?' : `${n.domain}:${n.opType}`;
    histogram[op] = (histogram[op] ?? 0) + 1;
    const inputs = n.input ?? [];
    return {
      index: i,
      name: n.name || `${n.opType}_${i}`,
      op,
      domain: n.domain ?? '',
      inputs: inputs.filter((x) => x && !initializers.has(x)),
      outputs: n.output ?? [],
      outputShape: shapes.get(n.output?.[0] ?? '') ?? null,
      parameters: inputs.reduce((s, x) => s + (initializers.get(x) ?? 0), 0),
    };
  });
  registerBuiltinOnnxOps();
  const unsupported = Object.keys(histogram).filter((op) => {
    const [domain, type] = op.includes(':') ? op.split(':') : ['', op];
    return !getOnnxOp(type!, domain!);
  });
  const opsets = Object.fromEntries((proto.opsetImport ?? []).map((o) => [o.domain || 'ai.onnx', longToNumber(o.version)]));
  const initNames = new Set(initializers.keys());
  return {
    irVersion: longToNumber(proto.irVersion),
    opsets,
    producer: [proto.producerName, proto.producerVersion].filter(Boolean).join(' ') || null,
    graphName: graph.name ?? '',
    inputs: (graph.input ?? []).filter((v) => !initNames.has(v.name ?? '')).map(valueInfo),
    outputs: (graph.output ?? []).map(valueInfo),
    nodes: nodes.length,
    opHistogram: Object.fromEntries(Object.entries(histogram).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    parameters,
    parameterBytes,
    initializers: initializers.size,
    layers,
    unsupportedOps: unsupported,
    opsetTooNew: (opsets['ai.onnx'] ?? 0) > MAX_SUPPORTED_OPSET,
  };
}

export function inspectCommand(): Command {
  const cmd = new Command('inspect')
    .summary('Describe an ONNX model and which of its ops mapnn cannot run')
    .description(
      'Describe an ONNX model: IR version and opsets, inputs and outputs with shapes, op histogram, parameter count, ' +
        'a layer table, and which ops mapnn cannot run (then tries to import it).',
    )
    .argument('<model>', '.onnx file')
    .option('--no-check', 'do not try to import the model with mapnn');
  withBackend(cmd);
  withCommon(cmd);
  examples(cmd, ['mapnn inspect mapnn-out/model.onnx', 'mapnn inspect resnet18.onnx --json | jq .opHistogram']);
  cmd.action(async (path: string, o: InspectOptions) => {
    const print = new Printer(!!o.json);
    if (!existsSync(path)) throw new CliError(`ONNX file not found: ${path}`);
    if (statSync(path).isDirectory()) throw new CliError(`${path} is a folder; inspect takes an .onnx file`);
    const buf = new Uint8Array(readFileSync(path));
    let proto: IModelProto;
    try {
      proto = decodeModelProto(buf);
    } catch (e) {
      throw new CliError(`cannot read ${path}: ${messageOf(e)}`);
    }
    if (!proto.graph) throw new CliError(`cannot read ${path}: the model has no graph`);
    const d = describeModel(proto);
    let importable: { ok: boolean; error?: string } | null = null;
    if (o.check) {
      await useBackend(o.backend);
      try {
        const m = await importOnnx(buf);
        m.dispose();
        importable = { ok: true };
      } catch (e) {
        importable = { ok: false, error: oneLine(messageOf(e)) };
      }
    }
    print.line(`${path} (${bytes(buf.length)})`);
    print.line(
      keyValues([
        ['IR version', d.irVersion],
        ['opsets', Object.entries(d.opsets).map(([k, v]) => `${k} ${v}`).join(', ')],
        ['producer', d.producer ?? '—'],
        ['graph', d.graphName || '—'],
        ['nodes', int(d.nodes)],
        ['parameters', `${int(d.parameters)} in ${d.initializers} initializers (${bytes(d.parameterBytes)})`],
      ]),
    );
    print.line('');
    print.line('inputs');
    print.line(table(['name', 'dtype', 'shape'], d.inputs.map((v) => [v.name, v.dtype, fmtShape(v.shape)]), '  '));
    print.line('outputs');
    print.line(table(['name', 'dtype', 'shape'], d.outputs.map((v) => [v.name, v.dtype, fmtShape(v.shape)]), '  '));
    print.line('');
    print.line('op histogram');
    print.line(table(['op', 'count'], Object.entries(d.opHistogram), '  '));
    print.line('');
    print.line('layers');
    const short = (xs: string[]) => (xs.join(', ').length > 40 ? `${xs.join(', ').slice(0, 39)}…` : xs.join(', '));
    print.line(
      table(
        ['#', { header: 'name', align: 'left' }, { header: 'op', align: 'left' }, { header: 'inputs', align: 'left' }, { header: 'output', align: 'left' }, 'params'],
        d.layers.map((l) => [l.index, l.name, l.op, short(l.inputs), `${short(l.outputs)}${l.outputShape ? ` ${fmtShape(l.outputShape)}` : ''}`, l.parameters ? int(l.parameters) : '']),
        '  ',
      ),
    );
    print.line('');
    if (d.unsupportedOps.length) print.line(`ops mapnn cannot run: ${d.unsupportedOps.join(', ')}`);
    else print.line('ops mapnn cannot run: none — every op has a converter');
    if (d.opsetTooNew) print.line(`note: opset ${d.opsets['ai.onnx']} is newer than the newest mapnn reads (${MAX_SUPPORTED_OPSET})`);
    if (importable) print.line(importable.ok ? 'mapnn import: ok' : `mapnn import: fails — ${importable.error}`);
    print.result({ command: 'inspect', file: path, bytes: buf.length, ...d, importable });
  });
  return cmd;
}
