#!/usr/bin/python3
"""Generates the golden fixtures of the mapnn backend conformance suite from PyTorch.

Run with Debian's python3 (it has python3-torch 1.13):

    /usr/bin/python3 tooling/backend-tests/scripts/gen_golden.py

Writes tooling/backend-tests/fixtures/<family>.json. Every case stores its inputs (generated
here from a fixed seed, rounded to short float32-representable values), the attributes in
mapnn's vocabulary, PyTorch's output(s) and, for differentiable cases, a fixed random `r` of
the output's shape and PyTorch's gradient of sum(op(x) * r) with respect to every float input.
The TypeScript table in src/cases/*.ts maps each case's `op` to the mapnn call.

Case fields: name, op, attrs, inputs, output (tensor or list of tensors), r, grads (one entry
per input, null where no gradient is checked), fd (false: skip the float64
finite-difference check of this case, e.g. inputs deliberately on a kink).
"""
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.manual_seed(20240601)
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures')


# ------------------------------------------------------------------ helpers
def f32(v):
    """Shortest decimal that round-trips the float32 value of v."""
    v = float(np.float32(v))
    if math.isnan(v) or math.isinf(v):
        raise ValueError('non-finite value in a fixture')
    out = float(str(np.float32(v)))
    return int(out) if out.is_integer() and abs(out) < 1e7 else out


DT = {torch.float32: 'float32', torch.int64: 'int64', torch.int32: 'int32', torch.bool: 'bool'}


def spec(t):
    t = t.detach()
    dt = DT[t.dtype]
    flat = t.flatten().tolist()
    if dt == 'float32':
        data = [f32(v) for v in flat]
    else:
        data = [int(v) for v in flat]
    return {'shape': list(t.shape), 'dtype': dt, 'data': data}


def q(t, step=1e-3):
    """Rounds to multiples of `step` (short decimals), as float32."""
    return (torch.round(t.double() / step) * step).to(torch.float32)


def rn(*shape, scale=1.0):
    return q(torch.randn(shape) * scale)


def ru(lo, hi, *shape):
    return q(torch.rand(shape) * (hi - lo) + lo)


def away(t, points=(0.0,), d=0.05):
    """Moves values within d of a kink point to distance d (so gradients are well defined)."""
    t = t.clone()
    for p in points:
        near = (t - p).abs() < d
        t[near] = p + torch.where(t[near] >= p, torch.tensor(d), torch.tensor(-d)) * 1.5
    return q(t)


def distinct(*shape, scale=1.0):
    """Random values without ties (for max/min/argmax gradients and pooling)."""
    n = int(np.prod(shape))
    perm = torch.randperm(n).to(torch.float32)
    return q((perm / n - 0.5) * 2 * scale + torch.rand(n) * 0.01).reshape(*shape)


def idx(values, shape=None):
    t = torch.tensor(values, dtype=torch.int64)
    return t.reshape(shape) if shape else t


FAMILIES = {}
_current = None


def family(name):
    global _current
    _current = FAMILIES.setdefault(name, [])


def case(name, op, inputs, fn, attrs=None, grad=True, nograd=(), fd=True):
    """Adds one case: fn(*inputs) is PyTorch's result (tensor or list of tensors)."""
    ins = []
    for i, t in enumerate(inputs):
        t = t.detach().clone()
        if grad and t.is_floating_point() and i not in nograd:
            t.requires_grad_(True)
        ins.append(t)
    out = fn(*ins)
    outs = list(out) if isinstance(out, (list, tuple)) else [out]
    c = {'name': name, 'op': op, 'attrs': attrs or {}, 'inputs': [spec(t) for t in inputs]}
    c['output'] = [spec(o) for o in outs] if isinstance(out, (list, tuple)) else spec(out)
    wrt = [t for t in ins if t.requires_grad]
    if wrt and all(o.is_floating_point() for o in outs):
        rs = [rn(*o.shape) for o in outs]
        loss = sum((o * r).sum() for o, r in zip(outs, rs))
        gs = torch.autograd.grad(loss, wrt, allow_unused=True)
        it = iter(gs)
        grads = []
        for t in ins:
            if t.requires_grad:
                g = next(it)
                grads.append(spec(g if g is not None else torch.zeros_like(t)))
            else:
                grads.append(None)
        c['r'] = [spec(r) for r in rs] if isinstance(out, (list, tuple)) else spec(rs[0])
        c['grads'] = grads
        if not fd:
            c['fd'] = False
    _current.append(c)


# ------------------------------------------------------------------ elementwise unary
family('unary')
x = rn(3, 4)
pos = ru(0.1, 3.0, 3, 4)
UNARY = {
    'neg': (torch.neg, x), 'abs': (torch.abs, away(x)), 'exp': (torch.exp, x), 'expm1': (torch.expm1, x),
    'log': (torch.log, pos), 'log1p': (torch.log1p, ru(-0.9, 3.0, 3, 4)), 'sqrt': (torch.sqrt, pos),
    'rsqrt': (torch.rsqrt, pos), 'square': (torch.square, x), 'sin': (torch.sin, rn(3, 4, scale=2)),
    'cos': (torch.cos, rn(3, 4, scale=2)), 'tanh': (torch.tanh, x), 'sigmoid': (torch.sigmoid, rn(3, 4, scale=3)),
    'relu': (torch.relu, away(x)), 'relu6': (F.relu6, away(rn(3, 4, scale=5), (0.0, 6.0))),
    'erf': (torch.erf, x), 'sign': (torch.sign, away(x)), 'floor': (torch.floor, away(rn(3, 4, scale=3), range(-9, 10))),
    'ceil': (torch.ceil, away(rn(3, 4, scale=3), range(-9, 10))),
    'reciprocal': (torch.reciprocal, away(x, (0.0,), 0.2)),
    'selu': (torch.selu, away(rn(3, 4, scale=2))), 'silu': (F.silu, rn(3, 4, scale=2)),
}
for name, (fn, inp) in UNARY.items():
    case(name, name, [inp], fn)
case('round', 'round', [away(rn(3, 4, scale=3), [k + 0.5 for k in range(-9, 9)])], torch.round)
case('round_half_to_even', 'round', [torch.tensor([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 0.49, -0.51, 4.5])], torch.round, grad=False)
case('leakyRelu_default', 'leakyRelu', [away(x)], F.leaky_relu)
case('leakyRelu_0.2', 'leakyRelu', [away(x)], lambda t: F.leaky_relu(t, 0.2), {'negativeSlope': 0.2})
case('elu_default', 'elu', [away(rn(3, 4, scale=2))], F.elu)
case('elu_alpha0.5', 'elu', [away(rn(3, 4, scale=2))], lambda t: F.elu(t, 0.5), {'alpha': 0.5})
case('gelu_none', 'gelu', [rn(3, 4, scale=2)], F.gelu)
case('gelu_tanh', 'gelu', [rn(3, 4, scale=2)], lambda t: F.gelu(t, approximate='tanh'), {'approximate': 'tanh'})
case('softplus_default', 'softplus', [rn(3, 4, scale=3)], F.softplus)
sp = away(rn(3, 4, scale=3), (0.5,), 0.1)
case('softplus_beta2_threshold1', 'softplus', [sp], lambda t: F.softplus(t, 2, 1), {'beta': 2, 'threshold': 1})
case('hardSigmoid_default', 'hardSigmoid', [away(rn(3, 4, scale=4), (-3.0, 3.0))], F.hardsigmoid)
case('hardSigmoid_0.2_0.5', 'hardSigmoid', [away(rn(3, 4, scale=4), (-2.5, 2.5))],
     lambda t: torch.clamp(0.2 * t + 0.5, 0, 1), {'alpha': 0.2, 'beta': 0.5})
cx = away(rn(3, 4, scale=2), (-0.5, 1.0))
case('clip_min_max', 'clip', [cx], lambda t: torch.clamp(t, -0.5, 1.0), {'min': -0.5, 'max': 1.0})
case('clip_min_only', 'clip', [cx], lambda t: torch.clamp(t, min=-0.5), {'min': -0.5})
case('clip_max_only', 'clip', [cx], lambda t: torch.clamp(t, max=1.0), {'max': 1.0})
case('clamp_alias', 'clamp', [cx], lambda t: torch.clamp(t, -0.5, 1.0), {'min': -0.5, 'max': 1.0})
lo_t, hi_t = q(torch.full((4,), -0.5) + torch.arange(4) * 0.1), q(torch.full((3, 1), 0.8))
cxt = away(cx, (-0.5, -0.4, -0.3, -0.2, 0.8))
case('clip_tensor_bounds', 'clipTensor', [cxt, lo_t, hi_t], lambda t, lo, hi: torch.min(torch.max(t, lo), hi), nograd=(1, 2))
case('logicalNot', 'logicalNot', [torch.tensor([[True, False, True], [False, False, True]])], torch.logical_not)
case('cast_f32_to_i32', 'cast', [torch.tensor([1.7, -1.7, 2.5, -0.2, 0.0, 100.9])], lambda t: t.to(torch.int32), {'dtype': 'int32'}, grad=False)
case('cast_f32_to_bool', 'cast', [torch.tensor([1.7, 0.0, -0.2, 0.0])], lambda t: t.to(torch.bool), {'dtype': 'bool'}, grad=False)
case('cast_i64_to_f32', 'cast', [idx([3, -2, 7])], lambda t: t.to(torch.float32), {'dtype': 'float32'})
case('cast_bool_to_f32', 'cast', [torch.tensor([True, False])], lambda t: t.to(torch.float32), {'dtype': 'float32'})
case('dropout_eval_identity', 'dropout', [x], lambda t: F.dropout(t, 0.5, False), {'p': 0.5, 'training': False})

# ------------------------------------------------------------------ binary
family('binary')
a23, b3 = rn(2, 3), rn(3)
c31, d14 = rn(3, 1), rn(1, 4)
e213, f41 = rn(2, 1, 3), rn(4, 1)
s0 = rn()
for name, fn in [('add', torch.add), ('sub', torch.sub), ('mul', torch.mul)]:
    case(f'{name}_same', name, [a23, rn(2, 3)], fn)
    case(f'{name}_row', name, [a23, b3], fn)
    case(f'{name}_outer', name, [c31, d14], fn)
    case(f'{name}_rank_mismatch', name, [e213, f41], fn)
    case(f'{name}_rank0', name, [s0, a23], fn)
    case(f'{name}_scalar', name, [a23], lambda t: fn(t, 2.5), {'scalar': 2.5})
    case(f'{name}_scalar_first', name, [a23], lambda t: fn(2.5, t), {'scalar': 2.5, 'scalarFirst': True})
nz3 = away(rn(3), (0.0,), 0.3)
case('div_same', 'div', [a23, away(rn(2, 3), (0.0,), 0.3)], torch.div)
case('div_row', 'div', [a23, nz3], torch.div)
case('div_outer', 'div', [c31, away(d14, (0.0,), 0.3)], torch.div)
case('div_scalar', 'div', [a23], lambda t: t / 2.5, {'scalar': 2.5})
case('div_scalar_first', 'div', [away(a23, (0.0,), 0.3)], lambda t: 2.5 / t, {'scalar': 2.5, 'scalarFirst': True})
pa = ru(0.2, 2.0, 2, 3)
case('pow_tensor', 'pow', [pa, rn(2, 3)], torch.pow)
case('pow_broadcast', 'pow', [ru(0.2, 2.0, 3, 1), rn(1, 4)], torch.pow)
case('pow_square', 'pow', [a23], lambda t: torch.pow(t, 2), {'scalar': 2})
case('pow_cube_negative_base', 'pow', [away(a23)], lambda t: torch.pow(t, 3), {'scalar': 3})
case('pow_sqrt', 'pow', [pa], lambda t: torch.pow(t, 0.5), {'scalar': 0.5})
case('pow_neg_exponent', 'pow', [pa], lambda t: torch.pow(t, -1.5), {'scalar': -1.5})
case('pow_scalar_base', 'pow', [a23], lambda t: torch.pow(2.0, t), {'scalar': 2.0, 'scalarFirst': True})
m1, m2 = distinct(2, 3), distinct(2, 3)
case('maximum', 'maximum', [m1, m2], torch.maximum)
case('maximum_broadcast', 'maximum', [distinct(3, 1), distinct(1, 4)], torch.maximum)
case('minimum', 'minimum', [m1, m2], torch.minimum)
case('minimum_broadcast', 'minimum', [distinct(3, 1), distinct(1, 4)], torch.minimum)
case('maximum_scalar', 'maximum', [away(a23, (0.1,))], lambda t: torch.clamp(t, min=0.1), {'scalar': 0.1})
ma = q(torch.tensor([[-3.0, 3.0, -1.0, 5.25], [0.75, -0.75, 7.0, -7.0]]))
mb = q(torch.tensor([[1.5, -1.5, 1.5, 2.0], [-2.5, 2.5, 0.5, -3.0]]))
case('mod_exact_signs', 'mod', [ma, mb], torch.remainder, grad=False)
case('mod_random', 'mod', [ru(-5, 5, 2, 4), away(ru(-3, 3, 2, 4), (0.0,), 0.5)], torch.remainder)
case('mod_scalar', 'mod', [ru(-5, 5, 2, 4)], lambda t: torch.remainder(t, 1.75), {'scalar': 1.75})
cmp_a = q(torch.randint(-2, 3, (2, 3)).float() * 0.5)
cmp_b = q(torch.randint(-2, 3, (3,)).float() * 0.5)
for name, fn in [('eq', torch.eq), ('ne', torch.ne), ('lt', torch.lt), ('le', torch.le), ('gt', torch.gt), ('ge', torch.ge)]:
    case(f'{name}_broadcast', name, [cmp_a, cmp_b], fn)
    case(f'{name}_scalar', name, [cmp_a], lambda t, fn=fn: fn(t, 0.5), {'scalar': 0.5})
for alias, name, fn in [('equal', 'eq', torch.eq), ('notEqual', 'ne', torch.ne), ('less', 'lt', torch.lt),
                        ('lessEqual', 'le', torch.le), ('greater', 'gt', torch.gt), ('greaterEqual', 'ge', torch.ge)]:
    case(f'{alias}_alias', alias, [cmp_a, cmp_b], fn)
la = torch.tensor([[True, False, True], [False, True, False]])
lb = torch.tensor([True, True, False])
case('logicalAnd', 'logicalAnd', [la, lb], torch.logical_and)
case('logicalOr', 'logicalOr', [la, lb], torch.logical_or)
case('logicalXor', 'logicalXor', [la, lb], torch.logical_xor)
case('where_broadcast', 'where', [la, rn(2, 3), rn(3)], torch.where)
case('where_cond_broadcast', 'where', [lb, rn(2, 3), rn(2, 3)], torch.where)
case('where_scalar_b', 'where', [la, rn(2, 3)], lambda c, t: torch.where(c, t, torch.tensor(0.0)), {'scalar': 0})

# ------------------------------------------------------------------ reductions
family('reduce')
r234 = rn(2, 3, 4)
d234 = distinct(2, 3, 4)
for name, fn in [('sum', torch.sum), ('mean', torch.mean)]:
    case(f'{name}_all', name, [r234], fn)
    case(f'{name}_axis1', name, [r234], lambda t, fn=fn: fn(t, 1), {'axes': 1})
    case(f'{name}_axes02_keep', name, [r234], lambda t, fn=fn: fn(t, (0, 2), keepdim=True), {'axes': [0, 2], 'keepDims': True})
    case(f'{name}_neg_axis', name, [r234], lambda t, fn=fn: fn(t, -1), {'axes': -1})
for name, fn in [('max', torch.amax), ('min', torch.amin)]:
    case(f'{name}_all', name, [d234], lambda t, fn=fn: fn(t, (0, 1, 2)))
    case(f'{name}_axis1', name, [d234], lambda t, fn=fn: fn(t, 1), {'axes': 1})
    case(f'{name}_axes02_keep', name, [d234], lambda t, fn=fn: fn(t, (0, 2), keepdim=True), {'axes': [0, 2], 'keepDims': True})
pr = ru(0.5, 1.5, 2, 3, 2)
case('prod_all', 'prod', [pr], torch.prod)
case('prod_axis1', 'prod', [pr], lambda t: torch.prod(t, 1), {'axes': 1})
case('prod_axes02_keep', 'prod', [pr], lambda t: t.prod(2, keepdim=True).prod(0, keepdim=True), {'axes': [0, 2], 'keepDims': True})
pz = pr.clone()
pz[0, 1, 0] = 0.0
case('prod_with_zero', 'prod', [pz], lambda t: torch.prod(t, 1), {'axes': 1}, fd=False)
ties = torch.tensor([[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, -1.0, 2.0], [-1.0, -1.0, -1.0, -1.0]])
for name, fn in [('argmax', torch.argmax), ('argmin', torch.argmin)]:
    case(f'{name}_flat', name, [ties], fn)
    case(f'{name}_axis1', name, [ties], lambda t, fn=fn: fn(t, 1), {'axis': 1})
    case(f'{name}_axis0_keep', name, [ties], lambda t, fn=fn: fn(t, 0, keepdim=True), {'axis': 0, 'keepDims': True})
    case(f'{name}_neg_axis', name, [d234], lambda t, fn=fn: fn(t, -1), {'axis': -1})
case('logsumexp_all', 'logsumexp', [r234], lambda t: torch.logsumexp(t, (0, 1, 2)))
case('logsumexp_axis1', 'logsumexp', [r234], lambda t: torch.logsumexp(t, 1), {'axes': 1})
case('logsumexp_axes02_keep', 'logsumexp', [r234], lambda t: torch.logsumexp(t, (0, 2), keepdim=True), {'axes': [0, 2], 'keepDims': True})
case('logsumexp_large', 'logsumexp', [q(r234 * 10 + 100)], lambda t: torch.logsumexp(t, -1), {'axes': -1})
for name, fn in [('variance', torch.var), ('std', torch.std)]:
    case(f'{name}_all', name, [r234], fn)
    case(f'{name}_axis1_c0', name, [r234], lambda t, fn=fn: fn(t, 1, correction=0), {'axes': 1, 'correction': 0})
    case(f'{name}_axes02_keep', name, [r234], lambda t, fn=fn: fn(t, (0, 2), keepdim=True), {'axes': [0, 2], 'keepDims': True})
    case(f'{name}_axis2_c2', name, [r234], lambda t, fn=fn: fn(t, 2, correction=2), {'axes': 2, 'correction': 2})
bb = torch.tensor([[True, True, False], [True, True, True]])
case('all_flat', 'all', [bb], torch.all)
case('all_axis1', 'all', [bb], lambda t: torch.all(t, 1), {'axes': 1})
case('any_flat', 'any', [~bb], torch.any)
case('any_axis0_keep', 'any', [~bb], lambda t: torch.any(t, 0, keepdim=True), {'axes': 0, 'keepDims': True})
case('softmax_last', 'softmax', [r234], lambda t: torch.softmax(t, -1))
case('softmax_axis0', 'softmax', [r234], lambda t: torch.softmax(t, 0), {'axis': 0})
case('softmax_large', 'softmax', [q(r234 * 30)], lambda t: torch.softmax(t, 1), {'axis': 1})
case('logSoftmax_last', 'logSoftmax', [r234], lambda t: torch.log_softmax(t, -1))
case('logSoftmax_axis1', 'logSoftmax', [r234], lambda t: torch.log_softmax(t, 1), {'axis': 1})
case('logSoftmax_large', 'logSoftmax', [q(r234 * 30)], lambda t: torch.log_softmax(t, -1), {'axis': -1})
case('cumsum_axis1', 'cumsum', [r234], lambda t: torch.cumsum(t, 1), {'axis': 1})
case('cumsum_neg_axis', 'cumsum', [r234], lambda t: torch.cumsum(t, -1), {'axis': -1})
case('cumsum_axis0', 'cumsum', [r234], lambda t: torch.cumsum(t, 0), {'axis': 0})
nx = away(r234)
case('norm_default', 'norm', [nx], lambda t: torch.linalg.vector_norm(t))
case('norm_l1_axis1', 'norm', [nx], lambda t: torch.linalg.vector_norm(t, 1, 1), {'ord': 1, 'axes': 1})
case('norm_inf_axes01', 'norm', [d234], lambda t: torch.linalg.vector_norm(t, float('inf'), (0, 1)), {'ord': 'inf', 'axes': [0, 1]})
case('norm_3_keep', 'norm', [nx], lambda t: torch.linalg.vector_norm(t, 3, -1, keepdim=True), {'ord': 3, 'axes': -1, 'keepDims': True})

# ------------------------------------------------------------------ linear algebra
family('linalg')
case('matmul_2d', 'matmul', [rn(2, 3), rn(3, 4)], torch.matmul)
case('matmul_1d_1d', 'matmul', [rn(3), rn(3)], torch.matmul)
case('matmul_1d_2d', 'matmul', [rn(3), rn(3, 4)], torch.matmul)
case('matmul_2d_1d', 'matmul', [rn(2, 3), rn(3)], torch.matmul)
case('matmul_batched', 'matmul', [rn(2, 2, 3), rn(2, 3, 4)], torch.matmul)
case('matmul_batch_broadcast', 'matmul', [rn(2, 1, 2, 3), rn(3, 3, 2)], torch.matmul)
case('matmul_3d_2d', 'matmul', [rn(2, 2, 3), rn(3, 2)], torch.matmul)
case('matmul_1d_3d', 'matmul', [rn(3), rn(2, 3, 2)], torch.matmul)
case('matmul_3d_1d', 'matmul', [rn(2, 2, 3), rn(3)], torch.matmul)
case('batchMatmul', 'batchMatmul', [rn(2, 2, 3), rn(2, 3, 4)], torch.bmm)
case('batchMatmul_transA', 'batchMatmul', [rn(2, 3, 2), rn(2, 3, 4)], lambda a, b: torch.bmm(a.transpose(1, 2), b), {'transA': True})
case('batchMatmul_transB', 'batchMatmul', [rn(2, 2, 3), rn(1, 4, 3)], lambda a, b: torch.matmul(a, b.transpose(1, 2)), {'transB': True})
case('batchMatmul_transAB', 'batchMatmul', [rn(1, 3, 2), rn(2, 4, 3)], lambda a, b: torch.matmul(a.transpose(1, 2), b.transpose(1, 2)), {'transA': True, 'transB': True})
case('dot', 'dot', [rn(4), rn(4)], torch.dot)
case('outer', 'outer', [rn(3), rn(4)], torch.outer)


# ------------------------------------------------------------------ movement
family('movement')
m234 = rn(2, 3, 4)
case('reshape', 'reshape', [m234], lambda t: t.reshape(4, 6), {'shape': [4, 6]})
case('reshape_infer', 'reshape', [m234], lambda t: t.reshape(3, -1, 2), {'shape': [3, -1, 2]})
case('transpose_perm', 'transpose', [m234], lambda t: t.permute(2, 0, 1), {'perm': [2, 0, 1]})
case('transpose_reverse', 'transpose', [m234], lambda t: t.permute(2, 1, 0))
case('permute_alias', 'permute', [m234], lambda t: t.permute(1, 2, 0), {'perm': [1, 2, 0]})
case('swapAxes', 'swapAxes', [m234], lambda t: t.transpose(0, 2), {'a': 0, 'b': 2})
case('broadcastTo', 'broadcastTo', [rn(3, 1)], lambda t: t.expand(2, 3, 4), {'shape': [2, 3, 4]})
case('expand_minus1', 'expand', [rn(3, 1)], lambda t: t.expand(2, -1, 4), {'shape': [2, -1, 4]})
s1 = rn(2, 1, 3, 1)
case('squeeze_all', 'squeeze', [s1], torch.squeeze)
case('squeeze_axis', 'squeeze', [s1], lambda t: t.squeeze(1), {'axes': 1})
case('squeeze_axes', 'squeeze', [s1], lambda t: t.squeeze(3).squeeze(1), {'axes': [1, -1]})
case('unsqueeze', 'unsqueeze', [m234], lambda t: t.unsqueeze(1), {'axis': 1})
case('unsqueeze_neg', 'unsqueeze', [m234], lambda t: t.unsqueeze(-1), {'axis': -1})
case('flatten_all', 'flatten', [m234], torch.flatten)
case('flatten_from1', 'flatten', [m234], lambda t: torch.flatten(t, 1), {'startDim': 1})
case('flatten_0_1', 'flatten', [m234], lambda t: torch.flatten(t, 0, 1), {'startDim': 0, 'endDim': 1})


def py_slice(t, starts, ends, axes, steps):
    """ONNX Slice == Python slicing for these cases; realised by index_select (negative steps too)."""
    out = t
    for s, e, a, st in zip(starts, ends, axes, steps):
        ids = list(range(t.shape[a]))[slice(s, e, st)]
        out = out.index_select(a, torch.tensor(ids, dtype=torch.int64))
    return out


x46 = rn(4, 6)
SLICES = [
    ('slice_basic', [1], [3], None, None),
    ('slice_steps', [0, 1], [4, 6], [0, 1], [2, 2]),
    ('slice_negative_step', [-1], [-100], [1], [-2]),
    ('slice_negative_step_bounded', [4], [0], [1], [-1]),
    ('slice_clamped_end', [2], [1000], [0], None),
    ('slice_negative_indices', [-3], [-1], [1], None),
    ('slice_both_negative', [3, 5], [0, 0], [0, 1], [-2, -3]),
]
for name, st, en, ax, sp_ in SLICES:
    axes_ = ax if ax is not None else list(range(len(st)))
    steps_ = sp_ if sp_ is not None else [1] * len(st)
    attrs = {'starts': st, 'ends': en}
    if ax is not None:
        attrs['axes'] = ax
    if sp_ is not None:
        attrs['steps'] = sp_
    case(name, 'slice', [x46], lambda t, st=st, en=en, a=axes_, s=steps_: py_slice(t, st, en, a, s), attrs)
case('narrow', 'narrow', [x46], lambda t: t.narrow(1, 2, 3), {'axis': 1, 'start': 2, 'length': 3})
cA, cB, cC = rn(2, 3), rn(2, 1), rn(2, 2)
case('concat_axis1', 'concat', [cA, cB, cC], lambda *ts: torch.cat(ts, 1), {'axis': 1})
case('concat_axis0', 'concat', [cA, rn(1, 3)], lambda *ts: torch.cat(ts, 0))
case('cat_alias', 'cat', [cA, rn(1, 3)], lambda *ts: torch.cat(ts, 0))
case('stack_axis0', 'stack', [cA, rn(2, 3), rn(2, 3)], lambda *ts: torch.stack(ts, 0))
case('stack_axis_last', 'stack', [cA, rn(2, 3)], lambda *ts: torch.stack(ts, -1), {'axis': -1})
sx = rn(3, 5)
case('split_size', 'split', [sx], lambda t: torch.split(t, 2, 1), {'sizeOrSections': 2, 'axis': 1})
case('split_sections', 'split', [sx], lambda t: torch.split(t, [1, 3, 1], 1), {'sizeOrSections': [1, 3, 1], 'axis': 1})
case('split_axis0', 'split', [sx], lambda t: torch.split(t, 1), {'sizeOrSections': 1})
case('chunk', 'chunk', [sx], lambda t: torch.chunk(t, 3, 1), {'chunks': 3, 'axis': 1})
case('unbind', 'unbind', [sx], lambda t: torch.unbind(t, 1), {'axis': 1})
gx = rn(3, 4)
case('gather_axis1', 'gather', [gx, idx([[0, 3, 3], [1, 0, 2], [2, 2, 1]])], lambda t, i: torch.gather(t, 1, i), {'axis': 1})
case('gather_axis0', 'gather', [gx, idx([[2, 0, 1, 1], [0, 0, 2, 1]])], lambda t, i: torch.gather(t, 0, i), {'axis': 0})
case('scatter_axis1', 'scatter', [gx, idx([[0, 3], [2, 1], [1, 0]]), rn(3, 2)], lambda t, i, s: torch.scatter(t, 1, i, s), {'axis': 1})
case('scatter_axis0', 'scatter', [gx, idx([[2, 0, 1, 1]]), rn(1, 4)], lambda t, i, s: torch.scatter(t, 0, i, s), {'axis': 0})
case('scatterAdd_duplicates', 'scatterAdd', [gx, idx([[0, 0, 3], [2, 1, 2], [1, 1, 1]]), rn(3, 3)],
     lambda t, i, s: torch.scatter_add(t, 1, i, s), {'axis': 1})
case('scatterAdd_axis0', 'scatterAdd', [gx, idx([[2, 0, 2, 1], [2, 2, 0, 1]]), rn(2, 4)],
     lambda t, i, s: torch.scatter_add(t, 0, i, s), {'axis': 0})
case('indexSelect_axis0', 'indexSelect', [gx, idx([2, 0, 2])], lambda t, i: torch.index_select(t, 0, i), {'axis': 0})
case('indexSelect_axis1_repeat', 'indexSelect', [gx, idx([3, 1, 1, 0, 3])], lambda t, i: torch.index_select(t, 1, i), {'axis': 1})
case('pad_constant_last', 'pad', [gx], lambda t: F.pad(t, (1, 2)), {'pads': [1, 2]})
case('pad_constant_value', 'pad', [gx], lambda t: F.pad(t, (1, 0, 2, 1), value=0.5), {'pads': [1, 0, 2, 1], 'value': 0.5})
case('pad_reflect_1d', 'pad', [rn(1, 2, 5)], lambda t: F.pad(t, (2, 1), mode='reflect'), {'pads': [2, 1], 'mode': 'reflect'})
case('pad_reflect_2d', 'pad', [rn(1, 1, 4, 5)], lambda t: F.pad(t, (1, 2, 2, 1), mode='reflect'), {'pads': [1, 2, 2, 1], 'mode': 'reflect'})
case('pad_replicate_1d', 'pad', [rn(1, 2, 3)], lambda t: F.pad(t, (2, 3), mode='replicate'), {'pads': [2, 3], 'mode': 'replicate'})
case('pad_replicate_2d', 'pad', [rn(1, 1, 3, 4)], lambda t: F.pad(t, (1, 0, 2, 2), mode='replicate'), {'pads': [1, 0, 2, 2], 'mode': 'replicate'})
t23 = rn(2, 3)
case('tile', 'tile', [t23], lambda t: torch.tile(t, (2, 1)), {'reps': [2, 1]})
case('tile_longer_reps', 'tile', [t23], lambda t: torch.tile(t, (2, 1, 2)), {'reps': [2, 1, 2]})
case('tile_shorter_reps', 'tile', [t23], lambda t: torch.tile(t, (2,)), {'reps': [2]})
case('repeatInterleave_axis1', 'repeatInterleave', [t23], lambda t: torch.repeat_interleave(t, 2, 1), {'repeats': 2, 'axis': 1})
case('repeatInterleave_flat', 'repeatInterleave', [t23], lambda t: torch.repeat_interleave(t, 3), {'repeats': 3})
case('oneHot', 'oneHot', [idx([0, 2, 1, 3])], lambda i: F.one_hot(i, 4).float(), {'numClasses': 4})
case('oneHot_2d', 'oneHot', [idx([[0, 2], [1, 1]])], lambda i: F.one_hot(i, 3).float(), {'numClasses': 3})
tr = rn(3, 4)
for k in (0, 1, -1):
    case(f'tril_k{k}', 'tril', [tr], lambda t, k=k: torch.tril(t, k), {'k': k} if k else {})
    case(f'triu_k{k}', 'triu', [tr], lambda t, k=k: torch.triu(t, k), {'k': k} if k else {})
case('tril_batched', 'tril', [rn(2, 3, 3)], torch.tril)
case('flip_axes02', 'flip', [m234], lambda t: torch.flip(t, (0, 2)), {'axes': [0, 2]})
case('flip_last', 'flip', [m234], lambda t: torch.flip(t, (-1,)), {'axes': [-1]})

# ------------------------------------------------------------------ nn: convolution
family('conv')
x1d, w1d, b1d = rn(2, 2, 7), rn(3, 2, 3, scale=0.5), rn(3)


def cattrs(**kw):
    return kw


case('conv1d_basic', 'conv1d', [x1d, w1d, b1d], F.conv1d)
case('conv1d_stride2_pad1', 'conv1d', [x1d, w1d, b1d], lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1), cattrs(stride=2, padding=1))
case('conv1d_dilation2_nobias', 'conv1d', [x1d, w1d], lambda x, w: F.conv1d(x, w, dilation=2), cattrs(dilation=2))
case('conv1d_groups2', 'conv1d', [rn(1, 4, 6), rn(4, 2, 3, scale=0.5), rn(4)], lambda x, w, b: F.conv1d(x, w, b, groups=2), cattrs(groups=2))
case('conv1d_same', 'conv1d', [x1d, rn(3, 2, 4, scale=0.5)], lambda x, w: F.conv1d(x, w, padding='same'), cattrs(padding='same'))
x2d, w2d, b2d = rn(1, 2, 5, 5), rn(3, 2, 3, 3, scale=0.5), rn(3)
case('conv2d_basic', 'conv2d', [x2d, w2d, b2d], F.conv2d)
case('conv2d_batch2', 'conv2d', [rn(2, 2, 4, 4), w2d, b2d], F.conv2d)
case('conv2d_stride2_pad1', 'conv2d', [x2d, w2d, b2d], lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1), cattrs(stride=2, padding=1))
case('conv2d_pad_pair', 'conv2d', [x2d, w2d], lambda x, w: F.conv2d(x, w, padding=(1, 0)), cattrs(padding=[1, 0]))
case('conv2d_same', 'conv2d', [x2d, w2d, b2d], lambda x, w, b: F.conv2d(x, w, b, padding='same'), cattrs(padding='same'))
case('conv2d_same_even_kernel_dilation', 'conv2d', [x2d, rn(2, 2, 2, 2, scale=0.5)],
     lambda x, w: F.conv2d(x, w, padding='same', dilation=2), cattrs(padding='same', dilation=2))
case('conv2d_valid', 'conv2d', [x2d, w2d], lambda x, w: F.conv2d(x, w, padding='valid'), cattrs(padding='valid'))
case('conv2d_dilation2', 'conv2d', [rn(1, 2, 6, 6), w2d, b2d], lambda x, w, b: F.conv2d(x, w, b, dilation=2), cattrs(dilation=2))
case('conv2d_groups2', 'conv2d', [rn(1, 4, 4, 4), rn(4, 2, 3, 3, scale=0.5), rn(4)], lambda x, w, b: F.conv2d(x, w, b, groups=2, padding=1), cattrs(groups=2, padding=1))
case('conv2d_depthwise', 'conv2d', [x2d, rn(4, 1, 3, 3, scale=0.5)], lambda x, w: F.conv2d(x, w, groups=2), cattrs(groups=2))
case('conv2d_rect_stride', 'conv2d', [x2d, rn(2, 2, 2, 3, scale=0.5), rn(2)], lambda x, w, b: F.conv2d(x, w, b, stride=(2, 1)), cattrs(stride=[2, 1]))
xt, wt, bt = rn(1, 2, 3, 3), rn(2, 3, 3, 3, scale=0.5), rn(3)
case('convTranspose2d_basic', 'convTranspose2d', [xt, wt, bt], F.conv_transpose2d)
case('convTranspose2d_stride2_pad1_outpad1', 'convTranspose2d', [xt, wt, bt],
     lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1), cattrs(stride=2, padding=1, outputPadding=1))
case('convTranspose2d_stride2', 'convTranspose2d', [xt, wt], lambda x, w: F.conv_transpose2d(x, w, stride=2), cattrs(stride=2))
case('convTranspose2d_groups2', 'convTranspose2d', [rn(1, 4, 3, 3), rn(4, 1, 2, 2, scale=0.5), rn(2)],
     lambda x, w, b: F.conv_transpose2d(x, w, b, groups=2), cattrs(groups=2))
case('convTranspose2d_dilation2', 'convTranspose2d', [xt, wt], lambda x, w: F.conv_transpose2d(x, w, dilation=2, padding=1), cattrs(dilation=2, padding=1))

bx, bw = rn(1, 2, 5, 5), rn(3, 2, 3, 3, scale=0.5)
bdy = rn(1, 3, 3, 3)
case('conv2dBackpropInput_stride2_pad1', 'conv2dBackpropInput', [bdy, bw],
     lambda dy, w: torch.nn.grad.conv2d_input([1, 2, 5, 5], w, dy, stride=2, padding=1),
     cattrs(xShape=[1, 2, 5, 5], stride=2, padding=1))
case('conv2dBackpropInput_basic', 'conv2dBackpropInput', [rn(1, 3, 3, 3), bw],
     lambda dy, w: torch.nn.grad.conv2d_input([1, 2, 5, 5], w, dy), cattrs(xShape=[1, 2, 5, 5]))
case('conv2dBackpropFilter_stride2_pad1', 'conv2dBackpropFilter', [bx, bdy],
     lambda x, dy: torch.nn.grad.conv2d_weight(x, [3, 2, 3, 3], dy, stride=2, padding=1),
     cattrs(wShape=[3, 2, 3, 3], stride=2, padding=1))
case('conv2dBackpropFilter_groups2', 'conv2dBackpropFilter', [rn(1, 4, 4, 4), rn(1, 4, 2, 2)],
     lambda x, dy: torch.nn.grad.conv2d_weight(x, [4, 2, 3, 3], dy, groups=2), cattrs(wShape=[4, 2, 3, 3], groups=2))
ux = rn(1, 2, 4, 5)
case('unfold2d_k2', 'unfold2d', [ux], lambda x: F.unfold(x, 2), {'kernel': 2})
case('unfold2d_k3_s2_p1_d1', 'unfold2d', [ux], lambda x: F.unfold(x, 3, padding=1, stride=2), {'kernel': 3, 'stride': 2, 'pads': 1})
case('unfold2d_rect_dilation', 'unfold2d', [ux], lambda x: F.unfold(x, (2, 2), dilation=(1, 2), padding=(0, 1)),
     {'kernel': [2, 2], 'dilation': [1, 2], 'pads': [0, 0, 1, 1]})
case('unfold2d_asym_pads_value', 'unfold2d', [ux], lambda x: F.unfold(F.pad(x, (0, 1, 1, 2), value=0.5), 3),
     {'kernel': 3, 'pads': [1, 2, 0, 1], 'padValue': 0.5})
case('fold2d_k2', 'fold2d', [rn(1, 8, 12)], lambda c: F.fold(c, (4, 5), 2), {'kernel': 2, 'outputSize': [4, 5]})
case('fold2d_k3_s2_p1', 'fold2d', [rn(1, 18, 6)], lambda c: F.fold(c, (4, 5), 3, padding=1, stride=2),
     {'kernel': 3, 'stride': 2, 'pads': 1, 'outputSize': [4, 5]})

# ------------------------------------------------------------------ nn: pooling
family('pool')
p1 = distinct(1, 2, 7)
case('maxPool1d_k3s2', 'maxPool1d', [p1], lambda x: F.max_pool1d(x, 3, 2), {'kernelSize': 3, 'stride': 2})
case('maxPool1d_pad1', 'maxPool1d', [p1], lambda x: F.max_pool1d(x, 3, 2, 1), {'kernelSize': 3, 'stride': 2, 'padding': 1})
case('maxPool1d_ceil', 'maxPool1d', [distinct(1, 2, 8)], lambda x: F.max_pool1d(x, 3, 2, ceil_mode=True), {'kernelSize': 3, 'stride': 2, 'ceilMode': True})
case('maxPool1d_dilation2', 'maxPool1d', [p1], lambda x: F.max_pool1d(x, 2, 1, dilation=2), {'kernelSize': 2, 'stride': 1, 'dilation': 2})
p2 = distinct(1, 2, 5, 5)
case('maxPool2d_k2', 'maxPool2d', [distinct(1, 2, 4, 4)], lambda x: F.max_pool2d(x, 2), {'kernelSize': 2})
case('maxPool2d_k3s2p1', 'maxPool2d', [p2], lambda x: F.max_pool2d(x, 3, 2, 1), {'kernelSize': 3, 'stride': 2, 'padding': 1})
case('maxPool2d_ceil', 'maxPool2d', [p2], lambda x: F.max_pool2d(x, 2, 2, ceil_mode=True), {'kernelSize': 2, 'stride': 2, 'ceilMode': True})
case('maxPool2d_rect', 'maxPool2d', [p2], lambda x: F.max_pool2d(x, (2, 3), (1, 2)), {'kernelSize': [2, 3], 'stride': [1, 2]})
case('maxPool2d_dilation2', 'maxPool2d', [p2], lambda x: F.max_pool2d(x, 2, 1, dilation=2), {'kernelSize': 2, 'stride': 1, 'dilation': 2})
a1 = rn(1, 2, 7)
case('avgPool1d_k3s2', 'avgPool1d', [a1], lambda x: F.avg_pool1d(x, 3, 2), {'kernelSize': 3, 'stride': 2})
case('avgPool1d_pad_include', 'avgPool1d', [a1], lambda x: F.avg_pool1d(x, 3, 2, 1), {'kernelSize': 3, 'stride': 2, 'padding': 1})
case('avgPool1d_pad_exclude', 'avgPool1d', [a1], lambda x: F.avg_pool1d(x, 3, 2, 1, count_include_pad=False),
     {'kernelSize': 3, 'stride': 2, 'padding': 1, 'countIncludePad': False})
case('avgPool1d_ceil', 'avgPool1d', [rn(1, 2, 8)], lambda x: F.avg_pool1d(x, 3, 2, ceil_mode=True), {'kernelSize': 3, 'stride': 2, 'ceilMode': True})
a2 = rn(1, 2, 5, 5)
case('avgPool2d_k2', 'avgPool2d', [rn(1, 2, 4, 4)], lambda x: F.avg_pool2d(x, 2), {'kernelSize': 2})
case('avgPool2d_pad_include', 'avgPool2d', [a2], lambda x: F.avg_pool2d(x, 3, 2, 1), {'kernelSize': 3, 'stride': 2, 'padding': 1})
case('avgPool2d_pad_exclude', 'avgPool2d', [a2], lambda x: F.avg_pool2d(x, 3, 2, 1, count_include_pad=False),
     {'kernelSize': 3, 'stride': 2, 'padding': 1, 'countIncludePad': False})
case('avgPool2d_ceil', 'avgPool2d', [a2], lambda x: F.avg_pool2d(x, 2, 2, ceil_mode=True), {'kernelSize': 2, 'stride': 2, 'ceilMode': True})
case('avgPool2d_ceil_pad_include', 'avgPool2d', [a2], lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True),
     {'kernelSize': 3, 'stride': 2, 'padding': 1, 'ceilMode': True})
case('avgPool2d_rect', 'avgPool2d', [a2], lambda x: F.avg_pool2d(x, (2, 3), (1, 2)), {'kernelSize': [2, 3], 'stride': [1, 2]})
case('globalAvgPool2d', 'globalAvgPool2d', [rn(2, 3, 3, 4)], lambda x: F.adaptive_avg_pool2d(x, 1))
case('globalMaxPool2d', 'globalMaxPool2d', [distinct(2, 3, 3, 4)], lambda x: F.adaptive_max_pool2d(x, 1))
ap = rn(1, 2, 5, 7)
case('adaptiveAvgPool2d_3x4', 'adaptiveAvgPool2d', [ap], lambda x: F.adaptive_avg_pool2d(x, (3, 4)), {'outputSize': [3, 4]})
case('adaptiveAvgPool2d_2', 'adaptiveAvgPool2d', [ap], lambda x: F.adaptive_avg_pool2d(x, 2), {'outputSize': 2})
case('adaptiveAvgPool2d_1', 'adaptiveAvgPool2d', [ap], lambda x: F.adaptive_avg_pool2d(x, 1), {'outputSize': [1, 1]})

# ------------------------------------------------------------------ creation (no inputs)
family('creation')
case('arange_stop', 'arange', [], lambda: torch.arange(5, dtype=torch.float32), {'start': 5})
case('arange_step', 'arange', [], lambda: torch.arange(1, 4, 0.5, dtype=torch.float32), {'start': 1, 'stop': 4, 'step': 0.5})
case('arange_negative_step', 'arange', [], lambda: torch.arange(5, 1, -1.5, dtype=torch.float32), {'start': 5, 'stop': 1, 'step': -1.5})
case('linspace', 'linspace', [], lambda: torch.linspace(0, 1, 5), {'start': 0, 'stop': 1, 'num': 5})
case('linspace_neg', 'linspace', [], lambda: torch.linspace(-1, 2, 7), {'start': -1, 'stop': 2, 'num': 7})
case('eye', 'eye', [], lambda: torch.eye(3), {'n': 3})
case('eye_rect', 'eye', [], lambda: torch.eye(2, 4), {'n': 2, 'm': 4})

# linear (added later: appended here so that the earlier cases keep their random inputs)
family('linalg')
case('linear', 'linear', [rn(4, 3), rn(2, 3), rn(2)], F.linear)
case('linear_no_bias', 'linear', [rn(4, 3), rn(5, 3)], F.linear)
case('linear_3d_input', 'linear', [rn(2, 3, 4), rn(5, 4), rn(5)], F.linear)
case('linear_1d_input', 'linear', [rn(3), rn(2, 3), rn(2)], F.linear)
case('linear_relu', 'linear', [rn(5, 3), rn(4, 3), rn(4)], lambda x, w, b: F.relu(F.linear(x, w, b)), {'activation': 'relu'})
case('fusedMatmul_bias_relu', 'fusedMatmul', [rn(2, 3, 4), rn(2, 4, 5), rn(5)], lambda a, b, c: F.relu(torch.bmm(a, b) + c), {'activation': 'relu'})
case('fusedMatmul_transAB_bias', 'fusedMatmul', [rn(1, 4, 3), rn(2, 5, 4), rn(5)], lambda a, b, c: torch.matmul(a.transpose(1, 2), b.transpose(1, 2)) + c, {'transA': True, 'transB': True})
case('fusedMatmul_relu_no_bias', 'fusedMatmul', [rn(2, 3, 4), rn(1, 4, 6)], lambda a, b: F.relu(torch.matmul(a, b)), {'activation': 'relu'})

# conv2d with a fused ReLU (appended: the earlier cases keep their random inputs)
family('conv')
case('conv2d_bias_relu', 'conv2d', [rn(2, 3, 6, 5), rn(4, 3, 3, 3, scale=0.5), rn(4)], lambda x, w, b: F.relu(F.conv2d(x, w, b, padding=1)), cattrs(padding=1, activation='relu'))
case('conv2d_relu_nobias_stride2', 'conv2d', [rn(1, 2, 7, 7), rn(3, 2, 3, 3, scale=0.5)], lambda x, w: F.relu(F.conv2d(x, w, stride=2)), cattrs(stride=2, activation='relu'))


# ------------------------------------------------------------------ write
def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    total = 0
    for name, cases in FAMILIES.items():
        names = [c['name'] for c in cases]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            sys.exit(f'duplicate case names in {name}: {dup}')
        path = os.path.join(OUT_DIR, f'{name}.json')
        with open(path, 'w') as f:
            f.write('{"torch": "%s", "family": "%s", "cases": [\n' % (torch.__version__, name))
            f.write(',\n'.join(json.dumps(c, separators=(',', ':')) for c in cases))
            f.write('\n]}\n')
        total += len(cases)
        print(f'{path}: {len(cases)} cases, {os.path.getsize(path)} bytes')
    print(f'{total} cases')


if __name__ == '__main__':
    main()
