import { full, Generator, isTensor, noGrad, normal, tensor, uniform, type DType, type Shape, type Tensor } from '@mapnn/core';

/**
 * Weight initializers in the manner of `torch.nn.init`.
 *
 * Every initializer takes either a shape (and returns a new tensor) or an existing tensor (and
 * overwrites its values in place with `assign`, outside autograd, returning the same tensor, like
 * PyTorch's trailing-underscore functions). Random ones draw from `opts.generator` (a seeded core
 * `Generator`) or the global generator.
 *
 * Fans follow `torch.nn.init._calculate_fan_in_and_fan_out`: for a weight of shape
 * `[out, in, ...kernel]`, fan_in = in·∏kernel and fan_out = out·∏kernel.
 *
 * @example
 * const w = kaimingUniform([64, 3, 3, 3], { a: Math.sqrt(5), generator: new Generator(0) });
 * xavierUniform(linear.weight, { gain: calculateGain('tanh') }); // in place
 */

/** Something to initialize: a shape (a new tensor is returned) or a tensor (filled in place). */
export type InitTarget = Shape | Tensor;

export interface InitOptions {
  generator?: Generator;
  /** dtype of a new tensor (float32 by default; a target tensor keeps its dtype). */
  dtype?: DType;
}

/** The nonlinearities `calculateGain` knows (those of `torch.nn.init.calculate_gain`). */
export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'conv_transpose1d'
  | 'conv_transpose2d'
  | 'conv_transpose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'selu';

/**
 * The recommended gain for a nonlinearity (`torch.nn.init.calculate_gain`): 1 for linear/conv/
 * sigmoid, 5/3 for tanh, √2 for relu, √(2/(1+a²)) for leaky_relu (a = `param`, default 0.01),
 * 3/4 for selu.
 *
 * @example calculateGain('leaky_relu', 0.2) // ≈ 1.3868
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv_transpose1d':
    case 'conv_transpose2d':
    case 'conv_transpose3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const a = param ?? 0.01;
      return Math.sqrt(2 / (1 + a * a));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new Error(`calculateGain: unsupported nonlinearity '${String(nonlinearity)}'`);
  }
}

/**
 * `[fanIn, fanOut]` of a weight shape (`torch.nn.init._calculate_fan_in_and_fan_out`); needs at
 * least 2 dims.
 *
 * @example computeFans([16, 3, 5, 5]) // [75, 400]
 */
export function computeFans(shape: Shape): [number, number] {
  if (shape.length < 2) {
    throw new Error(`init: fan in and fan out cannot be computed for a tensor with fewer than 2 dims (shape [${shape.join(', ')}])`);
  }
  let receptive = 1;
  for (let i = 2; i < shape.length; i++) receptive *= shape[i]!;
  return [shape[1]! * receptive, shape[0]! * receptive];
}

function shapeOf(t: InitTarget): Shape {
  return isTensor(t) ? t.shape : t;
}

/** Returns `value` for a shape target, or assigns it into the tensor target and returns that. */
function finish(target: InitTarget, make: (dtype: DType) => Tensor, opts: InitOptions): Tensor {
  if (!isTensor(target)) return make(opts.dtype ?? 'float32');
  noGrad(() => {
    const v = make(target.dtype);
    target.assign(v);
    v.dispose();
  });
  return target;
}

function uniformInit(target: InitTarget, bound: number, opts: InitOptions): Tensor {
  return finish(target, (dtype) => uniform([...shapeOf(target)], -bound, bound, { generator: opts.generator, dtype }), opts);
}

function normalInit(target: InitTarget, std: number, opts: InitOptions): Tensor {
  return finish(target, (dtype) => normal([...shapeOf(target)], 0, std, { generator: opts.generator, dtype }), opts);
}

/**
 * U(low, high) (`torch.nn.init.uniform_`).
 *
 * @example uniformInitializer([3, 3], -0.1, 0.1)
 */
export function uniformInitializer(target: InitTarget, low = 0, high = 1, opts: InitOptions = {}): Tensor {
  return finish(target, (dtype) => uniform([...shapeOf(target)], low, high, { generator: opts.generator, dtype }), opts);
}

/**
 * N(mean, std²) (`torch.nn.init.normal_`).
 *
 * @example normalInitializer([3, 3], 0, 0.02)
 */
export function normalInitializer(target: InitTarget, mean = 0, std = 1, opts: InitOptions = {}): Tensor {
  return finish(target, (dtype) => normal([...shapeOf(target)], mean, std, { generator: opts.generator, dtype }), opts);
}

export interface KaimingOptions extends InitOptions {
  /** Negative slope of the rectifier after this layer (leaky_relu only); default 0. */
  a?: number;
  /** 'fan_in' (default) keeps the forward variance, 'fan_out' the backward one. */
  mode?: 'fan_in' | 'fan_out';
  /** Default 'leaky_relu' (with a = 0 this is ReLU's gain √2), as in PyTorch. */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(shape: Shape, opts: KaimingOptions): number {
  const [fanIn, fanOut] = computeFans(shape);
  const fan = (opts.mode ?? 'fan_in') === 'fan_in' ? fanIn : fanOut;
  const gain = calculateGain(opts.nonlinearity ?? 'leaky_relu', opts.a ?? 0);
  return fan === 0 ? 0 : gain / Math.sqrt(fan);
}

/**
 * He uniform (`torch.nn.init.kaiming_uniform_`): U(±gain·√(3/fan)). With `a: Math.sqrt(5)`
 * this is PyTorch's default Linear/Conv weight init, U(±1/√fan_in).
 *
 * @example kaimingUniform([128, 64], { nonlinearity: 'relu' })
 */
export function kaimingUniform(target: InitTarget, opts: KaimingOptions = {}): Tensor {
  return uniformInit(target, Math.sqrt(3) * kaimingStd(shapeOf(target), opts), opts);
}

/**
 * He normal (`torch.nn.init.kaiming_normal_`): N(0, (gain/√fan)²).
 *
 * @example kaimingNormal([64, 3, 3, 3], { mode: 'fan_out', nonlinearity: 'relu' })
 */
export function kaimingNormal(target: InitTarget, opts: KaimingOptions = {}): Tensor {
  return normalInit(target, kaimingStd(shapeOf(target), opts), opts);
}

export interface XavierOptions extends InitOptions {
  /** Scaling factor (default 1); see `calculateGain`. */
  gain?: number;
}

function xavierStd(shape: Shape, opts: XavierOptions): number {
  const [fanIn, fanOut] = computeFans(shape);
  return (opts.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut));
}

/**
 * Glorot uniform (`torch.nn.init.xavier_uniform_`): U(±gain·√(6/(fan_in+fan_out))).
 *
 * @example xavierUniform([10, 20], { gain: calculateGain('tanh') })
 */
export function xavierUniform(target: InitTarget, opts: XavierOptions = {}): Tensor {
  return uniformInit(target, Math.sqrt(3) * xavierStd(shapeOf(target), opts), opts);
}

/**
 * Glorot normal (`torch.nn.init.xavier_normal_`): N(0, gain²·2/(fan_in+fan_out)).
 *
 * @example xavierNormal([10, 20])
 */
export function xavierNormal(target: InitTarget, opts: XavierOptions = {}): Tensor {
  return normalInit(target, xavierStd(shapeOf(target), opts), opts);
}

/**
 * LeCun uniform: U(±√(3/fan_in)) (variance 1/fan_in; the init for SELU networks).
 *
 * @example lecunUniform([32, 16])
 */
export function lecunUniform(target: InitTarget, opts: InitOptions = {}): Tensor {
  const [fanIn] = computeFans(shapeOf(target));
  return uniformInit(target, Math.sqrt(3 / fanIn), opts);
}

/**
 * LeCun normal: N(0, 1/fan_in).
 *
 * @example lecunNormal([32, 16])
 */
export function lecunNormal(target: InitTarget, opts: InitOptions = {}): Tensor {
  const [fanIn] = computeFans(shapeOf(target));
  return normalInit(target, 1 / Math.sqrt(fanIn), opts);
}

/**
 * A (semi-)orthogonal matrix (`torch.nn.init.orthogonal_`): the Q factor of a standard normal
 * matrix of shape [rows, ∏ rest] (transposed when rows < cols), with signs fixed by R's diagonal
 * so the distribution is uniform (Haar), times `gain`. Computed by modified Gram–Schmidt in JS.
 *
 * @example orthogonal([4, 4], { gain: 1, generator: new Generator(0) })
 */
export function orthogonal(target: InitTarget, opts: XavierOptions = {}): Tensor {
  const shape = shapeOf(target);
  if (shape.length < 2) throw new Error(`orthogonal: only tensors with 2 or more dims are supported, got shape [${shape.join(', ')}]`);
  const rows = shape[0]!;
  const cols = shape.slice(1).reduce((a, b) => a * b, 1);
  const gain = opts.gain ?? 1;
  const g = opts.generator;
  return finish(
    target,
    (dtype) => {
      // Work on an m×n matrix A with m >= n (the transpose when rows < cols).
      const transposed = rows < cols;
      const m = transposed ? cols : rows;
      const n = transposed ? rows : cols;
      const draw = normal([m, n], 0, 1, { generator: g, dtype: 'float64' });
      const a = Float64Array.from(draw.dataSync());
      draw.dispose();
      // Column-wise modified Gram–Schmidt: A = QR, Q m×n with orthonormal columns, R_jj > 0 after sign fix.
      const q = new Float64Array(m * n);
      for (let j = 0; j < n; j++) {
        const v = new Float64Array(m);
        for (let i = 0; i < m; i++) v[i] = a[i * n + j]!;
        for (let k = 0; k < j; k++) {
          let dot = 0;
          for (let i = 0; i < m; i++) dot += q[i * n + k]! * v[i]!;
          for (let i = 0; i < m; i++) v[i]! -= dot * q[i * n + k]!;
        }
        let nrm = 0;
        for (let i = 0; i < m; i++) nrm += v[i]! * v[i]!;
        nrm = Math.sqrt(nrm);
        // Gram–Schmidt gives R_jj = nrm >= 0, which is the sign convention torch applies (q *= sign(diag r)).
        for (let i = 0; i < m; i++) q[i * n + j] = nrm > 0 ? v[i]! / nrm : 0;
      }
      const out = new Float64Array(rows * cols);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          const val = gain * q[i * n + j]!;
          if (transposed) out[j * cols + i] = val;
          else out[i * n + j] = val;
        }
      }
      return tensor(out, [...shape], dtype);
    },
    opts,
  );
}

/**
 * Fills with a constant (`torch.nn.init.constant_`).
 *
 * @example constant([3], 0.1)
 */
export function constant(target: InitTarget, value: number, opts: InitOptions = {}): Tensor {
  return finish(target, (dtype) => full([...shapeOf(target)], value, dtype), opts);
}

/**
 * Fills with zeros (`torch.nn.init.zeros_`).
 *
 * @example zerosInit([3])
 */
export function zerosInit(target: InitTarget, opts: InitOptions = {}): Tensor {
  return constant(target, 0, opts);
}

/**
 * Fills with ones (`torch.nn.init.ones_`).
 *
 * @example onesInit([3])
 */
export function onesInit(target: InitTarget, opts: InitOptions = {}): Tensor {
  return constant(target, 1, opts);
}

/** Namespace in the manner of `torch.nn.init` (`init.zeros`, `init.ones` do not clash with core's creation ops). */
export const init = {
  calculateGain,
  computeFans,
  uniform: uniformInitializer,
  normal: normalInitializer,
  kaimingUniform,
  kaimingNormal,
  xavierUniform,
  xavierNormal,
  lecunUniform,
  lecunNormal,
  orthogonal,
  constant,
  zeros: zerosInit,
  ones: onesInit,
};

/**
 * PyTorch's default init of a Linear/Conv layer: weight kaiming_uniform(a=√5) = U(±1/√fan_in),
 * bias U(±1/√fan_in). Returns `[weight, bias]` (bias null when `withBias` is false).
 *
 * @example const [w, b] = defaultLinearInit([out, inp], true, generator);
 */
export function defaultLayerInit(weightShape: Shape, biasShape: Shape | null, generator?: Generator, dtype: DType = 'float32'): [Tensor, Tensor | null] {
  const w = kaimingUniform(weightShape, { a: Math.sqrt(5), generator, dtype });
  let b: Tensor | null = null;
  if (biasShape) {
    const [fanIn] = computeFans(weightShape);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    b = uniform([...biasShape], -bound, bound, { generator, dtype });
  }
  return [w, b];
}
