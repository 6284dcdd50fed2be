// CPU kernels: movement (see docs/architecture.md for the contract).
export {};
