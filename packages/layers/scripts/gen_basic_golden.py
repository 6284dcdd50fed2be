#!/usr/bin/env python3
"""Golden values for the basic layers of @mapnn/layers, computed with PyTorch.

Run from anywhere with the Debian interpreter that has torch (1.13):

    /usr/bin/python3 packages/layers/scripts/gen_basic_golden.py

Writes packages/layers/fixtures/basic.json. For every case: the module's parameters and buffers
(loaded into the mapnn module with loadStateDict, so the keys must match), an input, a random
weighting r, the forward output, the gradients of sum(out * r) with respect to the input and
every parameter, and the buffers after the forward (BatchNorm's running statistics). All values
are float32 (written as the shortest decimals that round to them in float32). Also a small CNN's state_dict
after a few training steps, with eval-mode outputs, for the transfer-learning test.
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(1234)
torch.set_num_threads(1)


def enc(t):
    t = t.detach()
    if t.dtype in (torch.int64, torch.int32):
        return {"shape": list(t.shape), "dtype": "int64" if t.dtype == torch.int64 else "int32", "data": [int(v) for v in t.reshape(-1).tolist()]}
    # Shortest decimal that rounds back to the same float32 (numpy's float32 repr): exact once
    # the reader rounds it to float32, and half the size of the float64 repr.
    return {"shape": list(t.shape), "dtype": "float32", "data": [float(str(v)) for v in t.float().reshape(-1).numpy()]}


class GlobalAvgPool(nn.Module):
    def forward(self, x):
        return x.mean(dim=(2, 3))


class SeparableConv(nn.Module):
    def __init__(self, cin, cout, k, padding):
        super().__init__()
        self.depthwise = nn.Conv2d(cin, cin, k, padding=padding, groups=cin, bias=False)
        self.pointwise = nn.Conv2d(cin, cout, 1)

    def forward(self, x):
        return self.pointwise(self.depthwise(x))


class BasicBlock(nn.Module):
    """Same structure and names as mapnn's ResidualBlock (torchvision's BasicBlock)."""

    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        idt = self.downsample(x) if self.downsample is not None else x
        return F.relu(out + idt)


class DenseLayer(nn.Module):
    def __init__(self, cin, growth):
        super().__init__()
        self.norm = nn.BatchNorm2d(cin)
        self.conv = nn.Conv2d(cin, growth, 3, padding=1, bias=False)

    def forward(self, x):
        return self.conv(F.relu(self.norm(x)))


class DenseBlock(nn.Module):
    def __init__(self, num_layers, cin, growth):
        super().__init__()
        self.layers = nn.ModuleList([DenseLayer(cin + i * growth, growth) for i in range(num_layers)])

    def forward(self, x):
        feats = [x]
        for layer in self.layers:
            feats.append(layer(torch.cat(feats, 1)))
        return torch.cat(feats, 1)


def randomize_norms(m):
    """Non-trivial affine parameters and running statistics for every norm layer."""
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, (nn.BatchNorm1d, nn.BatchNorm2d, nn.LayerNorm, nn.GroupNorm)):
                if getattr(mod, "weight", None) is not None:
                    mod.weight.copy_(1 + 0.3 * torch.randn_like(mod.weight))
                    mod.bias.copy_(0.2 * torch.randn_like(mod.bias))
                if isinstance(mod, (nn.BatchNorm1d, nn.BatchNorm2d)) and mod.running_mean is not None:
                    mod.running_mean.copy_(0.5 * torch.randn_like(mod.running_mean))
                    mod.running_var.copy_(0.5 + torch.rand_like(mod.running_var))
                    mod.num_batches_tracked.fill_(3)


# (name, torch module factory, input shape or ('int', shape, high), train mode)
CASES = [
    ("linear", lambda: nn.Linear(5, 3), [4, 5], True),
    ("linear_nobias", lambda: nn.Linear(5, 3, bias=False), [2, 3, 5], True),
    ("conv1d", lambda: nn.Conv1d(3, 4, 3, stride=2, padding=1), [2, 3, 9], True),
    ("conv1d_same_dilated", lambda: nn.Conv1d(2, 3, 3, padding="same", dilation=2), [2, 2, 8], True),
    ("conv2d", lambda: nn.Conv2d(3, 4, 3, stride=2, padding=1), [2, 3, 7, 7], True),
    ("conv2d_same_dilated", lambda: nn.Conv2d(2, 3, 3, padding="same", dilation=2), [1, 2, 6, 6], True),
    ("conv2d_depthwise", lambda: nn.Conv2d(4, 8, 3, padding=1, groups=4), [2, 4, 5, 5], True),
    ("conv2d_grouped_rect", lambda: nn.Conv2d(4, 6, (3, 2), stride=(1, 2), groups=2, bias=False), [1, 4, 5, 6], True),
    ("separable_conv2d", lambda: SeparableConv(3, 5, 3, 1), [2, 3, 5, 5], True),
    ("conv_transpose2d", lambda: nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1, output_padding=1), [2, 3, 4, 4], True),
    ("conv_transpose2d_groups", lambda: nn.ConvTranspose2d(4, 6, 2, stride=2, groups=2), [1, 4, 3, 3], True),
    ("max_pool1d", lambda: nn.MaxPool1d(3, stride=2, padding=1), [2, 3, 9], True),
    ("max_pool2d", lambda: nn.MaxPool2d(2), [2, 3, 6, 6], True),
    ("max_pool2d_pad", lambda: nn.MaxPool2d(3, stride=2, padding=1), [1, 2, 7, 7], True),
    ("avg_pool1d", lambda: nn.AvgPool1d(2), [2, 3, 8], True),
    ("avg_pool2d", lambda: nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False), [1, 2, 7, 7], True),
    ("adaptive_avg_pool2d", lambda: nn.AdaptiveAvgPool2d((2, 3)), [2, 3, 5, 7], True),
    ("global_avg_pool2d", lambda: GlobalAvgPool(), [2, 3, 4, 5], True),
    ("flatten", lambda: nn.Flatten(), [2, 3, 2, 2], True),
    ("batch_norm1d_train", lambda: nn.BatchNorm1d(3), [6, 3], True),
    ("batch_norm1d_3d_train", lambda: nn.BatchNorm1d(3, momentum=0.3), [4, 3, 5], True),
    ("batch_norm1d_eval", lambda: nn.BatchNorm1d(3), [6, 3], False),
    ("batch_norm2d_train", lambda: nn.BatchNorm2d(3), [4, 3, 3, 3], True),
    ("batch_norm2d_eval", lambda: nn.BatchNorm2d(3), [4, 3, 3, 3], False),
    ("batch_norm2d_cma_train", lambda: nn.BatchNorm2d(2, momentum=None), [3, 2, 2, 2], True),
    ("batch_norm2d_noaffine_train", lambda: nn.BatchNorm2d(2, affine=False), [3, 2, 2, 2], True),
    ("batch_norm2d_nostats_eval", lambda: nn.BatchNorm2d(2, track_running_stats=False), [3, 2, 2, 2], False),
    ("layer_norm", lambda: nn.LayerNorm(4), [2, 3, 4], True),
    ("layer_norm_2d", lambda: nn.LayerNorm([3, 4], eps=1e-3), [2, 3, 4], True),
    ("layer_norm_noaffine", lambda: nn.LayerNorm(5, elementwise_affine=False), [3, 5], True),
    ("group_norm", lambda: nn.GroupNorm(2, 4), [2, 4, 3, 3], True),
    ("group_norm_1d", lambda: nn.GroupNorm(3, 6, eps=1e-4), [2, 6, 4], True),
    ("embedding", lambda: nn.Embedding(10, 3), ("int", [2, 4], 10), True),
    ("embedding_padding", lambda: nn.Embedding(6, 3, padding_idx=1), ("int", [3, 4], 6), True),
    ("relu", lambda: nn.ReLU(), [3, 4], True),
    ("leaky_relu", lambda: nn.LeakyReLU(0.2), [3, 4], True),
    ("prelu", lambda: nn.PReLU(), [2, 3, 4], True),
    ("prelu_channels", lambda: nn.PReLU(3, init=0.1), [2, 3, 4], True),
    ("elu", lambda: nn.ELU(alpha=0.5), [3, 4], True),
    ("selu", lambda: nn.SELU(), [3, 4], True),
    ("gelu", lambda: nn.GELU(), [3, 4], True),
    ("gelu_tanh", lambda: nn.GELU(approximate="tanh"), [3, 4], True),
    ("sigmoid", lambda: nn.Sigmoid(), [3, 4], True),
    ("tanh", lambda: nn.Tanh(), [3, 4], True),
    ("softmax", lambda: nn.Softmax(dim=1), [3, 4], True),
    ("log_softmax", lambda: nn.LogSoftmax(dim=0), [3, 4], True),
    ("softplus", lambda: nn.Softplus(beta=2, threshold=1), [3, 4], True),
    ("silu", lambda: nn.SiLU(), [3, 4], True),
    ("residual_block_identity_train", lambda: BasicBlock(3, 3), [2, 3, 4, 4], True),
    ("residual_block_projection_train", lambda: BasicBlock(2, 4, stride=2), [2, 2, 5, 5], True),
    ("residual_block_projection_eval", lambda: BasicBlock(2, 4, stride=2), [2, 2, 5, 5], False),
    ("dense_block_train", lambda: DenseBlock(2, 3, 2), [2, 3, 4, 4], True),
]


def run_case(name, factory, inp, train):
    m = factory()
    randomize_norms(m)
    m.train(train)
    params = {k: enc(v) for k, v in m.named_parameters()}
    buffers = {k: enc(v) for k, v in m.named_buffers()}
    if isinstance(inp, tuple):
        _, shape, high = inp
        x = torch.randint(0, high, shape, dtype=torch.int64)
        if name == "embedding_padding":
            x[0, 0] = 1
            x[2, 3] = 1
        xg = None
    else:
        x = torch.randn(*inp)
        x.requires_grad_(True)
        xg = x
    out = m(x)
    r = torch.randn_like(out)
    (out * r).sum().backward()
    case = {
        "name": name,
        "train": train,
        "params": params,
        "buffers": buffers,
        "input": enc(x),
        "r": enc(r),
        "out": enc(out),
        "gradInput": enc(xg.grad) if xg is not None else None,
        "gradParams": {k: enc(v.grad) for k, v in m.named_parameters()},
        "buffersAfter": {k: enc(v) for k, v in m.named_buffers()},
    }
    return case


def transfer_cnn():
    """A small CNN trained a few steps in PyTorch; its state_dict and eval outputs."""
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1),
        nn.BatchNorm2d(4),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(4 * 4 * 4, 3),
    )
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for _ in range(5):
        xb = torch.randn(8, 1, 8, 8)
        yb = torch.randint(0, 3, (8,))
        opt.zero_grad()
        F.cross_entropy(model(xb), yb).backward()
        opt.step()
    model.eval()
    x = torch.randn(3, 1, 8, 8)
    with torch.no_grad():
        y = model(x)
    return {
        "stateDict": {k: enc(v) for k, v in model.state_dict().items()},
        "input": enc(x),
        "out": enc(y),
    }


def main():
    cases = [run_case(*c) for c in CASES]
    data = {
        "generator": "packages/layers/scripts/gen_basic_golden.py",
        "torch": torch.__version__,
        "cases": cases,
        "transferCnn": transfer_cnn(),
    }
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "fixtures", "basic.json")
    with open(out, "w") as f:
        json.dump(data, f, separators=(",", ":"))
    print(f"wrote {os.path.normpath(out)}: {len(cases)} cases, {os.path.getsize(out)} bytes")


if __name__ == "__main__":
    main()
