// Public ops of the 'random' group; one file per op.
export {};
