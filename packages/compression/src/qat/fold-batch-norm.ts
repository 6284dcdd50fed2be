import { add, mul, noGrad, ones, reshape, rsqrt, sub, tidy, zeros, type Tensor } from '@mapnn/core';
import { BatchNorm2d, Conv2d, getModuleEntry, Module, parameter, registerModule, Sequential } from '@mapnn/layers';

/**
 * Stands where a BatchNorm2d was folded into the Conv2d before it (PyTorch's `fuse_modules`
 * leaves `nn.Identity` there): passes its input through, so state-dict paths stay as they were.
 */
export class FoldedBatchNorm extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }

  override describe(): string {
    return 'FoldedBatchNorm (in the Conv2d before)';
  }
}

/** Registers `FoldedBatchNorm` with the module registry (once), so folded models save, load and copy. */
export function registerFoldedBatchNorm(): void {
  if (getModuleEntry('FoldedBatchNorm')?.cls === FoldedBatchNorm) return;
  registerModule('FoldedBatchNorm', FoldedBatchNorm, { getConfig: () => ({}), fromConfig: () => new FoldedBatchNorm() });
}

/** The folded weight and bias of a Conv2d followed by an inference-mode BatchNorm2d. */
export interface FoldedConv {
  weight: Tensor;
  bias: Tensor;
}

/**
 * The weight and bias of `conv` with the inference-mode `bn` after it folded in, in the float32
 * operation order of `torch.nn.utils.fusion.fuse_conv_bn_weights`: with r = 1/√(var + ε),
 * w' = w · (γ · r) per output channel and b' = (b − mean) · r · γ + β (a missing conv bias is 0,
 * a non-affine BatchNorm has γ = 1, β = 0). Throws naming the layers when they do not fit.
 *
 * @example
 * const { weight, bias } = foldConvBatchNorm(conv, bn); // conv(x; weight, bias) = bn(conv(x)) in eval mode
 */
export function foldConvBatchNorm(conv: Conv2d, bn: BatchNorm2d, where = 'foldBatchNorm'): FoldedConv {
  const c = conv.outChannels;
  if (bn.numFeatures !== c) throw new Error(`${where}: BatchNorm2d has ${bn.numFeatures} features but the Conv2d before it has ${c} output channels`);
  if (!bn.running_mean || !bn.running_var) throw new Error(`${where}: a BatchNorm2d without running statistics (trackRunningStats: false) cannot be folded`);
  if (conv.activation !== 'none') throw new Error(`${where}: the Conv2d has activation '${conv.activation}' before the BatchNorm2d, which cannot be folded through it`);
  return noGrad(() =>
    tidy(() => {
      const r = rsqrt(add(bn.running_var!, bn.eps));
      const gamma = bn.weight ?? ones([c]);
      const beta = bn.bias ?? zeros([c]);
      const b = conv.bias ?? zeros([c]);
      const weight = mul(conv.weight, reshape(mul(gamma, r), [c, 1, 1, 1]));
      const bias = add(mul(mul(sub(b, bn.running_mean!), r), gamma), beta);
      return { weight, bias };
    }),
  );
}

/** A Conv2d directly followed by a BatchNorm2d in a Sequential: their paths and modules. */
export interface ConvBnPair {
  convPath: string;
  bnPath: string;
  conv: Conv2d;
  bn: BatchNorm2d;
}

const join = (parent: string, name: string) => (parent ? `${parent}.${name}` : name);

/** Every Conv2d → BatchNorm2d pair that sits next to each other in a Sequential of `model`. */
export function convBatchNormPairs(model: Module<any, any>): ConvBnPair[] {
  const pairs: ConvBnPair[] = [];
  for (const [path, m] of model.namedModules()) {
    if (!(m instanceof Sequential)) continue;
    const kids = m.namedChildren();
    for (let i = 0; i + 1 < kids.length; i++) {
      const [cn, conv] = kids[i]!;
      const [bnName, bn] = kids[i + 1]!;
      if (conv instanceof Conv2d && bn instanceof BatchNorm2d) pairs.push({ convPath: join(path, cn), bnPath: join(path, bnName), conv, bn });
    }
  }
  return pairs;
}

/**
 * Folds every BatchNorm2d that directly follows a Conv2d in a Sequential into that Conv2d, in
 * place (`torch.ao.quantization.fuse_modules` on the pair, inference semantics: the running
 * statistics and affine parameters go into the conv's weight and bias, see `foldConvBatchNorm`);
 * the BatchNorm becomes a pass-through `FoldedBatchNorm`. The conv gets new weight and bias
 * parameters (a conv without bias gains one), so build optimizers afterwards. Returns the
 * folded pairs (paths). The model computes in training mode what it computed in eval mode before.
 *
 * @example
 * const folded = foldBatchNorm(model); // [{ conv: '0', batchNorm: '1' }]
 */
export function foldBatchNorm(model: Module<any, any>): { conv: string; batchNorm: string }[] {
  const pairs = convBatchNormPairs(model);
  registerFoldedBatchNorm();
  const folded = pairs.map((p) => ({ p, f: foldConvBatchNorm(p.conv, p.bn, `foldBatchNorm: layers '${p.convPath}' → '${p.bnPath}'`) }));
  for (const { p, f } of folded) {
    p.conv.weight = parameter(f.weight);
    p.conv.bias = parameter(f.bias);
    const dot = p.bnPath.lastIndexOf('.');
    const parent = dot < 0 ? model : model.namedModules().find(([q]) => q === p.bnPath.slice(0, dot))![1];
    Object.defineProperty(parent, p.bnPath.slice(dot + 1), { value: new FoldedBatchNorm(), enumerable: true, writable: true, configurable: true });
  }
  return pairs.map((p) => ({ conv: p.convPath, batchNorm: p.bnPath }));
}
