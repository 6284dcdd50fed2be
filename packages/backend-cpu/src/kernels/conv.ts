// CPU kernels: conv (see docs/architecture.md for the contract).
export {};
