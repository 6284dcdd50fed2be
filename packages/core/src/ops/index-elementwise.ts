// Public ops of the 'elementwise' group; one file per op.
export {};
