/**
 * Runs the ONNX backend test cases (../shared/onnx-testdata: node, pytorch-converted,
 * pytorch-operator, simple) through importOnnx + the active backend and renders
 * docs/onnx-support.md. Used by test/conformance.test.ts; regenerate the doc with
 * `pnpm --filter @mapnn/onnx conformance` (MAPNN_WRITE_ONNX_SUPPORT=1).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dispose, tidy, type Tensor } from '@mapnn/core';
import { OnnxImportError, decodeSequenceProto, decodeOptionalProto, type ITensorProto, type OnnxValueInfo, decodeModelProto, decodeTensor, decodeTensorProto, hostToTensor, importOnnxSync, builtinOnnxOps, registerBuiltinOnnxOps, dtypeFromOnnx, dataTypeName, DataType } from '../src/index.js';
import { externalDataReader } from '../src/node.js';

export const CATEGORIES = ['node', 'pytorch-converted', 'pytorch-operator', 'simple'] as const;
export type Category = (typeof CATEGORIES)[number];
export type Status = 'pass' | 'fail' | 'unsupported' | 'random';

export const RTOL = 1e-3;
export const ATOL = 1e-5;

/** The core op set of issue 6: every node test made only of these must pass. */
export const CORE_OPS = [
  'Gemm', 'MatMul', 'Conv', 'ConvTranspose', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'BatchNormalization', 'LayerNormalization',
  'Relu', 'Sigmoid', 'Tanh', 'Softmax', 'LogSoftmax', 'LeakyRelu', 'Elu', 'Softplus', 'Clip', 'Erf', 'Abs', 'Add', 'Sub', 'Mul', 'Div',
  'Pow', 'Sqrt', 'Exp', 'Log', 'Reshape', 'Transpose', 'Concat', 'Split', 'Slice', 'Gather', 'Flatten', 'Squeeze', 'Unsqueeze', 'Expand',
  'Pad', 'Shape', 'Constant', 'ConstantOfShape', 'Identity', 'Cast', 'ReduceMean', 'ReduceSum', 'ReduceMax', 'LSTM', 'GRU', 'RNN', 'Where',
  'Equal', 'Less', 'Greater', 'Dropout', 'QuantizeLinear', 'DequantizeLinear',
];

/** Ops whose outputs are random: their cases cannot match the reference values. */
export const RANDOM_OPS = ['RandomUniform', 'RandomUniformLike', 'RandomNormal', 'RandomNormalLike', 'Bernoulli', 'Multinomial'];

/**
 * Cases that cannot pass by design, with the reason (listed in the report; excluded from the
 * "every core-set node test passes" target).
 */
export const EXPECTED_FAILURES: Record<string, string> = {
  'node/test_training_dropout': 'random output (Dropout in training mode with ratio > 0)',
  'node/test_training_dropout_default': 'random output (Dropout in training mode with ratio > 0)',
  'node/test_training_dropout_default_mask': 'random output (Dropout in training mode with ratio > 0)',
  'node/test_training_dropout_mask': 'random output (Dropout in training mode with ratio > 0)',
  'node/test_cast_FLOAT_to_STRING': 'string tensors: mapnn has no string dtype',
  'node/test_cast_STRING_to_FLOAT': 'string tensors: mapnn has no string dtype',
  'node/test_cast_FLOAT_to_BFLOAT16': 'the ONNX 1.12 reference truncates float32 to bfloat16; mapnn rounds to nearest even (as ONNX ≥ 1.14 specifies)',
  'node/test_castlike_FLOAT_to_BFLOAT16': 'the ONNX 1.12 reference truncates float32 to bfloat16; mapnn rounds to nearest even (as ONNX ≥ 1.14 specifies)',
  'node/test_castlike_FLOAT_to_BFLOAT16_expanded': 'the ONNX 1.12 reference truncates float32 to bfloat16; mapnn rounds to nearest even (as ONNX ≥ 1.14 specifies)',
  'node/test_adam_multiple': 'the ONNX 1.12 test computes its reference with epsilon = 0.01 but does not set epsilon on the node (the spec default is 0)',
  'node/test_castlike_FLOAT_to_STRING': 'string tensors: mapnn has no string dtype',
  'node/test_castlike_FLOAT_to_STRING_expanded': 'string tensors: mapnn has no string dtype',
  'node/test_castlike_STRING_to_FLOAT': 'string tensors: mapnn has no string dtype',
  'node/test_castlike_STRING_to_FLOAT_expanded': 'string tensors: mapnn has no string dtype',
};

export interface CaseResult {
  category: Category;
  name: string;
  ops: string[];
  status: Status;
  reason?: string;
}

/**
 * Where the ONNX test data lives: $MAPNN_ONNX_TESTDATA, else `../shared/onnx-testdata` next to
 * the repository, else Debian's `libonnx-testdata` location.
 */
export function dataRoot(): string {
  const candidates = [
    process.env.MAPNN_ONNX_TESTDATA,
    fileURLToPath(new URL('../../../../shared/onnx-testdata', import.meta.url)),
    '/usr/share/libonnx-testdata/data',
  ].filter((p): p is string => !!p);
  return candidates.find((p) => existsSync(join(p, 'node'))) ?? candidates[0]!;
}

export function listCases(root: string): { category: Category; name: string; dir: string }[] {
  const out: { category: Category; name: string; dir: string }[] = [];
  for (const category of CATEGORIES) {
    const base = join(root, category);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      const dir = join(base, name);
      if (statSync(dir).isDirectory() && existsSync(join(dir, 'model.onnx'))) out.push({ category, name, dir });
    }
  }
  return out;
}

function oneLine(s: string, max = 140): string {
  const t = s.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** allclose with NaN = NaN; returns a description of the first mismatch or null. */
export function compare(actual: Tensor, expected: Tensor, rtol = RTOL, atol = ATOL): string | null {
  if (actual.shape.length !== expected.shape.length || actual.shape.some((d, i) => d !== expected.shape[i])) {
    return `shape [${actual.shape.join(',')}], expected [${expected.shape.join(',')}]`;
  }
  const a = actual.dataSync();
  const e = expected.dataSync();
  for (let i = 0; i < e.length; i++) {
    const x = a[i]!;
    const y = e[i]!;
    if (Number.isNaN(y) ? Number.isNaN(x) : x === y || Math.abs(x - y) <= atol + rtol * Math.abs(y)) continue;
    return `value ${x} at ${i}, expected ${y}`;
  }
  return null;
}

type Loaded = Tensor | Tensor[] | null;

function readTensor(proto: ITensorProto, dir: string, declared?: number): Tensor | string {
  const t = proto.dataType ?? 0;
  if (!dtypeFromOnnx(t)) return `data type ${dataTypeName(t)}`;
  // the ONNX 1.12 data stores bfloat16 values as UINT16 bits
  if (declared === DataType.BFLOAT16 && t === DataType.UINT16) proto.dataType = DataType.BFLOAT16;
  return hostToTensor(decodeTensor(proto, { externalData: externalDataReader(dir) }));
}

/**
 * Reads a test_data_set file: a TensorProto, or a SequenceProto / OptionalProto where the model
 * declares a sequence or optional value. Returns a string describing what cannot be read.
 */
function loadValue(path: string, dir: string, kind: OnnxValueInfo['kind'], declared?: number): Loaded | string {
  const bytes = readFileSync(path);
  if (kind === 'sequence') {
    const s = decodeSequenceProto(bytes);
    const items = s.tensors.map((t) => readTensor(t, dir));
    const bad = items.find((t): t is string => typeof t === 'string');
    return bad ?? (items as Tensor[]);
  }
  if (kind === 'optional') {
    const o = decodeOptionalProto(bytes);
    if (o.value === null) return null;
    if ('kind' in o.value && o.value.kind === 'sequence') {
      const items = o.value.tensors.map((t) => readTensor(t, dir));
      const bad = items.find((t): t is string => typeof t === 'string');
      return bad ?? (items as Tensor[]);
    }
    return readTensor(o.value as ITensorProto, dir);
  }
  return readTensor(decodeTensorProto(bytes), dir, declared);
}

function compareValues(actual: Loaded | undefined, expected: Loaded): string | null {
  if (expected === null || actual === null || actual === undefined) return expected === (actual ?? null) ? null : `got ${actual === null ? 'an empty optional' : 'a value'}, expected ${expected === null ? 'none' : 'a value'}`;
  if (Array.isArray(expected) || Array.isArray(actual)) {
    if (!Array.isArray(expected) || !Array.isArray(actual)) return 'sequence vs tensor';
    if (expected.length !== actual.length) return `sequence of ${actual.length}, expected ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = compare(actual[i]!, expected[i]!);
      if (d) return `item ${i}: ${d}`;
    }
    return null;
  }
  return compare(actual, expected);
}

export function runCase(c: { category: Category; name: string; dir: string }): CaseResult {
  const bytes = readFileSync(join(c.dir, 'model.onnx'));
  const proto = decodeModelProto(bytes);
  const ops = [...new Set((proto.graph?.node ?? []).map((n) => (n.domain && n.domain !== 'ai.onnx' ? `${n.domain}:${n.opType}` : (n.opType ?? ''))))].sort();
  const base = { category: c.category, name: c.name, ops };
  const key = `${c.category}/${c.name}`;
  const declared = new Map<string, number>();
  for (const v of [...(proto.graph?.input ?? []), ...(proto.graph?.output ?? [])]) {
    const et = v.type?.tensorType?.elemType;
    if (v.name && et) declared.set(v.name, et);
  }
  const expectedFailure = EXPECTED_FAILURES[key];
  const randomOp = ops.find((o) => RANDOM_OPS.includes(o));
  const result = (status: Status, reason?: string): CaseResult => {
    if (status === 'pass') return { ...base, status };
    if (randomOp) return { ...base, status: 'random', reason: `random output (${randomOp})` };
    if (expectedFailure?.startsWith('random')) return { ...base, status: 'random', reason: expectedFailure };
    return { ...base, status, reason: reason ? oneLine(reason) : undefined };
  };
  let model;
  try {
    model = importOnnxSync<Tensor | Tensor[]>(bytes, { externalData: externalDataReader(c.dir) });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (e instanceof OnnxImportError && /^unsupported ONNX op/.test(msg)) return result('unsupported', msg);
    return result('fail', `import: ${msg}`);
  }
  try {
    const sets = readdirSync(c.dir).filter((d) => d.startsWith('test_data_set_')).sort();
    for (const set of sets) {
      const dir = join(c.dir, set);
      const files = readdirSync(dir);
      const count = (p: string) => files.filter((f) => f.startsWith(p) && f.endsWith('.pb')).length;
      const problem = tidy(() => {
        const feeds: Record<string, Loaded> = {};
        for (let i = 0; i < count('input_'); i++) {
          const name = model.inputNames[i];
          if (name === undefined) return `test data has more inputs than the model (${model.inputNames.length})`;
          const t = loadValue(join(dir, `input_${i}.pb`), c.dir, model.inputs[i]!.kind, declared.get(name));
          if (typeof t === 'string') return `input ${i}: ${t}`;
          feeds[name] = t;
        }
        // the test data sometimes contradicts declared dims (castlike 'like' inputs): check values, not declarations
        const outs = model.run<Loaded>(feeds, { checkShapes: false });
        for (let i = 0; i < count('output_'); i++) {
          const expected = loadValue(join(dir, `output_${i}.pb`), c.dir, model.outputs[i]!.kind, declared.get(model.outputNames[i]!));
          if (typeof expected === 'string') return `output ${i}: ${expected}`;
          const actual = outs[model.outputNames[i]!];
          if (actual === undefined) return `output ${i} missing`;
          const d = compareValues(actual, expected);
          if (d) return `${set} output ${i} (${model.outputNames[i]}): ${d}`;
        }
        return null;
      });
      if (problem) return result('fail', problem);
    }
    return result('pass');
  } catch (e) {
    return result('fail', e instanceof Error ? e.message : String(e));
  } finally {
    model.dispose();
  }
}

export function runAll(root: string, filter?: (c: { category: Category; name: string }) => boolean): CaseResult[] {
  return listCases(root)
    .filter((c) => !filter || filter(c))
    .map(runCase);
}

export interface Summary {
  category: Category | 'total';
  cases: number;
  pass: number;
  fail: number;
  unsupported: number;
  random: number;
}

export function summarize(results: CaseResult[]): Summary[] {
  const rows: Summary[] = [];
  for (const category of [...CATEGORIES, 'total'] as const) {
    const rs = category === 'total' ? results : results.filter((r) => r.category === category);
    rows.push({
      category,
      cases: rs.length,
      pass: rs.filter((r) => r.status === 'pass').length,
      fail: rs.filter((r) => r.status === 'fail').length,
      unsupported: rs.filter((r) => r.status === 'unsupported').length,
      random: rs.filter((r) => r.status === 'random').length,
    });
  }
  return rows;
}

/** Node cases made only of core-set ops (the ones that must all pass, random ones aside). */
export function isCoreCase(r: CaseResult): boolean {
  return r.category === 'node' && r.ops.length > 0 && r.ops.every((o) => CORE_OPS.includes(o));
}

/** Static part of the doc: what the conformance numbers do not show (limits, gradients, files). */
const RUNTIME_NOTES = [
  '## Run-time limits, gradients and external data',
  '',
  'Import options bound what a hostile or broken model can make a run do (each overrun is an `OnnxRunError` naming the node and the option to raise):',
  '',
  '| option | default | bounds |',
  '|---|---:|---|',
  '| `maxRuntimeElements` | 2²⁸ | elements of a tensor whose size comes from data (ConstantOfShape, Expand, Tile, Pad, Range, Resize, Conv …) and of each output a Loop stacks from its iterations, checked iteration by iteration |',
  '| `maxLoopIterations` | 1,000,000 | Loop body runs in one run, all Loop nodes added up (nested loops included) |',
  '| `maxRecordedLoopIterations` | 100,000 | the same while gradients are recorded (training mode, grad on), when every iteration\'s tensors stay alive for backward |',
  '',
  'Without recording, a Loop or Scan runs each iteration in its own `tidy` and frees the values it replaces, so its memory does not grow with the trip count (a 1,000,000-trip Loop of a scalar body runs in about 120 MB; `packages/onnx/scripts/loop-probe.mjs`).',
  '',
  "No-op cases of converters (all-zero Pad, one-input Concat/Sum/Max/Min/Mean, Clip without bounds, ReduceSum with `noop_with_empty_axes`, Slice without axes, same-size Resize, zero-trip Loop …) return a view that stays on the autograd graph, so gradients flow through them when fine-tuning.",
  '',
  "External data (`@mapnn/onnx/node`): a location must be a relative path without `..` segments; the file, with symbolic links resolved on both sides, must lie inside the model's real folder, must be a regular file that is not a symbolic link and has a single hard link (as the Python `onnx` package requires since 1.21, CVE-2026-27489); offset and length must lie inside the file.",
  '',
];

export function renderSupport(results: CaseResult[]): string {
  registerBuiltinOnnxOps();
  const supported = new Set(builtinOnnxOps());
  const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)} %` : '–');
  const lines: string[] = [];
  lines.push('# ONNX import: operator support and conformance');
  lines.push('');
  lines.push('<!-- Generated by packages/onnx/test/conformance.test.ts; regenerate with `pnpm --filter @mapnn/onnx conformance`. Do not edit. -->');
  lines.push('');
  lines.push(
    'Every case of the official ONNX backend test data (ONNX 1.12, `../shared/onnx-testdata`) is imported with ' +
      '`importOnnx` and run on the `cpu` backend; each output is compared with the reference ' +
      `(rtol ${RTOL}, atol ${ATOL}, NaN = NaN, shapes must match).`,
  );
  lines.push('');
  lines.push('| category | cases | pass | fail | unsupported op | random output | pass rate |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|');
  for (const s of summarize(results)) {
    const label = s.category === 'total' ? '**total**' : s.category;
    lines.push(`| ${label} | ${s.cases} | ${s.pass} | ${s.fail} | ${s.unsupported} | ${s.random} | ${pct(s.pass, s.cases)} |`);
  }
  const core = results.filter(isCoreCase);
  lines.push('');
  lines.push(
    `Core-set node cases (only ops of the core set): ${core.filter((r) => r.status === 'pass').length} of ${core.length} pass` +
      (core.some((r) => r.status !== 'pass') ? '; the others are listed below with the reason.' : '.'),
  );
  const conv = results.filter((r) => r.category === 'pytorch-converted');
  const convSupported = conv.filter((r) => r.ops.every((o) => supported.has(o)));
  lines.push(
    `pytorch-converted cases whose ops all have converters: ${convSupported.filter((r) => r.status === 'pass').length} of ${convSupported.length} pass.`,
  );
  // per op
  const ops = [...new Set(results.flatMap((r) => r.ops))].sort((a, b) => a.localeCompare(b));
  lines.push('');
  lines.push('## Per operator');
  lines.push('');
  lines.push('Cases are counted for every op their graph uses (`*_expanded` cases exercise the primitive ops a function expands to).');
  lines.push('');
  lines.push('| op | converter | cases | pass | fail | unsupported | random | failing cases |');
  lines.push('|---|:---:|---:|---:|---:|---:|---:|---|');
  for (const op of ops) {
    const rs = results.filter((r) => r.ops.includes(op));
    const n = (s: Status) => rs.filter((r) => r.status === s).length;
    const failing = rs.filter((r) => r.status === 'fail').map((r) => `\`${r.name.replace(/^test_/, '')}\``);
    const status = supported.has(op) ? (n('fail') ? '⚠️' : '✅') : '❌';
    lines.push(`| ${op} | ${status} | ${rs.length} | ${n('pass')} | ${n('fail')} | ${n('unsupported')} | ${n('random')} | ${failing.join(', ')} |`);
  }
  lines.push('');
  lines.push('✅ converter registered, all its cases that import pass · ⚠️ converter registered, some cases fail · ❌ no converter.');
  lines.push('');
  lines.push('## Failing and random cases');
  lines.push('');
  lines.push('| case | status | reason |');
  lines.push('|---|---|---|');
  for (const r of results.filter((x) => x.status === 'fail' || x.status === 'random')) {
    const reason = EXPECTED_FAILURES[`${r.category}/${r.name}`] ?? r.reason ?? '';
    lines.push(`| ${r.category}/${r.name} | ${r.status} | ${oneLine(reason)} |`);
  }
  lines.push('');
  lines.push('## Unsupported ops');
  lines.push('');
  const unsupportedOps = ops.filter((o) => !supported.has(o));
  lines.push(
    unsupportedOps.length
      ? `These ops have no converter yet (${unsupportedOps.length}); a model using one fails to import with one error listing them all: ` +
          unsupportedOps.map((o) => `\`${o}\``).join(', ') + '.'
      : 'None.',
  );
  lines.push('');
  lines.push(`Converters registered (${supported.size}): ${[...supported].map((o) => `\`${o}\``).join(', ')}.`);
  lines.push('');
  lines.push(...RUNTIME_NOTES);
  void dispose;
  return lines.join('\n');
}
