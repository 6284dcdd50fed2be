// Tensor methods of the 'elementwise' group (declaration merging on Tensor; see ../tensor-methods.ts).
export {};
