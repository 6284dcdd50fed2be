// Tensor methods of the 'movement' group (declaration merging on Tensor; see ../tensor-methods.ts).
export {};
