// Tensor methods of the 'random' group (declaration merging on Tensor; see ../tensor-methods.ts).
export {};
