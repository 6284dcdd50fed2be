// Public ops of the 'reduce' group; one file per op.
export {};
