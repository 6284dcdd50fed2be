#!/usr/bin/python3
"""Generates the golden fixtures of @mapnn/layers' losses from PyTorch.

Run with Debian's python3 (it has python3-torch 1.13; the python3 on PATH may lack torch):

    /usr/bin/python3 packages/layers/scripts/gen_loss_golden.py

Writes packages/layers/fixtures/losses.json. Each case stores the loss's mapnn name, its
arguments (inputs rounded to short float32-representable values, fixed seed), the options in
mapnn's vocabulary (tensor options as {shape, dtype, data}), PyTorch's output, a fixed random
`r` of the output's shape and PyTorch's gradients of sum(loss * r) with respect to the
arguments listed in `grads` (the input, and the target where PyTorch gives one).

The binary focal loss is torchvision.ops.sigmoid_focal_loss written out (torchvision is not
installed here); the multi-class focal loss, the binary SVM hinge and the distillation loss
are their formulas written with torch ops.
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.manual_seed(20240611)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'losses.json')
REDUCTIONS = ('mean', 'sum', 'none')


# ------------------------------------------------------------------ helpers
def f32(v):
    """Shortest decimal that round-trips the float32 value of v."""
    v = float(np.float32(v))
    if math.isnan(v) or math.isinf(v):
        raise ValueError('non-finite value in a fixture')
    out = float(str(np.float32(v)))
    return int(out) if out.is_integer() and abs(out) < 1e7 else out


DT = {torch.float32: 'float32', torch.int64: 'int64', torch.int32: 'int32'}


def spec(t):
    t = t.detach()
    dt = DT[t.dtype]
    flat = t.flatten().tolist()
    data = [f32(v) for v in flat] if dt == 'float32' else [int(v) for v in flat]
    return {'shape': list(t.shape), 'dtype': dt, 'data': data}


def q(t, step=1e-3):
    """Rounds to multiples of `step` (short decimals), as float32."""
    return (torch.round(t.double() / step) * step).to(torch.float32)


def rn(*shape, scale=1.0):
    return q(torch.randn(shape) * scale)


def ru(lo, hi, *shape):
    return q(torch.rand(shape) * (hi - lo) + lo)


def away(t, points=(0.0,), d=0.05):
    """Moves values within d of a kink point to distance 1.5·d (gradients well defined)."""
    t = t.clone()
    for p in points:
        near = (t - p).abs() < d
        t[near] = p + torch.where(t[near] >= p, torch.tensor(d), torch.tensor(-d)) * 1.5
    return q(t)


def labels(n, c, *extra):
    return torch.randint(0, c, (n,) + extra, dtype=torch.int64)


def pm1(*shape):
    return (torch.randint(0, 2, shape) * 2 - 1).to(torch.float32)


def probs(*shape, dim=-1):
    """Rounded probabilities (rows need not sum to 1 exactly; the losses don't care)."""
    return q(torch.softmax(torch.randn(shape) * 1.5, dim=dim))


CASES = []


def case(name, loss, args, fn, grad_args=('input',), **options):
    """args: ordered {name: tensor}; fn(*args) -> loss; grads w.r.t. grad_args."""
    ts = {k: (v.clone().requires_grad_(k in grad_args)) for k, v in args.items()}
    out = fn(*ts.values())
    r = rn(*out.shape) if out.dim() > 0 else q(torch.rand(()) + 0.5)
    gs = torch.autograd.grad((out * r).sum(), [ts[k] for k in grad_args])
    opts = {k: (spec(v) if torch.is_tensor(v) else v) for k, v in options.items() if v is not None}
    CASES.append({
        'name': name,
        'loss': loss,
        'args': {k: spec(v) for k, v in args.items()},
        'options': opts,
        'output': spec(out),
        'r': spec(r),
        'grads': {k: spec(g) for k, g in zip(grad_args, gs)},
    })


# ------------------------------------------------------------------ regression
x, y = rn(3, 4), rn(3, 4)
for red in REDUCTIONS:
    case(f'mse_{red}', 'mseLoss', {'input': x, 'target': y},
         lambda a, b, red=red: F.mse_loss(a, b, reduction=red), ('input', 'target'), reduction=red)

y1 = q(x + away(rn(3, 4)))
for red in REDUCTIONS:
    case(f'l1_{red}', 'l1Loss', {'input': x, 'target': y1},
         lambda a, b, red=red: F.l1_loss(a, b, reduction=red), ('input', 'target'), reduction=red)

xh = rn(3, 5, scale=1.5)
for delta in (1.0, 0.5):
    yh = q(xh + away(rn(3, 5, scale=1.5), points=(-delta, 0.0, delta)))
    for red in REDUCTIONS:
        case(f'huber_d{delta}_{red}', 'huberLoss', {'input': xh, 'target': yh},
             lambda a, b, red=red, delta=delta: F.huber_loss(a, b, reduction=red, delta=delta),
             ('input', 'target'), reduction=red, delta=delta)
for beta in (1.0, 0.5, 0.0):
    yh = q(xh + away(rn(3, 5, scale=1.5), points=(-beta, 0.0, beta)))
    for red in REDUCTIONS:
        case(f'smooth_l1_b{beta}_{red}', 'smoothL1Loss', {'input': xh, 'target': yh},
             lambda a, b, red=red, beta=beta: F.smooth_l1_loss(a, b, reduction=red, beta=beta),
             ('input', 'target'), reduction=red, beta=beta)

# ------------------------------------------------------------------ binary
p, yb, ys = ru(0.05, 0.95, 3, 4), torch.randint(0, 2, (3, 4)).float(), ru(0, 1, 3, 4)
wb = ru(0.5, 2, 4)
for red in REDUCTIONS:
    case(f'bce_{red}', 'bceLoss', {'input': p, 'target': yb},
         lambda a, b, red=red: F.binary_cross_entropy(a, b, reduction=red), reduction=red)
    case(f'bce_soft_weight_{red}', 'bceLoss', {'input': p, 'target': ys},
         lambda a, b, red=red: F.binary_cross_entropy(a, b, weight=wb, reduction=red),
         ('input', 'target'), reduction=red, weight=wb)

z = rn(3, 4, scale=2)
pw = ru(0.5, 4, 4)
for red in REDUCTIONS:
    case(f'bce_logits_{red}', 'bceWithLogitsLoss', {'input': z, 'target': yb},
         lambda a, b, red=red: F.binary_cross_entropy_with_logits(a, b, reduction=red), ('input', 'target'), reduction=red)
    case(f'bce_logits_weight_posweight_{red}', 'bceWithLogitsLoss', {'input': z, 'target': ys},
         lambda a, b, red=red: F.binary_cross_entropy_with_logits(a, b, weight=wb, pos_weight=pw, reduction=red),
         ('input', 'target'), reduction=red, weight=wb, posWeight=pw)
case('bce_logits_posweight_large_logits', 'bceWithLogitsLoss', {'input': q(torch.tensor([[-60.0, 35.0, 0.0, 80.0]])), 'target': torch.tensor([[1.0, 0.0, 1.0, 1.0]])},
     lambda a, b: F.binary_cross_entropy_with_logits(a, b, pos_weight=pw), reduction='mean', posWeight=pw)

# ------------------------------------------------------------------ classification
N, C = 6, 4
logits = rn(N, C, scale=1.5)
t = labels(N, C)
t_ign = t.clone()
t_ign[[1, 4]] = -100
t_ign2 = t.clone()
t_ign2[[0, 3]] = 2
wc = ru(0.3, 2, C)
for red in REDUCTIONS:
    def ce(**kw):
        return lambda a, b: F.cross_entropy(a, b, reduction=red, **kw)
    case(f'ce_{red}', 'crossEntropyLoss', {'input': logits, 'target': t}, ce(), reduction=red)
    case(f'ce_weight_{red}', 'crossEntropyLoss', {'input': logits, 'target': t}, ce(weight=wc), reduction=red, weight=wc)
    case(f'ce_ignore_{red}', 'crossEntropyLoss', {'input': logits, 'target': t_ign}, ce(), reduction=red)
    case(f'ce_ignore_custom_{red}', 'crossEntropyLoss', {'input': logits, 'target': t_ign2}, ce(ignore_index=2),
         reduction=red, ignoreIndex=2)
    case(f'ce_weight_ignore_{red}', 'crossEntropyLoss', {'input': logits, 'target': t_ign}, ce(weight=wc),
         reduction=red, weight=wc)
    case(f'ce_smooth_{red}', 'crossEntropyLoss', {'input': logits, 'target': t}, ce(label_smoothing=0.1),
         reduction=red, labelSmoothing=0.1)
    case(f'ce_smooth_weight_ignore_{red}', 'crossEntropyLoss', {'input': logits, 'target': t_ign},
         ce(weight=wc, label_smoothing=0.2), reduction=red, weight=wc, labelSmoothing=0.2)
    case(f'ce_smooth_weight_{red}', 'crossEntropyLoss', {'input': logits, 'target': t},
         ce(weight=wc, label_smoothing=0.15), reduction=red, weight=wc, labelSmoothing=0.15)
pt = probs(N, C)
for red in REDUCTIONS:
    case(f'ce_probs_{red}', 'crossEntropyLoss', {'input': logits, 'target': pt},
         lambda a, b, red=red: F.cross_entropy(a, b, reduction=red), ('input', 'target'), reduction=red)
    case(f'ce_probs_weight_smooth_{red}', 'crossEntropyLoss', {'input': logits, 'target': pt},
         lambda a, b, red=red: F.cross_entropy(a, b, weight=wc, label_smoothing=0.1, reduction=red),
         ('input', 'target'), reduction=red, weight=wc, labelSmoothing=0.1)
# K-dimensional: [N, C, d1, d2]
xk = rn(2, 3, 2, 3, scale=1.5)
tk = labels(2, 3, 2, 3)
tk[0, 1, 2] = -100
tk[1, 0, 0] = -100
wk = ru(0.3, 2, 3)
pk = probs(2, 3, 2, 3, dim=1)
for red in REDUCTIONS:
    case(f'ce_kdim_weight_ignore_{red}', 'crossEntropyLoss', {'input': xk, 'target': tk},
         lambda a, b, red=red: F.cross_entropy(a, b, weight=wk, reduction=red), reduction=red, weight=wk)
    case(f'ce_kdim_smooth_weight_{red}', 'crossEntropyLoss', {'input': xk, 'target': tk},
         lambda a, b, red=red: F.cross_entropy(a, b, weight=wk, label_smoothing=0.1, reduction=red),
         reduction=red, weight=wk, labelSmoothing=0.1)
    case(f'ce_kdim_probs_{red}', 'crossEntropyLoss', {'input': xk, 'target': pk},
         lambda a, b, red=red: F.cross_entropy(a, b, reduction=red), ('input', 'target'), reduction=red)
# unbatched [C]
case('ce_unbatched', 'crossEntropyLoss', {'input': logits[0], 'target': t[0]},
     lambda a, b: F.cross_entropy(a, b), reduction='mean')
case('ce_unbatched_none', 'crossEntropyLoss', {'input': logits[0], 'target': t[0]},
     lambda a, b: F.cross_entropy(a, b, reduction='none', label_smoothing=0.1), reduction='none', labelSmoothing=0.1)

lp = q(torch.log_softmax(rn(N, C, scale=1.5), 1))
for red in REDUCTIONS:
    case(f'nll_{red}', 'nllLoss', {'input': lp, 'target': t}, lambda a, b, red=red: F.nll_loss(a, b, reduction=red), reduction=red)
    case(f'nll_weight_ignore_{red}', 'nllLoss', {'input': lp, 'target': t_ign},
         lambda a, b, red=red: F.nll_loss(a, b, weight=wc, reduction=red), reduction=red, weight=wc)
    case(f'nll_kdim_{red}', 'nllLoss', {'input': q(torch.log_softmax(xk, 1)), 'target': tk},
         lambda a, b, red=red: F.nll_loss(a, b, weight=wk, reduction=red), reduction=red, weight=wk)

# ------------------------------------------------------------------ margins
xe = away(rn(3, 4, scale=1.5), points=(1.0, 0.5))
ye = pm1(3, 4)
for red in REDUCTIONS:
    for margin in (1.0, 0.5):
        case(f'hinge_embedding_m{margin}_{red}', 'hingeEmbeddingLoss', {'input': xe, 'target': ye},
             lambda a, b, red=red, margin=margin: F.hinge_embedding_loss(a, b, margin=margin, reduction=red),
             reduction=red, margin=margin)

xs_ = rn(8, scale=1.5)
ysvm = pm1(8)
xs_ = q(torch.where((1 - ysvm * xs_).abs() < 0.05, xs_ + 0.2, xs_))
for red in REDUCTIONS:
    def hinge(a, b, red=red):
        l = torch.clamp(1 - b * a, min=0)
        return l.mean() if red == 'mean' else l.sum() if red == 'sum' else l
    case(f'hinge_svm_{red}', 'hingeLoss', {'input': xs_, 'target': ysvm}, hinge, reduction=red)


def mm_safe(x, t, margin):
    """Moves scores so that no margin - x[y] + x[i] is within 0.05 of the kink."""
    x = x.clone()
    for n in range(x.shape[0]):
        for i in range(x.shape[1]):
            if i == t[n]:
                continue
            z = margin - x[n, t[n]] + x[n, i]
            if abs(z) < 0.05:
                x[n, i] += 0.2
    return q(x)


tm = labels(5, C)
xm1 = mm_safe(rn(5, C), tm, 1.0)
xm2 = mm_safe(rn(5, C), tm, 0.5)
for red in REDUCTIONS:
    case(f'multi_margin_{red}', 'multiMarginLoss', {'input': xm1, 'target': tm},
         lambda a, b, red=red: F.multi_margin_loss(a, b, reduction=red), reduction=red)
    case(f'multi_margin_p2_weight_{red}', 'multiMarginLoss', {'input': xm2, 'target': tm},
         lambda a, b, red=red: F.multi_margin_loss(a, b, p=2, margin=0.5, weight=wc, reduction=red),
         reduction=red, p=2, margin=0.5, weight=wc)
case('multi_margin_unbatched', 'multiMarginLoss', {'input': xm1[0], 'target': tm[0]},
     lambda a, b: F.multi_margin_loss(a, b), reduction='mean')

xml = rn(3, 5)
tml = torch.tensor([[3, 0, -1, 1, 2], [1, 2, 4, 0, -1], [4, -1, 0, 0, 0]], dtype=torch.int64)
for red in REDUCTIONS:
    case(f'multilabel_margin_{red}', 'multilabelMarginLoss', {'input': xml, 'target': tml},
         lambda a, b, red=red: F.multilabel_margin_loss(a, b, reduction=red), reduction=red)

# ------------------------------------------------------------------ distributions
lin = q(torch.log_softmax(rn(3, 5, scale=1.5), 1))
ptk = probs(3, 5)
ptk[0, 2] = 0.0
for red in REDUCTIONS + ('batchmean',):
    case(f'kl_div_{red}', 'klDivLoss', {'input': lin, 'target': ptk},
         lambda a, b, red=red: F.kl_div(a, b, reduction=red), reduction=red)
    ltk = q(torch.log_softmax(rn(3, 5), 1))
    case(f'kl_div_log_target_{red}', 'klDivLoss', {'input': lin, 'target': ltk},
         lambda a, b, red=red: F.kl_div(a, b, reduction=red, log_target=True), reduction=red, logTarget=True)

s_log, t_log = rn(3, 5, scale=2), rn(3, 5, scale=2)
for T in (1.0, 4.0):
    case(f'distill_T{T}', 'softTargetDistillationLoss', {'student': s_log, 'teacher': t_log},
         lambda a, b, T=T: F.kl_div(F.log_softmax(a / T, 1), F.log_softmax(b / T, 1), reduction='batchmean', log_target=True) * T * T,
         ('student',), temperature=T)

# ------------------------------------------------------------------ focal


def sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2.0, reduction='none'):
    """torchvision.ops.sigmoid_focal_loss (0.14), written out."""
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction='none')
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    if reduction == 'mean':
        loss = loss.mean()
    elif reduction == 'sum':
        loss = loss.sum()
    return loss


for red in REDUCTIONS:
    case(f'focal_{red}', 'focalLoss', {'input': z, 'target': yb},
         lambda a, b, red=red: sigmoid_focal_loss(a, b, reduction=red), reduction=red)
    case(f'focal_noalpha_g1.5_{red}', 'focalLoss', {'input': z, 'target': ys},
         lambda a, b, red=red: sigmoid_focal_loss(a, b, alpha=-1, gamma=1.5, reduction=red), reduction=red, alpha=-1, gamma=1.5)
case('focal_gamma0_alpha0.6', 'focalLoss', {'input': z, 'target': yb},
     lambda a, b: sigmoid_focal_loss(a, b, alpha=0.6, gamma=0.0, reduction='mean'), reduction='mean', alpha=0.6, gamma=0)


def softmax_focal(x, t, gamma=2.0, alpha=None, ignore_index=-100, reduction='mean'):
    valid = t != ignore_index
    safe = torch.where(valid, t, torch.zeros_like(t))
    logpt = torch.log_softmax(x, 1).gather(1, safe.unsqueeze(1)).squeeze(1)
    loss = -((1 - logpt.exp()) ** gamma) * logpt
    if alpha is not None:
        loss = loss * alpha[safe]
    loss = loss * valid
    if reduction == 'mean':
        return loss.sum() / valid.sum()
    return loss.sum() if reduction == 'sum' else loss


for red in REDUCTIONS:
    case(f'softmax_focal_{red}', 'softmaxFocalLoss', {'input': logits, 'target': t},
         lambda a, b, red=red: softmax_focal(a, b, reduction=red), reduction=red)
    case(f'softmax_focal_alpha_ignore_g3_{red}', 'softmaxFocalLoss', {'input': logits, 'target': t_ign},
         lambda a, b, red=red: softmax_focal(a, b, gamma=3.0, alpha=wc, reduction=red), reduction=red, gamma=3, alpha=wc)
    case(f'softmax_focal_kdim_{red}', 'softmaxFocalLoss', {'input': xk, 'target': tk},
         lambda a, b, red=red: softmax_focal(a, b, gamma=1.0, reduction=red), reduction=red, gamma=1)

# ------------------------------------------------------------------ embeddings
a1, a2 = rn(5, 4), rn(5, 4)
yc = torch.tensor([1.0, -1.0, 1.0, -1.0, -1.0])
a2[3] = q(a1[3] * 0.8 + 0.1 * a2[3])  # a similar pair labelled -1 (positive margin term)
for red in REDUCTIONS:
    for margin in (0.0, 0.3):
        case(f'cosine_embedding_m{margin}_{red}', 'cosineEmbeddingLoss', {'input1': a1, 'input2': a2, 'target': yc},
             lambda u, v, w, red=red, margin=margin: F.cosine_embedding_loss(u, v, w, margin=margin, reduction=red),
             ('input1', 'input2'), reduction=red, margin=margin)


# check that no case sits on a kink of the 'margin' losses (cosine - margin for y = -1)
with torch.no_grad():
    cos = F.cosine_similarity(a1, a2, dim=1, eps=0)
    for m in (0.0, 0.3):
        assert all(abs(float(c) - m) > 0.02 for c, y_ in zip(cos, yc) if y_ < 0), 'cosine case near a kink'

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, 'w') as f:
    f.write('{"torch": "%s", "cases": [\n' % torch.__version__)
    f.write(',\n'.join(json.dumps(c, separators=(',', ':')) for c in CASES))
    f.write('\n]}\n')
print(f'wrote {len(CASES)} cases to {os.path.relpath(OUT)}')
