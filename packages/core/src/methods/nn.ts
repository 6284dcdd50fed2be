// Tensor methods of the 'nn' group (declaration merging on Tensor; see ../tensor-methods.ts).
export {};
