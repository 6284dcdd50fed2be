#!/usr/bin/python3
"""PyTorch golden values for @mapnn/compression's QAT and dynamic quantization tests.

Writes test/fixtures/torch-fake-quant-golden.json:
  - torch.fake_quantize_per_tensor_affine / per_channel_affine outputs and input gradients on
    seeded inputs with rounding ties and out-of-range values (int8 and uint8 ranges);
  - torch._fake_quantize_learnable_per_tensor_affine outputs, dx and dscale (LSQ);
  - MovingAverageMinMaxObserver (c = 0.01) min / max / scale / zero point after each batch;
  - a Conv2d + BatchNorm2d folded by torch.nn.utils.fusion.fuse_conv_bn_eval;
  - torch.ao.quantization.quantize_dynamic on a small Linear and LSTM (and GRU): inputs,
    float and dynamically quantized outputs, the stored int8 weights.

Run: /usr/bin/python3 packages/compression/scripts/torch-fake-quant-golden.py  (torch 1.13 from apt)
"""
import json
import os

import torch
from torch.ao.quantization import MovingAverageMinMaxObserver
from torch.nn.utils.fusion import fuse_conv_bn_eval

torch.manual_seed(0)
OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'torch-fake-quant-golden.json')


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def per_tensor_case(scale, zp, qmin, qmax, n=64):
    x = torch.randn(n) * (qmax - qmin) * scale * 0.4 + (0.5 * (qmin + qmax) - zp) * scale
    # exact rounding ties (k + 0.5)·scale and values far outside the range
    ties = torch.tensor([(k + 0.5) * scale for k in range(-6, 6)], dtype=torch.float32)
    outside = torch.tensor([(qmin - zp - 3) * scale, (qmax - zp + 3) * scale, (qmin - zp - 0.5) * scale, (qmax - zp + 0.5) * scale, 1e6, -1e6])
    x = torch.cat([x, ties, outside]).requires_grad_()
    dy = torch.randn(x.shape)
    y = torch.fake_quantize_per_tensor_affine(x, scale, zp, qmin, qmax)
    y.backward(dy)
    return {'scale': scale, 'zeroPoint': zp, 'qmin': qmin, 'qmax': qmax, 'x': flat(x), 'dy': flat(dy), 'y': flat(y), 'dx': flat(x.grad)}


def per_channel_case():
    scales = torch.tensor([0.01, 0.02, 0.05, 0.1])
    zps = torch.tensor([0, 0, 0, 0], dtype=torch.int32)
    w = torch.randn(4, 3, 2, 2) * scales.reshape(4, 1, 1, 1) * 60
    w[0, 0, 0, 0] = 2.5 * 0.01
    w[1, 0, 0, 0] = -3.5 * 0.02
    w[2, 0, 0, 0] = 200 * 0.05  # saturates
    w[3, 0, 0, 0] = -140 * 0.1  # saturates
    w.requires_grad_()
    dy = torch.randn(w.shape)
    y = torch.fake_quantize_per_channel_affine(w, scales, zps, 0, -127, 127)
    y.backward(dy)
    return {'shape': list(w.shape), 'axis': 0, 'scales': flat(scales), 'zeroPoints': [int(v) for v in zps], 'qmin': -127, 'qmax': 127,
            'x': flat(w), 'dy': flat(dy), 'y': flat(y), 'dx': flat(w.grad)}


def learnable_case():
    x = (torch.randn(40) * 1.5).requires_grad_()
    scale = torch.tensor([0.02], requires_grad=True)
    zp = torch.tensor([3.0])
    qmin, qmax = -128, 127
    grad_factor = 1.0 / (x.numel() * qmax) ** 0.5
    dy = torch.randn(x.shape)
    y = torch._fake_quantize_learnable_per_tensor_affine(x, scale, zp, qmin, qmax, grad_factor)
    y.backward(dy)
    return {'scale': float(scale), 'zeroPoint': 3, 'qmin': qmin, 'qmax': qmax, 'gradFactor': grad_factor,
            'x': flat(x), 'dy': flat(dy), 'y': flat(y), 'dx': flat(x.grad), 'dscale': float(scale.grad)}


def observer_case(dtype, qmin, qmax):
    obs = MovingAverageMinMaxObserver(averaging_constant=0.01, dtype=dtype, quant_min=qmin, quant_max=qmax)
    batches, after = [], []
    for i in range(5):
        b = torch.randn(50) * (1 + i) + 0.3 * i
        obs(b)
        s, z = obs.calculate_qparams()
        batches.append(flat(b))
        after.append({'min': float(obs.min_val), 'max': float(obs.max_val), 'scale': float(s), 'zeroPoint': int(z)})
    return {'dtype': 'int8' if dtype == torch.qint8 else 'uint8', 'qmin': qmin, 'qmax': qmax, 'batches': batches, 'after': after}


def fold_case():
    conv = torch.nn.Conv2d(3, 4, 3, padding=1)
    bn = torch.nn.BatchNorm2d(4)
    with torch.no_grad():
        bn.running_mean.copy_(torch.randn(4))
        bn.running_var.copy_(torch.rand(4) + 0.5)
        bn.weight.copy_(torch.randn(4))
        bn.bias.copy_(torch.randn(4))
    conv.eval()
    bn.eval()
    fused = fuse_conv_bn_eval(conv, bn)
    return {'convWeight': flat(conv.weight), 'convBias': flat(conv.bias), 'weightShape': list(conv.weight.shape),
            'runningMean': flat(bn.running_mean), 'runningVar': flat(bn.running_var), 'gamma': flat(bn.weight), 'beta': flat(bn.bias), 'eps': bn.eps,
            'weight': flat(fused.weight), 'bias': flat(fused.bias)}


def weights_of(qmodule):
    w = qmodule.weight()
    if w.qscheme() in (torch.per_channel_affine, torch.per_channel_symmetric):
        return {'int8': [int(v) for v in w.int_repr().reshape(-1).tolist()], 'scales': flat(w.q_per_channel_scales())}
    return {'int8': [int(v) for v in w.int_repr().reshape(-1).tolist()], 'scales': [float(w.q_scale())]}


def dynamic_cases():
    torch.backends.quantized.engine = 'qnnpack'
    out = {'engine': torch.backends.quantized.engine}
    lin = torch.nn.Sequential(torch.nn.Linear(8, 5))
    x = torch.randn(6, 8)
    q = torch.ao.quantization.quantize_dynamic(lin, {torch.nn.Linear}, dtype=torch.qint8)
    out['linear'] = {'inFeatures': 8, 'outFeatures': 5, 'weight': flat(lin[0].weight), 'bias': flat(lin[0].bias), 'x': flat(x), 'xShape': list(x.shape),
                     'float': flat(lin(x)), 'dynamic': flat(q(x)), 'stored': weights_of(q[0])}
    qc = torch.ao.quantization.quantize_dynamic(lin, {torch.nn.Linear: torch.ao.quantization.per_channel_dynamic_qconfig})
    out['linear']['dynamicPerChannel'] = flat(qc(x))
    out['linear']['storedPerChannel'] = weights_of(qc[0])
    for name, cls in (('lstm', torch.nn.LSTM), ('gru', torch.nn.GRU)):
        rnn = cls(4, 6, num_layers=1)
        xs = torch.randn(5, 3, 4)
        # quantize_dynamic swaps children, not the root: wrap the layer
        qr = torch.ao.quantization.quantize_dynamic(torch.nn.Sequential(rnn), {cls}, dtype=torch.qint8)[0]
        assert type(qr).__module__.startswith('torch.ao.nn.quantized.dynamic'), type(qr)
        with torch.no_grad():
            fo = rnn(xs)[0]
            qo = qr(xs)[0]
        out[name] = {'inputSize': 4, 'hiddenSize': 6, 'state': {k: flat(v) for k, v in rnn.state_dict().items()},
                     'x': flat(xs), 'xShape': list(xs.shape), 'float': flat(fo), 'dynamic': flat(qo)}
    return out


fixture = {
    'torch': torch.__version__,
    'perTensor': [per_tensor_case(0.05, 3, -128, 127), per_tensor_case(0.1, 128, 0, 255), per_tensor_case(0.25, 0, -8, 7)],
    'perChannel': per_channel_case(),
    'learnable': learnable_case(),
    'observer': [observer_case(torch.qint8, -128, 127), observer_case(torch.quint8, 0, 255)],
    'fold': fold_case(),
    'dynamic': dynamic_cases(),
}
os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, 'w') as f:
    json.dump(fixture, f)
print('wrote', os.path.normpath(OUT))
