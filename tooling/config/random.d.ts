/** mulberry32: each call returns the next number in [0, 1). */
export declare function mulberry32(seed: number): () => number;
/** xorshift32: each call returns the next state, an integer in [1, 2³²). */
export declare function xorshift32(seed: number): () => number;
