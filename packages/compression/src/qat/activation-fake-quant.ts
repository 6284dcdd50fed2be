import { maximum, noGrad, tensor, tidy, type Tensor } from '@mapnn/core';
import { buffer, Module, parameter } from '@mapnn/layers';
import { MovingAverageMinMaxObserver } from '../quantization/min-max.js';
import { computeQParams, quantRange, type QParams, type QuantDType } from '../quantization/qparams.js';
import { fakeQuantizeLearnable, fakeQuantizeSte } from './ste.js';

export interface ActivationFakeQuantOptions {
  /** Activation type (default 'int8': per tensor, asymmetric, [−128, 127]). */
  dtype?: QuantDType;
  /** Weight of each batch's min / max in the moving averages (default 0.01, PyTorch's). */
  averagingConstant?: number;
  /** Stop observing after this many training batches (default: never; with `learnableScale`, 1). */
  freezeAfter?: number | null;
  /** Learn the scale by gradient descent once the observer is frozen (LSQ, Esser et al. 2019). */
  learnableScale?: boolean;
  /** What the errors name, e.g. "layer 'fc1' input". */
  where?: string;
}

const SMALLEST_SCALE = 1.1754943508222875e-38;

/**
 * Per-tensor activation fake quantization for quantization-aware training
 * (`torch.ao.quantization.FakeQuantize` with a `MovingAverageMinMaxObserver`): in training mode,
 * while observing, each batch moves the EMA min / max (c = 0.01) and the scale and zero point
 * are recomputed from them (`computeQParams`, the same as post-training calibration); the
 * input is then fake-quantized with the straight-through estimator. In eval mode (or once
 * frozen after `freezeAfter` batches) the parameters stay fixed. With `learnableScale` the
 * scale is a parameter trained by LSQ's gradient after the observer froze (zero point fixed).
 * State: `scale` and `zero_point` (0-d float32).
 */
export class ActivationFakeQuant extends Module {
  scale: Tensor;
  zero_point: Tensor;
  readonly dtype: QuantDType;
  readonly learnableScale: boolean;
  readonly freezeAfter: number | null;
  readonly where: string;
  /** Training batches observed so far. */
  observedBatches = 0;
  private observer: MovingAverageMinMaxObserver;
  private observing = true;

  constructor(options: ActivationFakeQuantOptions = {}) {
    super();
    this.dtype = options.dtype ?? 'int8';
    this.learnableScale = options.learnableScale ?? false;
    this.freezeAfter = options.freezeAfter ?? (this.learnableScale ? 1 : null);
    this.where = options.where ?? 'activation';
    if (this.freezeAfter !== null && !(Number.isInteger(this.freezeAfter) && this.freezeAfter >= 1)) {
      throw new RangeError(`prepareQat: freezeObserversAfter must be a whole number ≥ 1 of batches, got ${this.freezeAfter}`);
    }
    this.observer = new MovingAverageMinMaxObserver(options.averagingConstant ?? 0.01);
    this.scale = this.learnableScale ? parameter(tensor(1)) : buffer(tensor(1));
    this.zero_point = buffer(tensor(0));
  }

  /** Whether training batches still move the observed range. */
  get isObserving(): boolean {
    return this.observing;
  }

  /** Stops observing (PyTorch's `disable_observer`); the scale and zero point stay as they are. */
  freezeObserver(): this {
    this.observing = false;
    return this;
  }

  /** The current scale and zero point (throws when no batch was observed yet). */
  qparams(): QParams {
    if (this.observedBatches === 0) throw new Error(`QAT ${this.where}: no training batch was observed yet, so it has no scale (train, or run a batch in training mode, first)`);
    return { scale: Math.fround(this.scale.item()), zeroPoint: this.zero_point.item(), dtype: this.dtype };
  }

  /** The observed (EMA) range [min, max]. */
  observedRange(): [number, number] {
    this.qparams();
    return this.observer.range();
  }

  private observe(x: Tensor): void {
    try {
      this.observer.observe(x.dataSync());
    } catch (e) {
      throw new RangeError(`QAT ${this.where}: the observed activations are not finite: ${(e as Error).message}`);
    }
    const q = computeQParams(...this.observer.range(), { dtype: this.dtype });
    noGrad(() =>
      tidy(() => {
        this.scale.assign(tensor(q.scale));
        this.zero_point.assign(tensor(q.zeroPoint));
      }),
    );
    this.observedBatches++;
    if (this.freezeAfter !== null && this.observedBatches >= this.freezeAfter) this.observing = false;
  }

  forward(x: Tensor): Tensor {
    if (this.training && this.observing) this.observe(x);
    const q = this.qparams();
    const [qmin, qmax] = quantRange(this.dtype);
    if (this.learnableScale && !this.observing) {
      if (!(q.scale >= SMALLEST_SCALE)) noGrad(() => tidy(() => this.scale.assign(maximum(this.scale, SMALLEST_SCALE))));
      return fakeQuantizeLearnable(x, this.scale, q.zeroPoint, { qmin, qmax }, 1 / Math.sqrt(x.size * qmax));
    }
    return fakeQuantizeSte(x, q.scale, q.zeroPoint, { qmin, qmax });
  }

  override describe(): string {
    return `ActivationFakeQuant(${this.dtype}, ${this.learnableScale ? 'learnable scale' : 'EMA min/max'}${this.observing ? '' : ', frozen'})`;
  }
}
