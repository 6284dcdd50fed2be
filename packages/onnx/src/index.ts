/**
 * @mapnn/onnx — import ONNX models as mapnn Modules (run on any backend, fine-tune), with op
 * converters registered in core's plugin registry so other packages can add ops.
 * Node-only helpers (file paths, external data) live in `@mapnn/onnx/node`.
 */
export { importOnnx, importOnnxSync, buildOnnxModule, MAX_SUPPORTED_OPSET, type OnnxImportOptions } from './import.js';
export { OnnxModule, OnnxParameters, type OnnxModelInfo, type OnnxRunOptions, type OnnxValueInfo } from './module.js';
export { OnnxImportError, OnnxRunError } from './errors.js';
export {
  ONNX_OP_PLUGIN,
  OnnxAttributes,
  getOnnxOp,
  onnxOpKey,
  registerOnnxOp,
  valueOp,
  supportedOnnxOps,
  builtinOnnxOps,
  type ConvertContext,
  type OnnxConverter,
  type OnnxKernel,
  type OnnxValueKernel,
  type OnnxSubgraph,
  type OnnxNode,
  type OnnxOpDefinition,
  type OnnxOpPlugin,
  type RunContext,
} from './converter.js';
export { registerBuiltinOnnxOps } from './ops/index.js';
export { readInts, readFloats, rememberInts, intTensor, checkElements, MAX_RUNTIME_ELEMENTS, MAX_LOOP_ITERATIONS, MAX_RECORDED_LOOP_ITERATIONS } from './ops/util.js';
export { runSubgraph } from './graph.js';
// protobuf helpers (shared with the exporter)
export { onnx, DataType, AttributeType, dataTypeName } from './proto/onnx.js';
export type { IModelProto, IGraphProto, INodeProto, ITensorProto, IAttributeProto, IValueInfoProto } from './proto/onnx.js';
export { decodeModelProto, decodeTensorProto } from './proto/decode.js';
export { decodeSequenceProto, decodeOptionalProto, type SequenceProtoValue, type OptionalProtoValue } from './proto/sequence.js';
export { sequence, optional, isSequence, isOptional, type OnnxSequence, type OnnxOptional, type OnnxValue } from './values.js';
export {
  decodeTensor,
  tensorFromProto,
  hostToTensor,
  dtypeFromOnnx,
  onnxFromDtype,
  DEFAULT_MAX_ELEMENTS,
  type HostTensor,
  type ExternalDataReader,
  type ExternalDataRef,
  type TensorDecodeOptions,
} from './proto/tensor.js';
export { tensorToProto, hostToTensorProto, encodeModelProto, encodeTensorProto } from './proto/encode.js';
export { longToNumber } from './proto/long.js';
// export (trace a mapnn model to an ONNX file)
export {
  exportOnnx,
  exportOnnxModel,
  registerOnnxModuleExporter,
  builtinExportedModules,
  OnnxExportError,
  EXPORTABLE_KERNELS,
  EXPORT_IR_VERSION,
  DEFAULT_EXPORT_OPSET,
  MAX_EXPORT_OPSET,
  withHalfInitializers,
  FLOAT16_MAX,
  HALF_MIN_ELEMENTS,
  type ExportOnnxOptions,
  type ModuleExportContext,
  type ModuleExporter,
  type AttrValue,
  type GraphBuilder,
} from './export/index.js';
export { float as floatAttr, floats as floatsAttr } from './export/builder.js';
