#!/usr/bin/python3
"""Golden fixtures for @mapnn/layers' sequence and attention layers, from PyTorch.

Run with Debian's python3 (it has python3-torch 1.13; the python3 on PATH may lack torch):

    /usr/bin/python3 packages/layers/scripts/gen_sequence_golden.py

Writes packages/layers/fixtures/sequence.json: {"cases": [...]}. Each case holds
  name, kind ('RNN' | 'LSTM' | 'GRU' | 'MultiheadAttention' | 'TransformerEncoderLayer'),
  config     constructor arguments in mapnn's vocabulary,
  call       call options (masks are input names; need_weights, average_attn_weights),
  state_dict PyTorch's state_dict (parameters rounded to short float32 decimals),
  inputs     named input tensors (float ones differentiated),
  outputs    list of output tensors (RNN/GRU: out, hN; LSTM: out, hN, cN; MHA: out, weights;
             encoder layer: out),
  r          one fixed random tensor per output,
  grads      gradients of sum_i sum(outputs[i] * r[i]) w.r.t. every float input
             ('input:<name>') and every parameter ('param:<state_dict key>').
Tensors are {shape, dtype, data} with float32 values written as the shortest decimal that
round-trips the float32 value. Modules run in eval mode with dropout 0.
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(20240611)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'sequence.json')


def f32(v):
    v = float(np.float32(v))
    if math.isnan(v) or math.isinf(v):
        raise ValueError('non-finite value in a fixture')
    out = float(str(np.float32(v)))
    return int(out) if out.is_integer() and abs(out) < 1e7 else out


def spec(t):
    t = t.detach()
    if t.dtype == torch.bool:
        return {'shape': list(t.shape), 'dtype': 'bool', 'data': [int(v) for v in t.flatten().tolist()]}
    return {'shape': list(t.shape), 'dtype': 'float32', 'data': [f32(v) for v in t.float().flatten().tolist()]}


def q(t, step=1e-3):
    """Rounds to multiples of `step` (short decimals), as float32."""
    return (torch.round(t.double() / step) * step).to(torch.float32)


def rn(*shape, scale=1.0):
    return q(torch.randn(*shape) * scale)


def round_params(m, extra_scale=None):
    """Rounds every parameter to 1e-4 multiples; `extra_scale` re-draws zero-init ones."""
    with torch.no_grad():
        for name, p in m.named_parameters():
            if extra_scale is not None and torch.all(p == 0):
                p.copy_(torch.randn(p.shape) * extra_scale)
            elif extra_scale is not None and name.startswith('norm') and name.endswith('weight'):
                p.copy_(1 + torch.randn(p.shape) * extra_scale)
            p.copy_(q(p, 1e-4))


def finish(name, kind, config, call, m, inputs, diff, run):
    """inputs: dict name → tensor; diff: names to differentiate; run(m, ins) → list of outputs."""
    ins = {k: (v.clone().requires_grad_(True) if k in diff else v.clone()) for k, v in inputs.items()}
    outs = run(m, ins)
    rs = [rn(*o.shape) for o in outs]
    loss = sum((o * r).sum() for o, r in zip(outs, rs))
    loss.backward()
    grads = {}
    for k in diff:
        grads['input:' + k] = spec(ins[k].grad)
    for k, p in m.named_parameters():
        grads['param:' + k] = spec(p.grad)
    return {
        'name': name,
        'kind': kind,
        'config': config,
        'call': call,
        'state_dict': {k: spec(v) for k, v in m.state_dict().items()},
        'inputs': {k: spec(v) for k, v in inputs.items()},
        'outputs': [spec(o) for o in outs],
        'r': [spec(r) for r in rs],
        'grads': grads,
    }


cases = []

# ---------------------------------------------------------------- recurrent layers
I, H, T, N, L = 3, 4, 5, 2, 2


def recurrent_case(name, kind, batch_first, **kw):
    cls = {'RNN': nn.RNN, 'LSTM': nn.LSTM, 'GRU': nn.GRU}[kind]
    m = cls(I, H, num_layers=L, bidirectional=True, batch_first=batch_first, **kw)
    round_params(m)
    m.eval()
    x = rn(N, T, I) if batch_first else rn(T, N, I)
    inputs = {'x': x, 'h0': rn(2 * L, N, H, scale=0.5)}
    if kind == 'LSTM':
        inputs['c0'] = rn(2 * L, N, H, scale=0.5)

    def run(m, ins):
        if kind == 'LSTM':
            out, (h, c) = m(ins['x'], (ins['h0'], ins['c0']))
            return [out, h, c]
        out, h = m(ins['x'], ins['h0'])
        return [out, h]

    config = {'inputSize': I, 'hiddenSize': H, 'numLayers': L, 'bidirectional': True, 'batchFirst': batch_first}
    if 'nonlinearity' in kw:
        config['nonlinearity'] = kw['nonlinearity']
    if 'bias' in kw:
        config['bias'] = kw['bias']
    cases.append(finish(name, kind, config, {}, m, inputs, list(inputs), run))


recurrent_case('rnn_tanh_seq_first', 'RNN', False)
recurrent_case('rnn_relu_nobias_batch_first', 'RNN', True, nonlinearity='relu', bias=False)
recurrent_case('lstm_seq_first', 'LSTM', False)
recurrent_case('lstm_batch_first', 'LSTM', True)
recurrent_case('gru_seq_first', 'GRU', False)
recurrent_case('gru_batch_first', 'GRU', True)

# ---------------------------------------------------------------- multi-head attention
E, NH = 8, 2


def mha_case(name, *, self_attn, batch_first, L_, S_, kdim=None, vdim=None, masks=(), average=True):
    m = nn.MultiheadAttention(E, NH, batch_first=batch_first, kdim=kdim, vdim=vdim)
    round_params(m, extra_scale=0.1)  # zero-init biases get random values
    m.eval()
    kd, vd = kdim or E, vdim or E

    def shaped(length, feat):
        return rn(N, length, feat) if batch_first else rn(length, N, feat)

    inputs = {'query': shaped(L_, E)}
    if not self_attn:
        inputs['key'] = shaped(S_, kd)
        inputs['value'] = shaped(S_, vd)
    diff = list(inputs)
    call = {'needWeights': True, 'averageAttnWeights': average}
    if 'key_padding' in masks:
        kpm = torch.zeros(N, S_, dtype=torch.bool)
        kpm[1, -2:] = True
        kpm[0, -1] = True
        inputs['key_padding_mask'] = kpm
        call['keyPaddingMask'] = 'key_padding_mask'
    if 'causal' in masks:
        inputs['attn_mask'] = torch.triu(torch.ones(L_, S_, dtype=torch.bool), 1)
        call['attnMask'] = 'attn_mask'
    if 'bool2d' in masks:
        am = torch.rand(L_, S_) < 0.3
        am[:, 0] = False  # no fully masked row
        inputs['attn_mask'] = am
        call['attnMask'] = 'attn_mask'
    if 'float3d' in masks:
        inputs['attn_mask'] = rn(N * NH, L_, S_)
        call['attnMask'] = 'attn_mask'

    def run(m, ins):
        qq = ins['query']
        kk = ins.get('key', qq)
        vv = ins.get('value', qq)
        out, w = m(qq, kk, vv, key_padding_mask=ins.get('key_padding_mask'), need_weights=True,
                   attn_mask=ins.get('attn_mask'), average_attn_weights=average)
        return [out, w]

    config = {'embedDim': E, 'numHeads': NH, 'batchFirst': batch_first, 'selfAttention': self_attn}
    if kdim:
        config['kdim'] = kdim
    if vdim:
        config['vdim'] = vdim
    cases.append(finish(name, 'MultiheadAttention', config, call, m, inputs, diff, run))


mha_case('mha_self_causal_padding', self_attn=True, batch_first=False, L_=5, S_=5, masks=('key_padding', 'causal'))
mha_case('mha_cross_kdim_vdim_float_mask', self_attn=False, batch_first=True, L_=3, S_=5, kdim=6, vdim=4,
         masks=('key_padding', 'float3d'), average=False)
mha_case('mha_cross_bool_mask', self_attn=False, batch_first=False, L_=4, S_=3, masks=('bool2d',))

# ---------------------------------------------------------------- transformer encoder layer
def encoder_case(name, *, norm_first, batch_first, activation, masks=()):
    S_ = 5
    m = nn.TransformerEncoderLayer(E, NH, dim_feedforward=16, dropout=0.0, activation=activation,
                                   batch_first=batch_first, norm_first=norm_first)
    round_params(m, extra_scale=0.1)
    m.eval()
    inputs = {'src': rn(N, S_, E) if batch_first else rn(S_, N, E)}
    call = {}
    if 'key_padding' in masks:
        kpm = torch.zeros(N, S_, dtype=torch.bool)
        kpm[1, -2:] = True
        inputs['src_key_padding_mask'] = kpm
        call['srcKeyPaddingMask'] = 'src_key_padding_mask'
    if 'causal' in masks:
        inputs['src_mask'] = torch.triu(torch.ones(S_, S_, dtype=torch.bool), 1)
        call['mask'] = 'src_mask'

    def run(m, ins):
        return [m(ins['src'], src_mask=ins.get('src_mask'), src_key_padding_mask=ins.get('src_key_padding_mask'))]

    config = {'dModel': E, 'nhead': NH, 'dimFeedforward': 16, 'dropout': 0, 'activation': activation,
              'batchFirst': batch_first, 'normFirst': norm_first}
    cases.append(finish(name, 'TransformerEncoderLayer', config, call, m, inputs, ['src'], run))


encoder_case('encoder_post_norm_relu', norm_first=False, batch_first=False, activation='relu', masks=('key_padding',))
encoder_case('encoder_pre_norm_gelu', norm_first=True, batch_first=True, activation='gelu', masks=('causal',))

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, 'w') as fh:
    json.dump({'generator': 'packages/layers/scripts/gen_sequence_golden.py', 'torch': torch.__version__, 'cases': cases},
              fh, separators=(',', ':'))
print(f'wrote {len(cases)} cases, {os.path.getsize(OUT) // 1024} KB to {os.path.normpath(OUT)}')
