import type { Tensor } from '@mapnn/core';
import { describeError, OnnxImportError } from './errors.js';
import { compileGraph, runLimitsOf, type GraphCompileOptions } from './graph.js';
import { OnnxModule, OnnxParameters, type OnnxModelInfo } from './module.js';
import { decodeModelProto } from './proto/decode.js';
import { longToNumber } from './proto/long.js';
import type { IGraphProto, IModelProto } from './proto/onnx.js';
import { registerBuiltinOnnxOps } from './ops/index.js';

export interface OnnxImportOptions extends GraphCompileOptions {
  /** Evaluate nodes whose inputs are all import-time constants once, at import (default true). */
  foldConstants?: boolean;
  /** Highest default-domain opset accepted (default 18). */
  maxOpset?: number;
  /**
   * Largest tensor (in elements) an op may create from data-dependent sizes at run time —
   * ConstantOfShape, Expand, Tile, Pad, Range, Resize, Conv outputs … (default 2^28). Larger
   * requests throw an OnnxRunError before allocating. Each output a Loop stacks from its
   * iterations (scan outputs) is bounded by it too, checked iteration by iteration.
   */
  maxRuntimeElements?: number;
  /**
   * Largest number of Loop iterations in one run (default 1,000,000): body runs of every Loop
   * node added up, nested loops included. The iteration past it throws an OnnxRunError.
   */
  maxLoopIterations?: number;
  /**
   * Largest number of Loop iterations in one run while gradients are recorded (training mode,
   * grad on; default 100,000): each iteration's tensors then stay alive until backward. In eval
   * mode or under `noGrad` a Loop frees each iteration's values as it goes.
   */
  maxRecordedLoopIterations?: number;
}

/** Newest default-domain opset the converters know. */
export const MAX_SUPPORTED_OPSET = 18;

/**
 * Imports an ONNX model (its bytes) as a mapnn `OnnxModule`, on the active backend.
 * Node users can pass a file path to `importOnnx` from `@mapnn/onnx/node` (external data
 * files are read from beside the model there).
 *
 * @example
 * const model = await importOnnx(bytes);
 * const y = model.call(x);
 */
export async function importOnnx<O extends Tensor | Tensor[] = Tensor>(
  bytes: Uint8Array | ArrayBuffer,
  options: OnnxImportOptions = {},
): Promise<OnnxModule<O>> {
  return importOnnxSync<O>(bytes, options);
}

/** Synchronous `importOnnx`. */
export function importOnnxSync<O extends Tensor | Tensor[] = Tensor>(
  bytes: Uint8Array | ArrayBuffer,
  options: OnnxImportOptions = {},
): OnnxModule<O> {
  const model = decodeModelProto(bytes);
  try {
    return buildOnnxModule<O>(model, options);
  } catch (e) {
    if (e instanceof OnnxImportError) throw e;
    // a safety net: every failure of an import is an OnnxImportError
    throw new OnnxImportError(`import failed: ${describeError(e)}`, { cause: e });
  }
}

/** @internal Builds the module from a decoded ModelProto. */
export function buildOnnxModule<O extends Tensor | Tensor[] = Tensor>(model: IModelProto, options: OnnxImportOptions = {}): OnnxModule<O> {
  registerBuiltinOnnxOps();
  const graph = model.graph as IGraphProto;
  const opsets: Record<string, number> = {};
  for (const o of model.opsetImport ?? []) {
    const domain = o.domain === 'ai.onnx' ? '' : (o.domain ?? '');
    opsets[domain] = longToNumber(o.version);
  }
  const maxOpset = options.maxOpset ?? MAX_SUPPORTED_OPSET;
  if (opsets[''] !== undefined && (opsets['']! < 1 || opsets['']! > maxOpset)) {
    throw new OnnxImportError(`the model uses ONNX opset ${opsets['']}; mapnn supports opsets 1–${maxOpset}`);
  }
  const compiled = compileGraph(graph, { opsets, options, outer: new Set(), main: true, depth: 0 });
  const opCounts: Record<string, number> = {};
  for (const s of compiled.plan) opCounts[s.node.opType] = (opCounts[s.node.opType] ?? 0) + 1;
  const info: OnnxModelInfo = {
    irVersion: longToNumber(model.irVersion),
    opsets,
    producerName: model.producerName ?? '',
    producerVersion: model.producerVersion ?? '',
    graphName: graph.name ?? '',
    docString: model.docString ?? '',
    opCounts,
  };
  const module = new OnnxModule<O>({ graph: compiled, info, limits: runLimitsOf(options) });
  attachInitializers(module, compiled.initializers);
  return module;
}

/**
 * Puts every initializer on the module as an own property, nested by the dots of its name
 * (`features.0.weight` → module.features['0'].weight), so `stateDict()` keys equal the ONNX
 * names and sub-trees can be frozen. Names that clash with Module members get a trailing '_'.
 */
function attachInitializers(root: OnnxModule<Tensor | Tensor[]>, inits: Map<string, Tensor>): void {
  const define = (obj: object, key: string, value: unknown) =>
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  const freeKey = (obj: object, key: string) => {
    let k = key;
    while (k in obj) k += '_';
    return k;
  };
  for (const [name, t] of inits) {
    const parts = name.split('.');
    let obj: object = root;
    let ok = parts.every((p) => p !== '');
    if (ok) {
      for (let i = 0; i < parts.length - 1; i++) {
        const p = parts[i]!;
        const cur = Object.prototype.hasOwnProperty.call(obj, p) ? (obj as Record<string, unknown>)[p] : undefined;
        if (cur instanceof OnnxParameters) {
          obj = cur;
        } else if (cur === undefined && !(p in obj)) {
          const c = new OnnxParameters();
          define(obj, p, c);
          obj = c;
        } else {
          ok = false;
          break;
        }
      }
    }
    const last = parts[parts.length - 1]!;
    if (ok && !(last in obj)) define(obj, last, t);
    else define(root, freeKey(root, name), t);
  }
}
