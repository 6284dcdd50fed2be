// Public ops of the 'nn' group; one file per op.
export {};
