// Public ops of the 'movement' group; one file per op.
export {};
