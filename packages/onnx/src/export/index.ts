// ONNX export: trace a mapnn model and write an ONNX ModelProto.
export { exportOnnx, exportOnnxModel, EXPORT_IR_VERSION, DEFAULT_EXPORT_OPSET, MAX_EXPORT_OPSET, type ExportOnnxOptions } from './export.js';
export { OnnxExportError } from './errors.js';
export { registerOnnxModuleExporter, builtinExportedModules } from './modules.js';
export { EXPORTABLE_KERNELS } from './kernels.js';
export { float, floats, GraphBuilder, type AttrValue } from './builder.js';
export type { ModuleExportContext, ModuleExporter } from './context.js';
export { withHalfInitializers, FLOAT16_MAX, HALF_MIN_ELEMENTS } from './half-precision.js';
