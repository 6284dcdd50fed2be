#!/usr/bin/python3
"""Small models exported by PyTorch, for @mapnn/onnx's import and fine-tuning tests.

Run with Debian's python3 (it has python3-torch 1.13 and python3-onnx; the python3 on PATH may
lack them):

    /usr/bin/python3 packages/onnx/scripts/gen_torch_models.py

Writes packages/onnx/fixtures/torch/<name>.onnx (opset 13, dynamic batch dim 'batch' on the
input and the output) and <name>.json:
  {"name", "input": {"name", "shape", "dtype", "data"}, "output": {"name", "shape", "data"},
   "ops": [op types in the graph], "torch": version}
Models (eval mode, dropout 0):
  mlp          Linear(8, 16) → ReLU → Linear(16, 4)                     input [N, 8]
  cnn          features: Conv(1→8, 3, pad 1) → BatchNorm → ReLU → MaxPool(2)
                         → Conv(8→16, 3, pad 1) → BatchNorm → ReLU → MaxPool(2)
               classifier: Flatten → Linear(64, 10)                     input [N, 1, 8, 8]
               The whole CNN is first trained on the UCI digits (pixels / 16; the data is read
               from packages/data's embedded copy), then the classifier is re-initialised: a
               pretrained trunk with a fresh head, for the fine-tuning test. BatchNormalization
               nodes are kept (TrainingMode.PRESERVE skips PyTorch's Conv+BN folding).
  lstm         LSTM(6, 12, 2 layers, batch_first) → last step → Linear(12, 3)   input [N, 5, 6]
  transformer  TransformerEncoderLayer(16, 4, dim_feedforward 32, batch_first)  input [N, 5, 16]
Inputs have batch 3; values are written as the shortest decimal that round-trips float32.
"""
import base64
import gzip
import json
import math
import os
import re

import numpy as np
import onnx
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'fixtures', 'torch')
DIGITS_TS = os.path.join(HERE, '..', '..', 'data', 'src', 'embedded', 'digits.ts')


def f32(v):
    v = float(np.float32(v))
    if math.isnan(v) or math.isinf(v):
        raise ValueError('non-finite value in a fixture')
    out = float(str(np.float32(v)))
    return int(out) if out.is_integer() and abs(out) < 1e7 else out


def load_digits():
    """The digits CSV embedded in @mapnn/data (gzip + base64 in a TypeScript array)."""
    src = open(DIGITS_TS).read()
    body = re.search(r'DIGITS_CSV_GZ_BASE64 = \[(.*?)\]', src, re.S).group(1)
    text = gzip.decompress(base64.b64decode(''.join(re.findall(r"'([^']*)'", body)))).decode()
    rows = np.array([[float(v) for v in line.split(',')] for line in text.strip().splitlines()], dtype=np.float32)
    return rows[:, :-1] / 16.0, rows[:, -1].astype(np.int64)


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 16)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(16, 4)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1),
            nn.BatchNorm2d(8),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1),
            nn.BatchNorm2d(16),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Linear(16 * 2 * 2, 10)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


class LstmClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(6, 12, num_layers=2, batch_first=True)
        self.fc = nn.Linear(12, 3)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1])


def tensor_json(name, t):
    a = t.detach().numpy()
    return {'name': name, 'shape': list(a.shape), 'dtype': 'float32', 'data': [f32(v) for v in a.reshape(-1)]}


def export(name, model, x, training=torch.onnx.TrainingMode.EVAL):
    model.eval()
    path = os.path.join(OUT, f'{name}.onnx')
    with torch.no_grad():
        y = model(x)
    torch.onnx.export(
        model,
        (x,),
        path,
        opset_version=13,
        input_names=['input'],
        output_names=['output'],
        dynamic_axes={'input': {0: 'batch'}, 'output': {0: 'batch'}},
        training=training,
        do_constant_folding=True,
    )
    m = onnx.load(path)
    onnx.checker.check_model(m)
    ops = sorted({n.op_type for n in m.graph.node})
    with open(os.path.join(OUT, f'{name}.json'), 'w') as f:
        json.dump({'name': name, 'torch': torch.__version__, 'ops': ops, 'input': tensor_json('input', x), 'output': tensor_json('output', y)}, f)
        f.write('\n')
    print(f'{name}: {ops}')


def train_cnn(model):
    x, y = load_digits()
    xt = torch.from_numpy(x[:1400]).reshape(-1, 1, 8, 8)
    yt = torch.from_numpy(y[:1400])
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    g = torch.Generator().manual_seed(0)
    model.train()
    for _ in range(15):
        perm = torch.randperm(len(xt), generator=g)
        for i in range(0, len(xt), 64):
            idx = perm[i:i + 64]
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        xv = torch.from_numpy(x[1400:]).reshape(-1, 1, 8, 8)
        acc = (model(xv).argmax(1).numpy() == y[1400:]).mean()
    print(f'cnn: pretrained accuracy on digits 1400–1796: {acc:.3f}')
    torch.manual_seed(7)
    model.classifier.reset_parameters()  # a fresh head for fine-tuning
    return x


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(20240612)

    export('mlp', Mlp(), torch.randn(3, 8))

    cnn = Cnn()
    digits = train_cnn(cnn)
    export('cnn', cnn, torch.from_numpy(digits[:3]).reshape(3, 1, 8, 8), training=torch.onnx.TrainingMode.PRESERVE)

    export('lstm', LstmClassifier(), torch.randn(3, 5, 6))

    enc = nn.TransformerEncoderLayer(16, 4, dim_feedforward=32, dropout=0.0, batch_first=True)
    export('transformer', enc, torch.randn(3, 5, 16))


if __name__ == '__main__':
    main()
