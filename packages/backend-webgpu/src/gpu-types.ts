/**
 * Stand-ins for the WebGPU types in this package's public API (`GPUDevice`, `GPUBuffer`, …).
 * They are global empty interfaces: where a project has the real declarations (@webgpu/types,
 * or a DOM lib with WebGPU) they merge with them and change nothing; where it has not — a
 * browser project without @webgpu/types, or a Node project with `lib: ["ES2022"]`, in which
 * @webgpu/types itself cannot type-check — mapnn's .d.ts still type-checks. To call WebGPU APIs
 * on these objects, add @webgpu/types to your project.
 */
declare global {
  interface GPU {}
  interface GPUAdapter {}
  interface GPUDevice {}
  interface GPUBindGroupLayout {}
  interface GPUComputePipeline {}
  // members the public types use (`BufferPool<GPUBuffer>`, `matmulTile`'s limits), declared
  // with the types @webgpu/types gives them so that the declarations merge
  interface GPUBuffer {
    readonly size: number;
  }
  interface GPUSupportedLimits {
    readonly maxComputeWorkgroupStorageSize: number;
    readonly maxComputeInvocationsPerWorkgroup: number;
    readonly maxComputeWorkgroupSizeX: number;
    readonly maxComputeWorkgroupSizeY: number;
  }
}

export {};
