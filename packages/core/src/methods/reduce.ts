// Tensor methods of the 'reduce' group (declaration merging on Tensor; see ../tensor-methods.ts).
export {};
